import { Client } from '@upstash/qstash';
import type { Deps } from '../_kernel/deps.js';
import { hasDueMessages, runMessageJobs } from './sender.js';

/**
 * Right after a transaction that queued messages commits: with a queue,
 * one `messages` job for the merchant is published (deduplicated per second,
 * in the job catalogue's message shape, api/_jobs/catalogue.ts); without
 * one, the merchant's due messages are sent here without holding up the
 * caller. Whatever happens, the two-minute sweep sends what is left.
 */
export function sendMessagesSoon(deps: Deps, merchantId: string): void {
  void wake(deps, merchantId).catch((e: unknown) =>
    deps.log.warn('member messages: waking the sender failed; the sweep sends them', { merchantId, error: e instanceof Error ? e.message : String(e) }),
  );
}

async function wake(deps: Deps, merchantId: string): Promise<void> {
  // Most paid orders queue no message (no member, or no consent): one indexed read spares them a publish.
  if (!(await hasDueMessages(deps, merchantId))) return;
  const queue = deps.config.queue;
  if (!queue) {
    await runMessageJobs(deps, { merchantId });
    return;
  }
  const slot = deps.clock().toISOString().slice(0, 19).replace(/[-:]/g, '');
  const client = new Client({ baseUrl: queue.url, token: queue.token, devMode: false, enableTelemetry: false, retry: false });
  await client.publishJSON({ url: `${deps.config.publicBaseUrl}/api/jobs/messages`, body: { job: 'messages', merchantId, slot }, deduplicationId: `messages.${merchantId}.${slot}` });
}
