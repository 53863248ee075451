import type { Deps } from '../_kernel/deps.js';
import type { ChannelName, MerchantBinding } from './channel.js';
import { alipayBinding } from './alipay/binding.js';

/** A merchant's binding on a channel, or the reason it has none, in words for the owner and the assistant. */
export type BindingLookup = { binding: MerchantBinding; reason?: undefined } | { binding: null; reason: string };

/**
 * The merchant's WeChat Pay binding (#18). A row that does not fit the
 * deployment's mode is no binding: a sub-merchant number means nothing to a
 * deployment holding a merchant's own keys, and a direct row in a service
 * provider's deployment would take money into the provider's own account.
 */
export async function wechatBinding(deps: Deps, merchantId: string): Promise<BindingLookup> {
  const row = await deps.db.selectFrom('merchant_payment_accounts').selectAll().where('merchant_id', '=', merchantId).where('channel', '=', 'wechat').executeTakeFirst();
  if (!row) return { binding: null, reason: deps.payments.wechatMode() === 'partner' ? '尚未在「收款设置」填写微信支付特约商户号' : '本商户未使用本部署的微信支付商户号' };
  if (row.status === 'pending') return { binding: null, reason: '微信支付特约商户号尚未生效' };
  if (row.status === 'revoked') return { binding: null, reason: '微信支付收款已停用' };
  const deployment = deps.payments.wechatMode();
  if (row.mode !== deployment) {
    return { binding: null, reason: deployment === 'partner' ? '本部署为服务商模式，请在「收款设置」填写微信支付特约商户号' : '本部署为直连模式，特约商户号不可用' };
  }
  if (row.mode === 'partner' && row.sub_mchid) return { binding: { channel: 'wechat', mode: 'partner', subMchid: row.sub_mchid, ...(row.sub_appid ? { subAppid: row.sub_appid } : {}) } };
  return { binding: { channel: 'wechat', mode: 'direct' } };
}

export async function bindingOf(deps: Deps, merchantId: string, channel: ChannelName): Promise<BindingLookup> {
  if (channel === 'wechat') return wechatBinding(deps, merchantId);
  const binding = await alipayBinding(deps, merchantId);
  return binding ? { binding } : { binding: null, reason: '尚未授权支付宝收款' };
}
