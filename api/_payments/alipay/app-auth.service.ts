import { sql, type Selectable } from 'kysely';
import { audit } from '../../_audit/index.js';
import { AppError } from '../../_kernel/errors.js';
import type { Deps } from '../../_kernel/deps.js';
import type { MerchantPaymentAccountsTable } from '../tables.js';
import type { AlipayAppAuth, AlipayTokenGrant } from './app-auth.client.js';
import { app_auth_state_ttl_ms, signState, verifyState } from './app-auth.state.js';

/**
 * A merchant authorises the service provider's Alipay app (#18, ALIPAY_MODE=isv):
 *
 * 1. The owner asks for a link (`requestAlipayAuthorization`): the merchant's
 *    row goes to `pending` (an `active` one stays active, so payments go on with
 *    the old token until the new one arrives) and the link carries a signed
 *    state naming the merchant and this request.
 * 2. Alipay sends the owner's browser back with `app_auth_code`
 *    (`completeAlipayAuthorization`): the state is checked, the code traded
 *    for the tokens, which are sealed (never stored in the clear) and stored;
 *    the row becomes `active`. A seller already held by another merchant is
 *    refused: its money would go to the wrong shop.
 * 3. Tokens are refreshed before they expire (`refreshDueAlipayTokens`, and
 *    on use in binding.ts). A refresh Alipay refuses means the merchant
 *    withdrew the authorisation: the row becomes `revoked` and payments stop.
 *
 * Every row change moves `updated_at` forward by at least a millisecond (the
 * link's state names it, see app-auth.state.ts); completing an authorisation
 * is compare-and-set on it, a refresh locks the row and compares the refresh
 * token. Every change is audited.
 */

type AccountRow = Selectable<MerchantPaymentAccountsTable>;

/** Tokens expiring within this are refreshed by the job (run daily or more often). */
export const alipay_token_refresh_window_ms = 30 * 24 * 60 * 60 * 1000;
/** Tokens expiring within this are refreshed before use, should the job not have run. */
export const alipay_token_refresh_on_use_ms = 24 * 60 * 60 * 1000;
/** Rows one run of the refresh job takes; the rest wait for the next run. */
export const alipay_token_refresh_batch_max = 200;

export const alipay_app_auth_callback_path = '/api/alipay/app-auth/callback';

/** Why an authorisation did not complete, with the HTTP status and the Chinese reason the owner sees. */
export class AuthorizationRefused extends Error {
  constructor(
    readonly reason: 'missing' | 'bad_state' | 'expired' | 'used' | 'wrong_app' | 'code_refused' | 'platform_failed' | 'seller_taken' | 'not_isv',
    readonly status: 400 | 409 | 502 | 503,
    message: string,
  ) {
    super(message);
    this.name = 'AuthorizationRefused';
  }
}

/** The next `updated_at`: now, but always after the current one, in whole milliseconds so that a state can name it exactly. */
const nextStamp = (now: Date) => sql<Date>`date_trunc('milliseconds', greatest(${now.toISOString()}::timestamptz, merchant_payment_accounts.updated_at + interval '1 millisecond'))`;

const addSeconds = (now: Date, seconds: number | null) => (seconds === null ? null : new Date(now.getTime() + seconds * 1000));

async function isvAuth(deps: Deps): Promise<AlipayAppAuth> {
  const auth = await deps.alipayAppAuth();
  if (auth.mode !== 'isv') throw new AppError('conflict', '本部署的支付宝为直连模式（ALIPAY_MODE=direct），商户无需授权');
  return auth;
}

export async function alipayAccountOf(deps: Pick<Deps, 'db'>, merchantId: string): Promise<AccountRow | undefined> {
  return deps.db.selectFrom('merchant_payment_accounts').selectAll().where('merchant_id', '=', merchantId).where('channel', '=', 'alipay').executeTakeFirst();
}

/** The owner asks for an authorisation link: the Alipay consent page with our callback and a signed, expiring state. */
export async function requestAlipayAuthorization(deps: Deps, owner: { merchantId: string; staffId: string }): Promise<{ url: string; expiresAt: Date; status: AccountRow['status'] }> {
  const auth = await isvAuth(deps);
  const appId = auth.providerAppId();
  const now = deps.clock();
  const stamp = new Date(Math.floor(now.getTime()));
  const row = await deps.db.transaction().execute(async (tx) => {
    const saved = await tx
      .insertInto('merchant_payment_accounts')
      .values({ merchant_id: owner.merchantId, channel: 'alipay', mode: 'isv', status: 'pending', created_at: stamp, updated_at: stamp })
      .onConflict((oc) =>
        oc
          .columns(['merchant_id', 'channel'])
          .doUpdateSet({
            status: sql<'pending' | 'active'>`case when merchant_payment_accounts.status = 'active' then 'active' else 'pending' end`,
            updated_at: nextStamp(now),
          })
          .where('merchant_payment_accounts.mode', '=', 'isv'),
      )
      .returning(['updated_at', 'status'])
      .executeTakeFirst();
    if (!saved) throw new AppError('conflict', '本店支付宝为直连收款（部署自有账户），无需授权');
    await audit(tx, { merchantId: owner.merchantId, actorId: owner.staffId, action: 'alipay_authorization_requested', subjectId: null, detail: { status: saved.status } });
    return saved;
  });
  const expiresAt = new Date(now.getTime() + app_auth_state_ttl_ms);
  const state = signState(auth.stateKey(), { merchantId: owner.merchantId, issuedMs: row.updated_at.getTime(), expiresMs: expiresAt.getTime() });
  const url = new URL(auth.authorizeUrl);
  url.searchParams.set('app_id', appId);
  url.searchParams.set('redirect_uri', `${deps.config.publicBaseUrl.replace(/\/+$/, '')}${alipay_app_auth_callback_path}`);
  url.searchParams.set('state', state);
  return { url: url.href, expiresAt, status: row.status };
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';
}

