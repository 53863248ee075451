import type { Deps } from '../_kernel/deps.js';
import { AppError } from '../_kernel/errors.js';
import { jobMessage, job_names, type JobMessage, type JobName } from './catalogue.js';
import { performJob, type JobResult } from './run.js';
import { enqueue, messagesFor, runInPlace, sumDetails, jobUrl, type CronName } from './scheduler.js';
import { lastOutcomes, recentFailures, type FailureRow, type LastOutcome } from './outcomes.js';
import { signedByQueue } from './verify.js';
import { Client } from '@upstash/qstash';

/** A delivery's body is one small JSON message; anything larger is not ours. */
export const job_message_bytes_max = 4 * 1024;
/** Dead-letter messages the operator's view lists at most. */
export const job_dlq_page_max = 100;

/**
 * A cron tick: with a queue, one message per merchant is enqueued (a repeat
 * in the same slot enqueues nothing); without one, the same messages run
 * here, one after another, and their answers are added up in the shape the
 * crons always answered.
 */
export async function tick(deps: Deps, cron: CronName): Promise<Record<string, unknown>> {
  const messages = await messagesFor(deps, cron);
  if (deps.config.queue) return { ...(await enqueue(deps, deps.config.queue, messages)) };
  const { failures, results } = await runInPlace(deps, messages);
  if (cron === 'reconcile') {
    const out: Record<string, unknown> = { mode: 'inline', day: messages[0]?.day ?? messages.at(-1)?.slot, runs: [], downloads: [], failures: 0, notificationBodiesCleared: 0 };
    messages.forEach((m, i) => {
      const r = results[i]!;
      if (m.job === 'notification-retention') out.notificationBodiesCleared = (r.detail.cleared as number | undefined) ?? 0;
      else sumDetails(out, { runs: r.detail.runs ?? [], downloads: r.detail.downloads ?? [], failures: typeof r.detail.failures === 'number' ? r.detail.failures : r.ok ? 0 : 1 });
    });
    return out;
  }
  const base: Record<string, unknown> =
    cron === 'payments' ? { queried: 0, settled: 0, closed: 0, refundsSent: 0, refundsChecked: 0, ordersExpired: 0 } : cron === 'release-reservations' ? { orders: 0 } : { expired: 0 };
  for (const r of results) sumDetails(base, r.detail);
  return { mode: 'inline', ...base, failures };
}

/**
 * One delivery from the queue. The signature is checked over the raw bytes
 * before anything else (a bad one runs nothing and writes nothing); then the
 * message is read and its one merchant's work done and recorded.
 */
export async function receive(deps: Deps, p: { job: string; signature: string | undefined; body: string; messageId: string | undefined; retried: string | undefined }): Promise<JobResult> {
  const queue = deps.config.queue;
  if (!p.signature) throw new AppError('unauthenticated', '缺少队列签名（Upstash-Signature）');
  if (!queue) throw new AppError('unavailable', '任务队列未启用', undefined, { detail: 'QSTASH_* are not set' });
  if (!(job_names as readonly string[]).includes(p.job)) throw new AppError('unauthenticated', '队列签名无效');
  const url = jobUrl(deps.config.publicBaseUrl, p.job as JobName);
  if (Buffer.byteLength(p.body) > job_message_bytes_max || !(await signedByQueue(queue, { signature: p.signature, body: p.body, url }))) {
    throw new AppError('unauthenticated', '队列签名无效');
  }
  let message: JobMessage;
  try {
    const parsed = jobMessage.safeParse(JSON.parse(p.body));
    if (!parsed.success || parsed.data.job !== p.job) throw new Error('shape');
    message = parsed.data;
  } catch {
    // Signed but not a message of ours: retrying cannot help, so it is answered 400 and the queue gives up.
    throw new AppError('bad_request', '任务消息格式不对：job、merchantId、channel、day、slot');
  }
  const retried = Number(p.retried ?? 0);
  return performJob(deps, message, { messageId: p.messageId ?? null, attempt: (Number.isInteger(retried) && retried >= 0 ? retried : 0) + 1 });
}

export function merchantJobs(deps: Deps, merchantId: string): Promise<LastOutcome[]> {
  return lastOutcomes(deps.db, merchantId, deps.clock());
}

export interface FailuresView {
  failures: FailureRow[];
  /** The queue's dead-letter list, when there is a queue; an error text if it could not be read. */
  dlq: { messages: unknown[]; error?: string } | null;
}

/** The operator's view: failed attempts across merchants and what the queue gave up on. */
export async function jobFailures(deps: Deps): Promise<FailuresView> {
  const failures = await recentFailures(deps.db, deps.clock());
  const queue = deps.config.queue;
  if (!queue) return { failures, dlq: null };
  try {
    const client = new Client({ baseUrl: queue.url, token: queue.token, devMode: false, enableTelemetry: false, retry: false });
    const page = await client.dlq.listMessages({ count: job_dlq_page_max });
    return { failures, dlq: { messages: page.messages } };
  } catch (e) {
    return { failures, dlq: { messages: [], error: e instanceof Error ? e.message : String(e) } };
  }
}
