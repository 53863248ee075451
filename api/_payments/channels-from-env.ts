import { channelRegistry, type PaymentChannels } from './registry';
import { createAlipayChannel } from './alipay/channel';
import { readAlipayPayConfig } from './alipay/config';

type Env = Record<string, string | undefined>;

/** The platforms whose settings this deployment has; each adapter reads its own variables on first use. */
export function channelsFromEnv(env: Env): PaymentChannels {
  return channelRegistry({
    alipay: () => createAlipayChannel(readAlipayPayConfig(env)),
  });
}
