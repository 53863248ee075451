import type { Deps } from '../_kernel/deps.js';
import type { ChannelName } from './channel.js';

/** Where a platform sends its notifications: this deployment's public address. */
export function notifyUrl(deps: Deps, channel: ChannelName): string {
  return `${deps.config.publicBaseUrl}/api/pay/${channel}/notify`;
}
