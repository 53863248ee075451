import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/** One line in a payment's or refund's history: append-only, in the same transaction as the change it describes. */
export async function recordPaymentEvent(
  db: Db,
  e: { merchantId: string; paymentId?: string | null; refundId?: string | null; event: string; source: string; actorId?: string | null; detail?: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('payment_events')
    .values({ merchant_id: e.merchantId, payment_id: e.paymentId ?? null, refund_id: e.refundId ?? null, event: e.event, source: e.source, actor_id: e.actorId ?? null, detail: JSON.stringify(e.detail ?? {}) })
    .execute();
}

