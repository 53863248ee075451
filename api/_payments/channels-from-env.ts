import { channelRegistry, type PaymentChannels } from './registry';

type Env = Record<string, string | undefined>;

/** The platforms whose settings this deployment has; each adapter reads its own variables. */
export function channelsFromEnv(_env: Env): PaymentChannels {
  return channelRegistry({});
}
