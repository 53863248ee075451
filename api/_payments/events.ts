import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { newId } from '../../shared/ids.js';

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

/**
 * Something the owner must look at (a notification whose amount differs, a
 * payment for an order already closed, a refund the platform refused). The
 * dedupe key keeps twenty copies of one notification to one alert.
 */
export async function raiseAlert(
  db: Db,
  a: { merchantId: string; storeId?: string | null; kind: string; subjectId?: string | null; message: string; detail?: Record<string, unknown>; dedupeKey: string },
): Promise<void> {
  await db
    .insertInto('owner_alerts')
    .values({ id: newId('alert'), merchant_id: a.merchantId, store_id: a.storeId ?? null, kind: a.kind, subject_id: a.subjectId ?? null, message: a.message, detail: JSON.stringify(a.detail ?? {}), dedupe_key: a.dedupeKey })
    .onConflict((oc) => oc.columns(['merchant_id', 'dedupe_key']).doNothing())
    .execute();
}