/** Alipay's answer to the consent: the state checked, the code traded, the sealed tokens stored. */
export async function completeAlipayAuthorization(deps: Deps, query: { appAuthCode?: string; state?: string; appId?: string }): Promise<{ merchantId: string; sellerId: string }> {
  if (!query.appAuthCode || !query.state) throw new AuthorizationRefused('missing', 400, '缺少 app_auth_code 或 state');
  let auth: AlipayAppAuth;
  try {
    auth = await isvAuth(deps);
  } catch (e) {
    throw new AuthorizationRefused('not_isv', e instanceof AppError && e.status === 409 ? 409 : 503, e instanceof Error ? e.message : '支付宝授权暂不可用');
  }
  const now = deps.clock();
  const checked = verifyState(auth.stateKey(), query.state, now.getTime());
  if (!checked.ok) {
    throw checked.reason === 'expired' ? new AuthorizationRefused('expired', 400, '授权链接已过期，请在收款设置里重新获取') : new AuthorizationRefused('bad_state', 400, 'state 无效：不是本系统发出的授权链接');
  }
  const { merchantId, issuedMs } = checked.state;
  if (query.appId !== undefined && query.appId !== auth.providerAppId()) throw new AuthorizationRefused('wrong_app', 400, 'app_id 不是本服务商的应用');
  const current = await alipayAccountOf(deps, merchantId);
  if (!current || current.mode !== 'isv' || current.updated_at.getTime() !== issuedMs) {
    throw new AuthorizationRefused('used', 409, '授权链接已使用过，或已有更新的授权链接');
  }

  const exchanged = await auth.exchange({ grantType: 'authorization_code', code: query.appAuthCode });
  if (exchanged.outcome === 'refused') throw new AuthorizationRefused('code_refused', 400, `支付宝拒绝了授权码（${exchanged.code} ${exchanged.message}）`);
  if (exchanged.outcome === 'failed') {
    deps.log.warn('alipay app auth code exchange failed', { merchantId, detail: exchanged.message });
    throw new AuthorizationRefused('platform_failed', 502, '暂时无法向支付宝换取授权令牌，请稍后重新授权');
  }
  const grant = exchanged.grant;
  const box = auth.box();
  try {
    await deps.db.transaction().execute(async (tx) => {
      const holder = await tx.selectFrom('merchant_payment_accounts').select('merchant_id').where('seller_id', '=', grant.sellerId).where('merchant_id', '<>', merchantId).executeTakeFirst();
      if (holder) throw new AuthorizationRefused('seller_taken', 409, `支付宝账户 ${grant.sellerId} 已授权给另一家店，不能再收本店的款`);
      const saved = await tx
        .updateTable('merchant_payment_accounts')
        .set({
          status: 'active',
          auth_app_id: grant.authAppId,
          seller_id: grant.sellerId,
          app_auth_token_sealed: box.seal(grant.appAuthToken, merchantId),
          app_refresh_token_sealed: box.seal(grant.appRefreshToken, merchantId),
          token_expires_at: addSeconds(now, grant.expiresInS),
          refresh_expires_at: addSeconds(now, grant.refreshExpiresInS),
          updated_at: nextStamp(now),
        })
        .where('merchant_id', '=', merchantId)
        .where('channel', '=', 'alipay')
        .where('mode', '=', 'isv')
        .where('updated_at', '=', new Date(issuedMs))
        .executeTakeFirst();
      if (Number(saved.numUpdatedRows) !== 1) throw new AuthorizationRefused('used', 409, '授权链接已使用过，或已有更新的授权链接');
      await audit(tx, { merchantId, actorId: null, action: 'alipay_authorized', subjectId: grant.sellerId, detail: { authAppId: grant.authAppId, sellerId: grant.sellerId } });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AuthorizationRefused('seller_taken', 409, `支付宝账户 ${grant.sellerId} 已授权给另一家店，不能再收本店的款`);
    throw e;
  }
  deps.log.info('alipay app authorised', { merchantId, sellerId: grant.sellerId, authAppId: grant.authAppId });
  return { merchantId, sellerId: grant.sellerId };
}

export type RefreshOutcome = 'refreshed' | 'revoked' | 'failed' | 'skipped';

/**
 * Refreshes one row's tokens. The row is locked for the exchange (`for update
 * skip locked`) and must still hold the refresh token it was read with, so of
 * two runs that read it only one asks Alipay: the other skips it while it is
 * locked, and finds a new refresh token after. A second refresh with the same
 * refresh token would be refused, and the row wrongly revoked. The lock is
 * held across one Alipay call (at most alipay_app_auth_timeout_ms); nothing
 * else locks these rows, and payments read them without a lock.
 */
export async function refreshAlipayAccount(deps: Deps, auth: AlipayAppAuth, row: AccountRow): Promise<RefreshOutcome> {
  if (row.mode !== 'isv' || row.status !== 'active' || !row.app_refresh_token_sealed) return 'skipped';
  const refreshSealed = row.app_refresh_token_sealed;
  const now = deps.clock();
  const box = auth.box();
  let revokedFor: string | undefined;
  const outcome = await deps.db.transaction().execute(async (tx): Promise<RefreshOutcome> => {
    const locked = await tx
      .selectFrom('merchant_payment_accounts')
      .select(['merchant_id', 'seller_id'])
      .where('merchant_id', '=', row.merchant_id)
      .where('channel', '=', 'alipay')
      .where('mode', '=', 'isv')
      .where('status', '=', 'active')
      .where('app_refresh_token_sealed', '=', refreshSealed)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!locked) return 'skipped';
    const exchanged = await auth.exchange({ grantType: 'refresh_token', refreshToken: box.open(refreshSealed, row.merchant_id) });
    if (exchanged.outcome === 'failed') {
      deps.log.warn('alipay token refresh failed; will try again', { merchantId: row.merchant_id, detail: exchanged.message });
      return 'failed';
    }
    const thisRow = tx.updateTable('merchant_payment_accounts').where('merchant_id', '=', row.merchant_id).where('channel', '=', 'alipay');
    const grant: AlipayTokenGrant | undefined = exchanged.outcome === 'granted' ? exchanged.grant : undefined;
    if (!grant || grant.sellerId !== locked.seller_id) {
      // Alipay refused the refresh token (the merchant withdrew the authorisation, or it ran out), or answered for another
      // seller: either way these tokens take no more payments until the owner authorises again.
      revokedFor = grant ? `the refresh answered for seller ${grant.sellerId}` : exchanged.outcome === 'refused' ? `${exchanged.code} ${exchanged.message}` : 'refused';
      await thisRow.set({ status: 'revoked', updated_at: nextStamp(now) }).execute();
      await audit(tx, { merchantId: row.merchant_id, actorId: null, action: 'alipay_authorization_revoked', subjectId: locked.seller_id, detail: { reason: revokedFor } });
      return 'revoked';
    }
    await thisRow
      .set({
        auth_app_id: grant.authAppId,
        app_auth_token_sealed: box.seal(grant.appAuthToken, row.merchant_id),
        app_refresh_token_sealed: box.seal(grant.appRefreshToken, row.merchant_id),
        token_expires_at: addSeconds(now, grant.expiresInS),
        refresh_expires_at: addSeconds(now, grant.refreshExpiresInS),
        updated_at: nextStamp(now),
      })
      .execute();
    await audit(tx, { merchantId: row.merchant_id, actorId: null, action: 'alipay_token_refreshed', subjectId: locked.seller_id, detail: {} });
    return 'refreshed';
  });
  if (outcome === 'revoked') deps.log.error('alipay authorisation revoked: token refresh refused', { merchantId: row.merchant_id, sellerId: row.seller_id, reason: revokedFor });
  return outcome;
}

/** Rows whose token (or, for a long-lived token, whose refresh token) runs out within the window. */
function dueRows(deps: Deps, before: Date, limit: number) {
  return deps.db
    .selectFrom('merchant_payment_accounts')
    .selectAll()
    .where('channel', '=', 'alipay')
    .where('mode', '=', 'isv')
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('token_expires_at', '<', before), eb.and([eb('token_expires_at', 'is', null), eb('refresh_expires_at', '<', before)])]))
    .orderBy('token_expires_at')
    .limit(limit)
    .execute();
}

/**
 * The job: refreshes every Alipay authorisation expiring within `windowMs`.
 * Safe to run twice at once (each row is claimed) and to repeat.
 */
export async function refreshDueAlipayTokens(
  deps: Deps,
  options: { windowMs?: number; limit?: number } = {},
): Promise<Record<RefreshOutcome, number>> {
  const counts: Record<RefreshOutcome, number> = { refreshed: 0, revoked: 0, failed: 0, skipped: 0 };
  const auth = await deps.alipayAppAuth();
  if (auth.mode !== 'isv') return counts;
  const rows = await dueRows(deps, new Date(deps.clock().getTime() + (options.windowMs ?? alipay_token_refresh_window_ms)), options.limit ?? alipay_token_refresh_batch_max);
  for (const row of rows) {
    try {
      counts[await refreshAlipayAccount(deps, auth, row)] += 1;
    } catch (e) {
      counts.failed += 1;
      deps.log.error('alipay token refresh threw', { merchantId: row.merchant_id, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return counts;
}
