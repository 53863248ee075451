import type { Deps } from '../_kernel/deps.js';
import { AppError } from '../_kernel/errors.js';
import type { ChannelName, PaymentChannel } from './channel.js';
import { bindingOf } from './bindings.js';

const label = (name: ChannelName) => (name === 'wechat' ? '微信支付' : '支付宝');

/**
 * The channel that makes calls for one merchant (#18): bound to its
 * sub-merchant number or Alipay authorisation, or direct for the one
 * merchant that holds the deployment's own keys. Every payment, refund,
 * split and bill call goes through here, so none can touch another
 * merchant's money. A merchant without an active binding takes no platform
 * payments on the channel: a 409 saying why (cash, card and 赊账 still work).
 */
export async function paymentChannelFor(deps: Deps, merchantId: string, name: ChannelName): Promise<PaymentChannel> {
  const found = await bindingOf(deps, merchantId, name);
  if (!found.binding) throw new AppError('invalid_state', `该商户未开通${label(name)}：${found.reason}`);
  return deps.payments.bound(found.binding);
}

/** The same, or undefined when the merchant has no binding (for callers that go on without the channel). */
export async function paymentChannelIfBound(deps: Deps, merchantId: string, name: ChannelName): Promise<PaymentChannel | undefined> {
  if (!deps.payments.configured(name)) return undefined;
  const found = await bindingOf(deps, merchantId, name);
  return found.binding ? deps.payments.bound(found.binding) : undefined;
}
