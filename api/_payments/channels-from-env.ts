import { channelRegistry, type PaymentChannels, type WechatDeploymentMode } from './registry.js';
import { createAlipayChannel } from './alipay/channel.js';
import { readAlipayPayConfig, type AlipayPayConfig } from './alipay/config.js';
import { createWechatPayChannel } from './wechat/channel.js';
import { readWechatPayConfig, wechatModeFromEnv, type WechatPayConfig } from './wechat/config.js';

type Env = Record<string, string | undefined>;

/** Reads a config once (its keys are parsed then) and keeps it; a failed read is tried again next time. */
function once<T>(read: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= read());
}

/**
 * The platforms whose settings this deployment has; each adapter reads its
 * own variables on first use, then makes one channel per merchant binding.
 */
export function channelsFromEnv(env: Env): PaymentChannels {
  const wechatMode: WechatDeploymentMode = wechatModeFromEnv(env);
  const wechatConfig = once<WechatPayConfig>(() => readWechatPayConfig(env));
  const alipayConfig = once<AlipayPayConfig>(() => readAlipayPayConfig(env));
  return channelRegistry(
    {
      wechat: (binding) => createWechatPayChannel(wechatConfig(), binding),
      // An isv binding makes every call with the merchant's app_auth_token; null is the merchant-less channel that only reads notifications.
      alipay: (binding) => createAlipayChannel(alipayConfig(), binding?.channel === 'alipay' ? binding : null),
    },
    { wechatMode },
  );
}
