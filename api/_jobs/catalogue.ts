import { z } from 'zod';

/**
 * The jobs a queue message may name, each one merchant's share of a cron's
 * work (the notification retention excepted, which is one global message).
 * `payments`: pending payments queried and settled or closed, refunds sent
 * and checked, splits dispatched, expired orders cancelled (in that order,
 * so an order is never cancelled while its money may be on the way), then
 * shipping information uploaded. `order-expiry`: expired orders alone.
 * `reservations`: customer reservations past their pickup day.
 * `reconcile`: one merchant × channel × day's bill downloaded and reconciled.
 * `messages`: the merchant's due member messages sent (published when a
 * transaction queued some, api/_messages/wake.ts; the payments job sweeps too).
 */
export const job_names = ['payments', 'order-expiry', 'reservations', 'reconcile', 'notification-retention', 'messages'] as const;
export type JobName = (typeof job_names)[number];

/** Ids in this database are at most this long; a message naming a longer one is refused. */
export const job_merchant_id_length_max = 64;

export const jobMessage = z
  .object({
    job: z.enum(job_names),
    merchantId: z.string().min(1).max(job_merchant_id_length_max).optional(),
    channel: z.enum(['wechat', 'alipay']).optional(),
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').optional(),
    slot: z.string().regex(/^[0-9A-Za-z-]{1,20}$/, 'a time slot such as 20261206T1024'),
  })
  .strict()
  .superRefine((m, ctx) => {
    const global = m.job === 'notification-retention';
    if (global !== (m.merchantId === undefined)) ctx.addIssue({ code: 'custom', path: ['merchantId'], message: global ? '该任务不属于某个商户' : '缺少商户' });
    const bill = m.job === 'reconcile';
    if (bill !== (m.channel !== undefined && m.day !== undefined)) ctx.addIssue({ code: 'custom', path: ['channel'], message: bill ? '对账任务需要渠道和日期' : '只有对账任务带渠道和日期' });
  });
export type JobMessage = z.infer<typeof jobMessage>;

/**
 * The message's name: job, merchant, channel and time slot. It is the
 * queue's deduplication id (so a cron tick repeated in the same slot
 * enqueues nothing new) and the key of its outcome record.
 */
export function runKey(m: JobMessage): string {
  return [m.job, m.merchantId, m.channel, m.slot].filter((p) => p !== undefined).join('.');
}

/** A slot: the start of the period `now` falls in, as `YYYYMMDDTHHMM` (UTC). */
export function slotOf(now: Date, periodMs: number): string {
  const start = new Date(Math.floor(now.getTime() / periodMs) * periodMs);
  return start.toISOString().slice(0, 16).replace(/[-:]/g, '');
}
