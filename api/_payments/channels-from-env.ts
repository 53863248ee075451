import { channelRegistry, type PaymentChannels } from './registry';
import { createAlipayChannel } from './alipay/channel';
import { readAlipayPayConfig } from './alipay/config';
import { createWechatPayChannel } from './wechat/channel';
import { readWechatPayConfig } from './wechat/config';

type Env = Record<string, string | undefined>;

/** The platforms whose settings this deployment has; each adapter reads its own variables on first use. */
export function channelsFromEnv(env: Env): PaymentChannels {
  return channelRegistry({
    wechat: () => createWechatPayChannel(readWechatPayConfig(env)),
    alipay: () => createAlipayChannel(readAlipayPayConfig(env)),
  });
}
