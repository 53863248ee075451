import { AppError } from '../_kernel/errors.js';
import type { PaymentChannels } from '../_payments/index.js';

/**
 * The payment channels, with the payments module loaded on first need. Its
 * face brings the adapters, zod's schemas and the sales module with it; the
 * function's health check needs none of that, so a cold start leaves it out.
 * The route table waits for `ready()` before it serves a request, so every
 * route finds the channels loaded; until then every call refuses with a 503.
 */
export function deferredChannels(load: () => Promise<PaymentChannels>): PaymentChannels & { ready(): Promise<void> } {
  let loaded: PaymentChannels | undefined;
  let loading: Promise<void> | undefined;
  const ready = () =>
    (loading ??= load().then(
      (channels) => {
        loaded = channels;
      },
      (error: unknown) => {
        // A failed load is not kept, so the next request tries again.
        loading = undefined;
        throw error;
      },
    ));
  const current = () => {
    if (!loaded) throw new AppError('unavailable', '支付功能正在启动，请稍后再试');
    return loaded;
  };
  return {
    ready,
    forMerchant: (deps, merchantId, name) => current().forMerchant(deps, merchantId, name),
    forMerchantIfBound: (deps, merchantId, name) => current().forMerchantIfBound(deps, merchantId, name),
    bound: (binding) => current().bound(binding),
    platform: (name) => current().platform(name),
    configured: (name) => current().configured(name),
    wechatMode: () => current().wechatMode(),
  };
}
