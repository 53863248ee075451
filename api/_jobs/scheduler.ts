import { Client } from '@upstash/qstash';
import type { Deps } from '../_kernel/deps.js';
import type { QueueConfig } from '../_kernel/config.js';
import { businessDate } from '../_kernel/clock.js';
import { reconcileDay, reconcileTargets } from '../_reconcile/index.js';
import { runKey, slotOf, type JobMessage, type JobName } from './catalogue.js';
import { merchantIds } from './outcomes.js';
import { performJob, type JobResult } from './run.js';

/** The crons Vercel calls; each becomes messages for the queue. */
export const cron_names = ['payments', 'release-reservations', 'expire-customer-reservations', 'reconcile'] as const;
export type CronName = (typeof cron_names)[number];

/** Each cron's period, which is its messages' slot: a tick repeated within it enqueues nothing new. */
export const cron_period_ms: Record<Exclude<CronName, 'reconcile'>, number> = {
  payments: 2 * 60_000,
  'release-reservations': 60_000,
  'expire-customer-reservations': 3_600_000,
};
const per_merchant_job: Record<Exclude<CronName, 'reconcile'>, JobName> = {
  payments: 'payments',
  'release-reservations': 'order-expiry',
  'expire-customer-reservations': 'reservations',
};

/** Retries the queue makes of a failed message before it goes to the dead-letter list (QStash's default). */
export const job_retries = 3;
/** Publishes in flight at once: a thousand merchants are enqueued in a few seconds, well inside the cron's 30 s. */
export const job_publish_parallelism = 16;

/** One tick's messages: one per merchant, per merchant × channel for yesterday's bills, and the one global retention job. */
export async function messagesFor(deps: Deps, cron: CronName): Promise<JobMessage[]> {
  const now = deps.clock();
  if (cron === 'reconcile') {
    const day = reconcileDay(now);
    const bills = (await reconcileTargets(deps, day)).map((t): JobMessage => ({ job: 'reconcile', merchantId: t.merchantId, channel: t.channel, day, slot: day }));
    return [...bills, { job: 'notification-retention', slot: businessDate(now) }];
  }
  const slot = slotOf(now, cron_period_ms[cron]);
  return (await merchantIds(deps.db)).map((merchantId) => ({ job: per_merchant_job[cron], merchantId, slot }));
}

/** Where the queue delivers a job: this deployment's own route, by its public address. */
export function jobUrl(publicBaseUrl: string, job: JobName): string {
  return `${publicBaseUrl}/api/jobs/${job}`;
}

export interface EnqueueSummary {
  mode: 'queue';
  messages: number;
  enqueued: number;
  deduplicated: number;
}

/**
 * Publishes each message to QStash with its run key as the deduplication id.
 * The client is told its base URL and token outright and never dev mode, so
 * it neither downloads QStash's dev server nor guesses from QSTASH_DEV.
 */
export async function enqueue(deps: Deps, queue: QueueConfig, messages: JobMessage[]): Promise<EnqueueSummary> {
  const client = new Client({ baseUrl: queue.url, token: queue.token, devMode: false, enableTelemetry: false });
  const summary: EnqueueSummary = { mode: 'queue', messages: messages.length, enqueued: 0, deduplicated: 0 };
  let next = 0;
  const worker = async () => {
    while (next < messages.length) {
      const m = messages[next++]!;
      const r = await client.publishJSON({ url: jobUrl(deps.config.publicBaseUrl, m.job), body: m, deduplicationId: runKey(m), retries: job_retries });
      if ((r as { deduplicated?: boolean }).deduplicated) summary.deduplicated++;
      else summary.enqueued++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(job_publish_parallelism, messages.length) }, worker));
  return summary;
}

/**
 * Without a queue (a single shop's deployment, or a test of the work itself)
 * each message is run here, one after another, recorded as the queue's
 * deliveries are; the answers are added up into one.
 */
export async function runInPlace(deps: Deps, messages: JobMessage[]): Promise<{ mode: 'inline'; failures: number; results: JobResult[] }> {
  const results: JobResult[] = [];
  for (const m of messages) results.push(await performJob(deps, m, { messageId: null, attempt: 1 }));
  return { mode: 'inline', failures: results.filter((r) => !r.ok).length, results };
}

/** Adds answers up: numbers summed, lists joined, objects merged field by field. */
export function sumDetails(into: Record<string, unknown>, from: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(from)) {
    const have = into[k];
    if (typeof v === 'number') into[k] = (typeof have === 'number' ? have : 0) + v;
    else if (Array.isArray(v)) into[k] = [...(Array.isArray(have) ? have : []), ...v];
    else if (v && typeof v === 'object') into[k] = sumDetails(have && typeof have === 'object' ? (have as Record<string, unknown>) : {}, v as Record<string, unknown>);
    else if (!(k in into)) into[k] = v;
  }
  return into;
}
