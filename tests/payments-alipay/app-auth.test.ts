import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { callSandbox } from '../_support/sandbox-client';
import { alipayAuthorizeResponse } from '../../shared/api/alipay-auth';
import { alipayAppAuthFromEnv } from '../../api/_payments/alipay/app-auth.client';
import { refreshAlipayAccount, refreshDueAlipayTokens, requestAlipayAuthorization } from '../../api/_payments/alipay/app-auth.service';
import { alipayBinding } from '../../api/_payments/alipay/binding';
import { createAlipayChannel } from '../../api/_payments/alipay/channel';
import { readAlipayPayConfig } from '../../api/_payments/alipay/config';
import type { MerchantBinding } from '../../api/_payments/channel';
import { sandboxEnv } from '../../tools/sandbox/env';

/**
 * A merchant authorises the provider's Alipay app (ALIPAY_MODE=isv) through
 * the API and the sandbox's consent page: the link's state is signed,
 * expires and works once; the tokens are stored sealed; a seller belongs to
 * one merchant; tokens are refreshed before they run out, once even when two
 * runs race, and an authorisation Alipay no longer honours is revoked.
 */

const callback_path = '/api/alipay/app-auth/callback';
type Isv = Extract<MerchantBinding, { mode: 'isv' }>;

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`Alipay app authorisation on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let otherOwner: string;
    let otherMerchantId: string;
    let sellers: { sellerId: string; authAppId: string }[];
    let usedState: string;

    beforeAll(async () => {
      api = await startTestApi(target, { env: { ALIPAY_MODE: 'isv' } });
      // The demo seed gives its merchant the deployment's own Alipay account (direct); a provider's deployment has none, so it starts unauthorised.
      await api.deps.db.deleteFrom('merchant_payment_accounts').where('merchant_id', '=', api.seed.merchantId).where('channel', '=', 'alipay').execute();
      otherMerchantId = (await seedOtherMerchant(api.deps.db)).merchantId;
      [owner, otherOwner] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_other_owner')]);
      sellers = (await sandbox('/sandbox/alipay/app-auth/merchants')).json['merchants'];
    });
    afterAll(async () => api?.stop());

    const sandbox = (path: string, body?: unknown) => callSandbox(api.sandbox.url, path, body);
    const appId = () => api.keys.alipay.appId;
    const accountOf = (merchantId: string) => api.deps.db.selectFrom('merchant_payment_accounts').selectAll().where('merchant_id', '=', merchantId).where('channel', '=', 'alipay').executeTakeFirst();
    const audits = (merchantId: string, action: string) => api.deps.db.selectFrom('audit_log').select('detail').where('merchant_id', '=', merchantId).where('action', '=', action).execute();
    const isvChannel = (binding: Isv) => createAlipayChannel(readAlipayPayConfig({ ...sandboxEnv(api.keys, api.sandbox.url), ALIPAY_MODE: 'isv' }), binding);

    async function authorize(token: string): Promise<{ url: URL; state: string }> {
      const res = await api.call('POST', '/api/merchant/payment-accounts/alipay/authorize', { token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const url = new URL(alipayAuthorizeResponse.parse(res.body).url);
      return { url, state: url.searchParams.get('state') ?? '' };
    }

    async function consent(sellerId: string): Promise<string> {
      const res = await sandbox('/sandbox/alipay/app-auth/codes', { appId: appId(), sellerId });
      expect(res.status).toBe(201);
      return res.json['code'];
    }

    async function callback(state: string, code: string): Promise<{ status: number; text: string }> {
      const query = new URLSearchParams({ app_id: appId(), app_auth_code: code, state });
      const res = await api.call('GET', `${callback_path}?${query}`);
      return { status: res.status, text: String(res.body) };
    }

    async function binding(merchantId: string): Promise<Isv> {
      const b = await alipayBinding(api.deps, merchantId);
      expect(b).toMatchObject({ channel: 'alipay', mode: 'isv' });
      return b as Isv;
    }

    async function tokenRefusal(b: Isv): Promise<string> {
      try {
        await isvChannel(b).query('GT_NO_SUCH_TRADE');
        return 'accepted';
      } catch (e) {
        return (e as Error).message;
      }
    }

    /** Every table's rows as text: what a database dump would show. */
    async function dump(): Promise<string> {
      const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(api.deps.db);
      const parts = tables.rows.map((t) => sql`select coalesce(string_agg(x::text, '|'), '') as d from ${sql.table(t.name)} x`);
      const rows = await sql<{ d: string }>`${sql.join(parts, sql` union all `)}`.execute(api.deps.db);
      return rows.rows.map((r) => r.d).join('\n');
    }

    it('gives the owner a link to the consent page with a signed state, and the account waits (pending)', async () => {
      const { url, state } = await authorize(owner);
      expect(`${url.origin}${url.pathname}`).toBe(`${api.sandbox.url}/sandbox/alipay/app-auth`);
      expect(url.searchParams.get('app_id')).toBe(appId());
      expect(url.searchParams.get('redirect_uri')).toMatch(new RegExp(`${callback_path}$`));
      expect(state).toMatch(/^[\w-]+\.[\w-]+$/);
      expect(await accountOf(api.seed.merchantId)).toMatchObject({ mode: 'isv', status: 'pending', seller_id: null, app_auth_token_sealed: null });
      expect(await audits(api.seed.merchantId, 'alipay_authorization_requested')).toHaveLength(1);
      const manager = await api.staffToken('o_demo_manager');
      expect((await api.call('POST', '/api/merchant/payment-accounts/alipay/authorize', { token: manager })).status).toBe(403);
    });

    it('completes through the sandbox’s consent page: the tokens are stored sealed, and no table holds them in the clear', async () => {
      const { url, state } = await authorize(owner);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(sellers[0]!.sellerId);
      const form = new URLSearchParams({ app_id: appId(), redirect_uri: url.searchParams.get('redirect_uri')!, state, seller_id: sellers[0]!.sellerId });
      const consented = await fetch(`${api.sandbox.url}/sandbox/alipay/app-auth/consent`, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
      expect(consented.status).toBe(302);
      const back = new URL(consented.headers.get('location')!);
      expect(back.searchParams.get('state')).toBe(state);
      const res = await api.call('GET', `${back.pathname}${back.search}`);
      expect(res.status).toBe(200);
      expect(String(res.body)).toContain('支付宝授权成功');
      usedState = state;

      const row = await accountOf(api.seed.merchantId);
      expect(row).toMatchObject({ mode: 'isv', status: 'active', seller_id: sellers[0]!.sellerId, auth_app_id: sellers[0]!.authAppId });
      expect(row!.app_auth_token_sealed).toMatch(/^v1\./);
      expect(row!.token_expires_at!.getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
      expect(await audits(api.seed.merchantId, 'alipay_authorized')).toHaveLength(1);

      const b = await binding(api.seed.merchantId);
      expect(b).toMatchObject({ sellerId: sellers[0]!.sellerId, authAppId: sellers[0]!.authAppId });
      const refreshToken = (await api.deps.alipayAppAuth()).box().open(row!.app_refresh_token_sealed!, api.seed.merchantId);
      const everything = await dump();
      expect(everything).not.toContain(b.appAuthToken);
      expect(everything).not.toContain(refreshToken);
      // The token works at the sandbox: an unknown trade is simply not found, not a token refusal.
      expect(await isvChannel(b).query('GT_NO_SUCH_TRADE')).toMatchObject({ state: 'not_found' });
    });

    it('refuses a tampered, an expired and a reused state, and a callback without one, changing nothing', async () => {
      const before = await accountOf(otherMerchantId);
      const fresh = await authorize(otherOwner);
      const pending = await accountOf(otherMerchantId);
      const [payload, signature] = fresh.state.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
      const forged = `${Buffer.from(JSON.stringify({ ...claims, m: api.seed.merchantId }), 'utf8').toString('base64url')}.${signature}`;

      const tampered = await callback(forged, await consent(sellers[1]!.sellerId));
      expect(tampered.status).toBe(400);
      expect(tampered.text).toContain('state 无效');
      expect((await callback('not-a-state', await consent(sellers[1]!.sellerId))).status).toBe(400);

      const reused = await callback(usedState, await consent(sellers[0]!.sellerId));
      expect(reused.status).toBe(409);
      expect(reused.text).toContain('授权链接已使用过');

      const missing = await api.call('GET', `${callback_path}?state=${encodeURIComponent(fresh.state)}`);
      expect(missing.status).toBe(400);

      api.setNow(new Date(Date.now() + 31 * 60_000));
      try {
        const expired = await callback(fresh.state, await consent(sellers[1]!.sellerId));
        expect(expired.status).toBe(400);
        expect(expired.text).toContain('授权链接已过期');
      } finally {
        api.setNow(null);
      }
      expect(before).toBeUndefined();
      expect(await accountOf(otherMerchantId)).toEqual(pending);
      expect((await accountOf(api.seed.merchantId))?.seller_id).toBe(sellers[0]!.sellerId);
    });

    it('refuses a seller already authorised for another merchant, then takes the merchant’s own', async () => {
      const { state } = await authorize(otherOwner);
      const taken = await callback(state, await consent(sellers[0]!.sellerId));
      expect(taken.status).toBe(409);
      expect(taken.text).toContain('已授权给另一家店');
      expect(await accountOf(otherMerchantId)).toMatchObject({ status: 'pending', seller_id: null });
      expect(await alipayBinding(api.deps, otherMerchantId)).toBeNull();

      const { state: again } = await authorize(otherOwner);
      const own = await callback(again, await consent(sellers[1]!.sellerId));
      expect(own.status).toBe(200);
      expect(await accountOf(otherMerchantId)).toMatchObject({ status: 'active', seller_id: sellers[1]!.sellerId });

      // The seller's consent to the second shop was a new authorisation at Alipay, which replaced the first shop's
      // token there (the code is traded before the seller is known). The first shop's payments fail until its
      // owner authorises again, and no money reaches the wrong shop meanwhile.
      expect(await tokenRefusal(await binding(api.seed.merchantId))).toMatch(/aop\.invalid-app-auth-token/);
      const { state: renewed } = await authorize(owner);
      expect((await callback(renewed, await consent(sellers[0]!.sellerId))).status).toBe(200);
      expect(await tokenRefusal(await binding(api.seed.merchantId))).toBe('accepted');
    });

    it('has nothing to authorise in a direct-mode deployment', async () => {
      const direct = { ...api.deps, alipayAppAuth: async () => alipayAppAuthFromEnv({ ...sandboxEnv(api.keys, api.sandbox.url), ALIPAY_MODE: 'direct' }) };
      await expect(requestAlipayAuthorization(direct, { merchantId: api.seed.merchantId, staffId: 'stf_x' })).rejects.toMatchObject({ code: 'conflict' });
    });

    it('refreshes a token near expiry once, even when two runs race; the old token stops working', async () => {
      const old = await binding(api.seed.merchantId);
      const notDue = await refreshDueAlipayTokens(api.deps);
      expect(notDue.refreshed).toBe(0);
      await api.deps.db.updateTable('merchant_payment_accounts').set({ token_expires_at: new Date(Date.now() + 2 * 86_400_000) }).where('merchant_id', '=', api.seed.merchantId).where('channel', '=', 'alipay').execute();
      const stale = (await accountOf(api.seed.merchantId))!;
      const runs = await Promise.all([refreshDueAlipayTokens(api.deps), refreshDueAlipayTokens(api.deps)]);
      expect(runs[0].refreshed + runs[1].refreshed, JSON.stringify(runs)).toBe(1);
      expect(runs[0].revoked + runs[1].revoked + runs[0].failed + runs[1].failed).toBe(0);
      // The row as it was read before the refresh: its refresh token is no longer the row's, so it is not refreshed twice.
      expect(await refreshAlipayAccount(api.deps, await api.deps.alipayAppAuth(), stale)).toBe('skipped');

      const row = await accountOf(api.seed.merchantId);
      expect(row).toMatchObject({ status: 'active' });
      expect(row!.token_expires_at!.getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
      const fresh = await binding(api.seed.merchantId);
      expect(fresh.appAuthToken).not.toBe(old.appAuthToken);
      expect(await tokenRefusal(old)).toMatch(/aop\.invalid-app-auth-token/);
      expect(await tokenRefusal(fresh)).toBe('accepted');
      expect(await audits(api.seed.merchantId, 'alipay_token_refreshed')).toHaveLength(1);
    });

    it('refreshes before use when the job has not run', async () => {
      const old = await binding(api.seed.merchantId);
      await api.deps.db.updateTable('merchant_payment_accounts').set({ token_expires_at: new Date(Date.now() + 3_600_000) }).where('merchant_id', '=', api.seed.merchantId).where('channel', '=', 'alipay').execute();
      const fresh = await binding(api.seed.merchantId);
      expect(fresh.appAuthToken).not.toBe(old.appAuthToken);
      expect(await tokenRefusal(fresh)).toBe('accepted');
    });

    it('revokes an authorisation whose refresh Alipay refuses: that merchant takes no more Alipay payments', async () => {
      expect((await sandbox('/sandbox/alipay/app-auth/revoke', { sellerId: sellers[1]!.sellerId })).json).toEqual({ revoked: true });
      await api.deps.db.updateTable('merchant_payment_accounts').set({ token_expires_at: new Date(Date.now() + 86_400_000) }).where('merchant_id', '=', otherMerchantId).where('channel', '=', 'alipay').execute();
      const counts = await refreshDueAlipayTokens(api.deps);
      expect(counts).toMatchObject({ revoked: 1, refreshed: 0 });
      expect(await accountOf(otherMerchantId)).toMatchObject({ status: 'revoked', seller_id: sellers[1]!.sellerId });
      expect(await alipayBinding(api.deps, otherMerchantId)).toBeNull();
      const [entry] = await audits(otherMerchantId, 'alipay_authorization_revoked');
      expect(JSON.stringify(entry?.detail)).toContain('isv.refresh-token-invalid');
      // The demo merchant is untouched by the other's revocation.
      expect((await accountOf(api.seed.merchantId))?.status).toBe('active');
    });
  });
}
