import type { Deps } from '../../_kernel/deps.js';
import { isDeployed } from '../../_kernel/environment.js';
import { secretBox, secretKeyFromEnv } from '../../_kernel/secret-box.js';
import type { MerchantBinding } from '../channel.js';

/**
 * A merchant's Alipay binding from `merchant_payment_accounts`: direct when
 * it holds the deployment's own app, or the third-party-app authorisation
 * with its token unsealed. Anything not active is no binding.
 *
 * Minimal version written on the WeChat branch (#18) so the core compiles;
 * the Alipay branch's version, which also refreshes the token before it
 * expires, replaces it with the same signature.
 */
export async function alipayBinding(deps: Deps, merchantId: string): Promise<MerchantBinding | null> {
  const row = await deps.db.selectFrom('merchant_payment_accounts').selectAll().where('merchant_id', '=', merchantId).where('channel', '=', 'alipay').executeTakeFirst();
  if (!row || row.status !== 'active') return null;
  if (row.mode === 'direct') return { channel: 'alipay', mode: 'direct' };
  if (row.mode !== 'isv' || !row.app_auth_token_sealed || !row.auth_app_id || !row.seller_id) return null;
  const box = secretBox(secretKeyFromEnv(process.env, isDeployed(deps.config.environment)));
  return { channel: 'alipay', mode: 'isv', appAuthToken: box.open(row.app_auth_token_sealed, merchantId), authAppId: row.auth_app_id, sellerId: row.seller_id };
}
