import { channelRegistry, type PaymentChannels } from './registry.js';
import { createAlipayChannel } from './alipay/channel.js';
import { readAlipayPayConfig } from './alipay/config.js';
import { createWechatPayChannel } from './wechat/channel.js';
import { readWechatPayConfig } from './wechat/config.js';

type Env = Record<string, string | undefined>;

/** The platforms whose settings this deployment has; each adapter reads its own variables on first use. */
export function channelsFromEnv(env: Env): PaymentChannels {
  return channelRegistry({
    wechat: () => createWechatPayChannel(readWechatPayConfig(env)),
    alipay: () => createAlipayChannel(readAlipayPayConfig(env)),
  });
}
