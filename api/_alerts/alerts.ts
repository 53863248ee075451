import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { newId } from '../../shared/ids.js';

type Db = Kysely<DB> | Transaction<DB>;

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

/** Open alerts the person may see: the merchant's own, and those of the stores they work in. */
export async function openAlerts(db: Db, merchantId: string, storeIds: readonly string[], limit: number) {
  return db
    .selectFrom('owner_alerts')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('resolved_at', 'is', null)
    .where((eb) => eb.or([eb('store_id', 'is', null), eb('store_id', 'in', storeIds.length > 0 ? [...storeIds] : ['-'])]))
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Marks an open alert resolved, once; false when there was no such open alert. */
export async function resolveAlert(db: Db, merchantId: string, alertId: string, by: string, at: Date): Promise<boolean> {
  const done = await db.updateTable('owner_alerts').set({ resolved_at: at, resolved_by: by }).where('id', '=', alertId).where('merchant_id', '=', merchantId).where('resolved_at', 'is', null).executeTakeFirst();
  return done.numUpdatedRows === 1n;
}
