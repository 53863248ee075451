import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { staffSession, shopperSession, inviteResponse, meResponse } from '../../shared/api/identity';

/** Row counts of the tables a sign-in or invitation may write, to prove a refused request wrote nothing. */
async function counts(api: TestApi) {
  const tables = ['staff', 'staff_identities', 'staff_invites', 'members', 'audit_log', 'staff_stores'] as const;
  const out: Record<string, number> = {};
  for (const t of tables) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(api.deps.db);
    out[t] = r.rows[0]!.n;
  }
  return out;
}

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`identity and tenancy on ${target.name}`, () => {
    let api: TestApi;
    let other: Awaited<ReturnType<typeof seedOtherMerchant>>;
    const demo01 = () => api.seed.storeIds.DEMO01!;
    const demo02 = () => api.seed.storeIds.DEMO02!;

    beforeAll(async () => {
      api = await startTestApi(target);
      other = await seedOtherMerchant(api.deps.db);
    });
    afterAll(async () => api?.stop());

    it('answers health from real checks', async () => {
      const res = await api.call('GET', '/api/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ok: true, db: { ok: true, driver: target.name }, kv: { ok: true, driver: 'memory' } });
    });

    it('signs in a bound assistant through the sandbox code2session, scoped to their store', async () => {
      const code = await api.loginCode('wechat', 'o_demo_assistant_1');
      const res = await api.call('POST', '/api/auth/staff/login', { body: { platform: 'wechat', code } });
      expect(res.status).toBe(200);
      const session = staffSession.parse(res.body);
      expect(session.staff).toMatchObject({ name: '店员小王', role: 'assistant' });
      expect(session.stores.map((s) => s.code)).toEqual(['DEMO01']);
      const me = await api.call('GET', '/api/me', { token: session.token });
      expect(meResponse.parse(me.body)).toMatchObject({ kind: 'staff', staff: { role: 'assistant' } });
    });

    it('signs in through Alipay oauth.token too', async () => {
      const code = await api.loginCode('alipay', '2088000000000002');
      const res = await api.call('POST', '/api/auth/staff/login', { body: { platform: 'alipay', code } });
      expect(res.status).toBe(200);
      expect(staffSession.parse(res.body).staff.name).toBe('陈店长');
    });

    it('refuses a used code and a made-up code with 401, writing nothing', async () => {
      const before = await counts(api);
      const code = await api.loginCode('wechat', 'o_demo_owner');
      expect((await api.call('POST', '/api/auth/staff/login', { body: { platform: 'wechat', code } })).status).toBe(200);
      const again = await api.call('POST', '/api/auth/staff/login', { body: { platform: 'wechat', code } });
      expect(again.status).toBe(401);
      expect(again.body.error.code).toBe('invalid_code');
      const madeUp = await api.call('POST', '/api/auth/staff/login', { body: { platform: 'wechat', code: 'not-a-real-code' } });
      expect(madeUp.status).toBe(401);
      expect(await counts(api)).toEqual(before);
    });

    it('binds a new assistant by the owner\'s invitation code, once', async () => {
      const owner = await api.staffToken('o_demo_owner');
      const stranger = await api.loginCode('wechat', 'o_new_hire');
      const unbound = await api.call('POST', '/api/auth/staff/login', { body: { platform: 'wechat', code: stranger } });
      expect(unbound.status).toBe(403);
      expect(unbound.body.error.code).toBe('not_bound');

      const inv = await api.call('POST', '/api/staff/invites', { token: owner, body: { name: '新店员', role: 'assistant', storeIds: [demo02()] } });
      expect(inv.status).toBe(201);
      const invite = inviteResponse.parse(inv.body);
      const bind = await api.call('POST', '/api/auth/staff/bind', {
        body: { platform: 'wechat', code: await api.loginCode('wechat', 'o_new_hire'), inviteCode: invite.code },
      });
      expect(bind.status).toBe(200);
      const session = staffSession.parse(bind.body);
      expect(session.staff).toMatchObject({ name: '新店员', role: 'assistant' });
      expect(session.stores.map((s) => s.code)).toEqual(['DEMO02']);

      const before = await counts(api);
      const reuse = await api.call('POST', '/api/auth/staff/bind', {
        body: { platform: 'wechat', code: await api.loginCode('wechat', 'o_second_hire'), inviteCode: invite.code },
      });
      expect(reuse.status).toBe(400);
      expect(reuse.body.error.code).toBe('invite_invalid');
      expect(await counts(api)).toEqual(before);

      const audit = await api.deps.db.selectFrom('audit_log').select(['action']).where('subject_id', 'in', [invite.code, session.staff.id]).execute();
      expect(audit.map((a) => a.action).sort()).toEqual(['staff.bound', 'staff.invited']);
    });

    it('refuses an expired invitation', async () => {
      const owner = await api.staffToken('o_demo_owner');
      const invite = inviteResponse.parse((await api.call('POST', '/api/staff/invites', { token: owner, body: { name: '过期', role: 'assistant', storeIds: [demo01()] } })).body);
      api.setNow(new Date(Date.now() + 8 * 24 * 3600 * 1000));
      try {
        const res = await api.call('POST', '/api/auth/staff/bind', {
          body: { platform: 'wechat', code: await api.loginCode('wechat', 'o_late_hire'), inviteCode: invite.code },
        });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(/过期/);
      } finally {
        api.setNow(new Date());
      }
    });

    it('makes a shopper a member of the store\'s merchant once', async () => {
      const first = await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code: await api.loginCode('wechat', 'o_shopper_x'), storeCode: 'DEMO01' } });
      const second = await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code: await api.loginCode('wechat', 'o_shopper_x'), storeCode: 'DEMO02' } });
      expect(first.status).toBe(200);
      expect(shopperSession.parse(second.body).member.id).toBe(shopperSession.parse(first.body).member.id);
      const seeded = await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code: await api.loginCode('wechat', 'o_demo_member_1'), storeCode: 'DEMO01' } });
      expect(seeded.body.member).toMatchObject({ name: '张三', points: 1280, level: '金卡会员' });
      // A member token opens no staff route.
      const res = await api.call('GET', '/api/stores', { token: first.body.token });
      expect(res.status).toBe(403);
    });

    it('keeps each merchant\'s staff out of the other\'s stores', async () => {
      const owner = await api.staffToken('o_demo_owner');
      const otherOwner = await api.staffToken('o_other_owner');
      const mine = await api.call('GET', `/api/stores/${other.storeId}/products`, { token: owner });
      expect(mine.status).toBe(404);
      const theirs = await api.call('GET', `/api/stores/${demo01()}/products`, { token: otherOwner });
      expect(theirs.status).toBe(404);
      const today = await api.call('GET', `/api/boss/today?storeId=${demo01()}`, { token: otherOwner });
      expect(today.status).toBe(404);
      const invite = await api.call('POST', '/api/staff/invites', { token: otherOwner, body: { name: 'x', role: 'assistant', storeIds: [demo01()] } });
      expect(invite.status).toBe(404);
      const staff = await api.call('GET', '/api/staff', { token: otherOwner });
      expect(staff.body.items.map((s: { name: string }) => s.name)).toEqual(['别家老板']);
    });

    it('enforces roles and store assignments', async () => {
      const assistant = await api.staffToken('o_demo_assistant_1');
      const manager = await api.staffToken('o_demo_manager');
      expect((await api.call('GET', '/api/boss/today', { token: assistant })).status).toBe(403);
      expect((await api.call('POST', '/api/staff/invites', { token: manager, body: { name: 'x', role: 'assistant', storeIds: [demo01()] } })).status).toBe(403);
      // The manager runs DEMO01 only: DEMO02 exists in the merchant but is not theirs.
      expect((await api.call('GET', `/api/boss/today?storeId=${demo02()}`, { token: manager })).status).toBe(403);
      expect((await api.call('GET', `/api/stores/${demo02()}/products`, { token: assistant })).status).toBe(403);
      expect((await api.call('GET', `/api/boss/today?storeId=${demo01()}`, { token: manager })).status).toBe(200);
    });

    it('refuses missing, malformed and expired tokens with 401', async () => {
      expect((await api.call('GET', '/api/me')).status).toBe(401);
      expect((await api.call('GET', '/api/me', { headers: { authorization: 'Bearer nonsense' } })).status).toBe(401);
      const token = await api.staffToken('o_demo_owner');
      const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
      expect((await api.call('GET', '/api/me', { token: tampered })).status).toBe(401);
      api.setNow(new Date(Date.now() + 13 * 3600 * 1000));
      try {
        const expired = await api.call('GET', '/api/me', { token });
        expect(expired.status).toBe(401);
        expect(expired.body.error.code).toBe('token_expired');
      } finally {
        api.setNow(new Date());
      }
    });

    it('turns away a disabled staff member at once', async () => {
      const token = await api.staffToken('o_demo_assistant_2');
      await api.deps.db.updateTable('staff').set({ active: false }).where('id', '=', api.seed.staffIds.assistant2!).execute();
      try {
        expect((await api.call('GET', '/api/me', { token })).status).toBe(401);
      } finally {
        await api.deps.db.updateTable('staff').set({ active: true }).where('id', '=', api.seed.staffIds.assistant2!).execute();
      }
    });

    it('answers bad input with a 4xx and a reason, and writes nothing', async () => {
      const owner = await api.staffToken('o_demo_owner');
      const before = await counts(api);
      const cases: [string, string, Parameters<TestApi['call']>[2], number, string][] = [
        ['POST', '/api/staff/invites', { token: owner, rawBody: '{"name": "x",', headers: { 'content-type': 'application/json' } }, 400, 'invalid_json'],
        ['POST', '/api/staff/invites', { token: owner, body: { name: 'x', role: 'boss', storeIds: [demo01()] } }, 400, 'validation_failed'],
        ['POST', '/api/staff/invites', { token: owner, body: { name: 7, role: 'assistant', storeIds: [demo01()] } }, 400, 'validation_failed'],
        ['POST', '/api/staff/invites', { token: owner, body: { name: 'x', role: 'assistant', storeIds: [demo01()], salary: 1 } }, 400, 'validation_failed'],
        ['POST', '/api/staff/invites', { token: owner, body: { name: 'x', role: 'assistant', storeIds: ['sto_nope'] } }, 400, 'validation_failed'],
        ['POST', '/api/staff/invites', { token: owner, rawBody: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 400, 'bad_request'],
        ['POST', '/api/staff/invites', { token: owner, body: { name: 'x'.repeat(70 * 1024), role: 'assistant', storeIds: [demo01()] } }, 413, 'payload_too_large'],
        ['POST', '/api/auth/staff/login', { body: { platform: 'line', code: 'abc' } }, 400, 'validation_failed'],
        ['POST', '/api/auth/staff/bind', { body: { platform: 'wechat', code: 'abc', inviteCode: 'short' } }, 400, 'validation_failed'],
        ['GET', '/api/stores/not-an-id/products', { token: owner }, 400, 'validation_failed'],
        ['GET', `/api/stores/${demo01()}/products?limit=1000`, { token: owner }, 400, 'validation_failed'],
        ['GET', `/api/stores/${demo01()}/products?colour=red`, { token: owner }, 400, 'validation_failed'],
        ['GET', '/api/boss/today?storeId=sto_01AAAAAAAAAAAAAAAAAAAAAAAA', { token: owner }, 404, 'not_found'],
        ['GET', '/api/no-such-route', {}, 404, 'not_found'],
      ];
      for (const [method, url, options, status, code] of cases) {
        const res = await api.call(method, url, options);
        expect({ url, status: res.status, code: res.body?.error?.code }).toEqual({ url, status, code });
        expect(typeof res.body.error.message).toBe('string');
      }
      expect(await counts(api)).toEqual(before);
    });
  });
}
