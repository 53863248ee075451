import { z } from 'zod';
import { checkoutRequest, orderView } from './orders.js';

/** One sync request carries at most this many outbox orders; the outbox sends the rest in later batches. */
export const sync_batch_orders_max = 50;

export const syncRequest = z.strictObject({
  deviceId: z.string().trim().min(1).max(64),
  orders: z.array(checkoutRequest).min(1).max(sync_batch_orders_max),
});
export type SyncRequest = z.infer<typeof syncRequest>;

/**
 * Each order's outcome: `applied` now, `replayed` (it had arrived before,
 * e.g. in a batch cut off mid-way), or `rejected` with the reason (a bad
 * request the outbox must show the assistant rather than resend).
 */
export const syncResult = z.discriminatedUnion('outcome', [
  z.object({ clientOrderId: z.string(), outcome: z.literal('applied'), order: orderView }),
  z.object({ clientOrderId: z.string(), outcome: z.literal('replayed'), order: orderView }),
  z.object({ clientOrderId: z.string(), outcome: z.literal('rejected'), error: z.object({ code: z.string(), message: z.string() }) }),
]);
export type SyncResult = z.infer<typeof syncResult>;

export const syncResponse = z.object({ results: z.array(syncResult) });
export type SyncResponse = z.infer<typeof syncResponse>;
