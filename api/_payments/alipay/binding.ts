import type { Deps } from '../../_kernel/deps.js';
import type { MerchantBinding } from '../channel.js';
import { alipay_token_refresh_on_use_ms, alipayAccountOf, refreshAlipayAccount } from './app-auth.service.js';

/**
 * How one merchant takes Alipay payments, from its `merchant_payment_accounts`
 * row: `direct` (the deployment's own account) or `isv` (the provider's app
 * with the merchant's `app_auth_token`, unsealed here and refreshed first if
 * it runs out within a day). A merchant with no active row takes no Alipay
 * payments: null.
 */
export async function alipayBinding(deps: Deps, merchantId: string): Promise<MerchantBinding | null> {
  let row = await alipayAccountOf(deps, merchantId);
  if (!row || row.status !== 'active') return null;
  if (row.mode === 'direct') return { channel: 'alipay', mode: 'direct' };
  if (row.mode !== 'isv') return null;

  const auth = await deps.alipayAppAuth();
  const nowMs = deps.clock().getTime();
  const expiresMs = row.token_expires_at?.getTime();
  if (expiresMs !== undefined && expiresMs - nowMs < alipay_token_refresh_on_use_ms) {
    // A refresh that fails for now leaves the current token, which still works until it expires.
    await refreshAlipayAccount(deps, auth, row).catch((e: unknown) => deps.log.warn('alipay token refresh on use failed', { merchantId, error: e instanceof Error ? e.message : String(e) }));
    row = await alipayAccountOf(deps, merchantId);
    if (!row || row.status !== 'active' || row.mode !== 'isv') return null;
    if (row.token_expires_at && row.token_expires_at.getTime() <= nowMs) return null;
  }
  if (!row.app_auth_token_sealed || !row.auth_app_id || !row.seller_id) return null;
  return { channel: 'alipay', mode: 'isv', appAuthToken: auth.box().open(row.app_auth_token_sealed, merchantId), authAppId: row.auth_app_id, sellerId: row.seller_id };
}
