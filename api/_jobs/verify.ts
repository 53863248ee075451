import { Receiver } from '@upstash/qstash';
import type { QueueConfig } from '../_kernel/config.js';

/**
 * Whether a delivery carries QStash's signature over exactly these bytes and
 * this destination: tried with the current key, then the next (a rotation
 * in progress), by the SDK's own Receiver. `devMode: false` so the SDK never
 * swaps in its public development keys.
 */
export async function signedByQueue(queue: QueueConfig, p: { signature: string; body: string; url: string }): Promise<boolean> {
  const receiver = new Receiver({ currentSigningKey: queue.currentSigningKey, nextSigningKey: queue.nextSigningKey, devMode: false });
  try {
    return await receiver.verify({ signature: p.signature, body: p.body, url: p.url });
  } catch {
    return false;
  }
}
