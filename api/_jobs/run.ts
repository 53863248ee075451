import type { Deps } from '../_kernel/deps.js';
import { dropOldNotificationBodies, refreshDueAlipayTokens, runPaymentJobs } from '../_payments/index.js';
import { expireOpenOrders } from '../_sales/index.js';
import { expireDue } from '../_reservations/index.js';
import { runShippingJobs } from '../_shipping/index.js';
import { reconcileMerchantDay } from '../_reconcile/index.js';
import { runMessageJobs } from '../_messages/index.js';
import { noticeExpiringCoupons } from '../_coupons/index.js';
import { runKey, type JobMessage } from './catalogue.js';
import { recordRun } from './outcomes.js';

/**
 * The longest one message's work may take before it is answered as failed:
 * under the function's 30 s (vercel.json maxDuration), so the answer and its
 * record get out before the platform stops the function. Work left running
 * is harmless: every step is a compare-and-set, and the retry does the rest.
 */
export const job_message_ms_max = 25_000;

export interface JobResult {
  ok: boolean;
  detail: Record<string, unknown>;
  error?: string;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** One message's work: only the merchant it names is touched. */
async function work(deps: Deps, m: JobMessage): Promise<JobResult> {
  const now = deps.clock();
  switch (m.job) {
    case 'payments': {
      const payments = await runPaymentJobs(deps, { merchantId: m.merchantId! });
      let shipping;
      try {
        shipping = await runShippingJobs(deps, { merchantId: m.merchantId! });
      } catch (e) {
        // The payments are done; the shipping upload is retried with the message.
        return { ok: false, detail: { ...payments }, error: `shipping: ${errorText(e)}` };
      }
      try {
        // The coupon-expiring reminders are queued just before the sender runs, so they go out in this same run.
        const expiringCoupons = await noticeExpiringCoupons(deps.db, { merchantId: m.merchantId!, now });
        // The member messages' sweep (#17) rides on the same two-minute rhythm, as shipping does.
        const messages = await runMessageJobs(deps, { merchantId: m.merchantId! });
        return { ok: true, detail: { ...payments, shipping, expiringCoupons, messages } };
      } catch (e) {
        return { ok: false, detail: { ...payments, shipping }, error: `messages: ${errorText(e)}` };
      }
    }
    case 'messages':
      return { ok: true, detail: { ...(await runMessageJobs(deps, { merchantId: m.merchantId! })) } };
    case 'order-expiry':
      return { ok: true, detail: await expireOpenOrders(deps.db, now, m.merchantId!) };
    case 'reservations':
      return { ok: true, detail: await expireDue(deps.db, now, m.merchantId!) };
    case 'reconcile': {
      const r = await reconcileMerchantDay(deps, { merchantId: m.merchantId!, channel: m.channel!, day: m.day! });
      return { ok: r.failures === 0, detail: { runs: r.runs, downloads: r.downloads, failures: r.failures }, ...(r.error ? { error: r.error } : {}) };
    }
    case 'notification-retention': {
      const retention = await dropOldNotificationBodies(deps.db, now);
      // The one nightly message for the whole deployment also refreshes the Alipay
      // authorisations nearing expiry (#18), so a merchant's token never runs out
      // between two of its own payments. In direct mode there is nothing to refresh.
      const alipayTokens = await refreshDueAlipayTokens(deps);
      const failed = alipayTokens.failed > 0 ? { error: `${alipayTokens.failed} Alipay authorisations could not be refreshed` } : {};
      return { ok: alipayTokens.failed === 0, detail: { ...retention, alipayTokens }, ...failed };
    }
  }
}

/**
 * Runs one message within `job_message_ms_max` and records the attempt in
 * `job_runs`. Never throws for the work: a failure comes back as `ok: false`
 * (the queue route answers it with a 5xx so the queue retries).
 */
export async function performJob(deps: Deps, m: JobMessage, delivery: { messageId: string | null; attempt: number }): Promise<JobResult> {
  const startedAt = deps.clock();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<JobResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: {}, error: `timed out after ${job_message_ms_max / 1000} s (job_message_ms_max)` }), job_message_ms_max);
  });
  let result: JobResult;
  try {
    result = await Promise.race([work(deps, m), timedOut]);
  } catch (e) {
    result = { ok: false, detail: {}, error: errorText(e) };
  } finally {
    clearTimeout(timer);
  }
  const durationMs = performance.now() - started;
  if (!result.ok) deps.log.warn('job failed', { job: m.job, merchantId: m.merchantId, slot: m.slot, attempt: delivery.attempt, error: result.error });
  await recordRun(deps.db, {
    runKey: runKey(m),
    attempt: delivery.attempt,
    job: m.job,
    merchantId: m.merchantId ?? null,
    slot: m.slot,
    messageId: delivery.messageId,
    outcome: result.ok ? 'ok' : 'failed',
    startedAt,
    durationMs,
    error: result.ok ? null : (result.error ?? 'failed'),
    detail: result.detail,
  });
  return result;
}
