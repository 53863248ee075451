import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { newId } from '../../shared/ids.js';
import type { Db } from './stock-ops.common.js';

export interface BatchInput {
  merchantId: string;
  storeId: string;
  skuId: string;
  batchNo: string;
  /** YYYY-MM-DD. */
  expiresOn: string;
  qty: number;
  /** The receiving event, e.g. `po_receipt:<receiptId>:<skuId>`: a repeat adds nothing. */
  idempotencyKey: string;
  createdBy: string | null;
}

export interface BatchRecorded {
  batchId: string;
  /** False when this event had been recorded before with the same content. */
  created: boolean;
}

export async function isBatchTracked(db: Db, merchantId: string, skuId: string): Promise<boolean> {
  return (await db.selectFrom('batch_tracked_skus').select('sku_id').where('merchant_id', '=', merchantId).where('sku_id', '=', skuId).executeTakeFirst()) !== undefined;
}

/**
 * Adds a received quantity to a batch of a batch-tracked SKU, creating the
 * batch on its first arrival. For other modules (receiving goods) to call in
 * their own transaction. A batch number keeps one expiry date: the same
 * number with another date is refused rather than merged.
 */
export async function recordBatch(trx: Transaction<DB>, b: BatchInput): Promise<BatchRecorded> {
  if (!(await isBatchTracked(trx, b.merchantId, b.skuId))) throw new AppError('validation_failed', `商品 ${b.skuId} 未开启批次管理`, [{ path: 'skuId', message: 'not batch-tracked' }]);
  const batch = await trx
    .insertInto('stock_batches')
    .values({ id: newId('batch'), merchant_id: b.merchantId, store_id: b.storeId, sku_id: b.skuId, batch_no: b.batchNo, expires_on: b.expiresOn, qty: 0 })
    .onConflict((oc) => oc.columns(['store_id', 'sku_id', 'batch_no']).doUpdateSet({ batch_no: b.batchNo }))
    .returning(['id', 'expires_on'])
    .executeTakeFirstOrThrow();
  const expires = dayOf(batch.expires_on);
  if (expires !== b.expiresOn) throw new AppError('conflict', `批次 ${b.batchNo} 已登记的到期日是 ${expires}，与 ${b.expiresOn} 不同`);
  const rec = await trx
    .insertInto('stock_batch_records')
    .values({ merchant_id: b.merchantId, idempotency_key: b.idempotencyKey, batch_id: batch.id, qty: b.qty, created_by: b.createdBy })
    .onConflict((oc) => oc.columns(['merchant_id', 'idempotency_key']).doNothing())
    .returning('batch_id')
    .executeTakeFirst();
  if (!rec) {
    const before = await trx.selectFrom('stock_batch_records').select(['batch_id', 'qty']).where('merchant_id', '=', b.merchantId).where('idempotency_key', '=', b.idempotencyKey).executeTakeFirstOrThrow();
    if (before.batch_id !== batch.id || before.qty !== b.qty) throw new AppError('idempotency_mismatch', `批次登记 ${b.idempotencyKey} 已存在且内容不同`);
    return { batchId: batch.id, created: false };
  }
  await trx.updateTable('stock_batches').set((eb) => ({ qty: eb('qty', '+', b.qty) })).where('id', '=', batch.id).execute();
  return { batchId: batch.id, created: true };
}

/** Marks a SKU of the merchant as tracked by batch, or no longer tracked; marking it twice changes nothing. */
export async function setBatchTracked(db: Db, merchantId: string, skuId: string, tracked: boolean): Promise<void> {
  if (tracked) await db.insertInto('batch_tracked_skus').values({ merchant_id: merchantId, sku_id: skuId }).onConflict((oc) => oc.doNothing()).execute();
  else await db.deleteFrom('batch_tracked_skus').where('merchant_id', '=', merchantId).where('sku_id', '=', skuId).execute();
}

/** One batch by id; it throws when there is none, as the caller has just recorded it. */
export async function batchById(db: Db, batchId: string) {
  return db.selectFrom('stock_batches').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow();
}

/** The batches a store still holds, soonest to expire first, at most 500. */
export async function batchesInStore(db: Db, merchantId: string, storeId: string) {
  return db.selectFrom('stock_batches').selectAll().where('store_id', '=', storeId).where('merchant_id', '=', merchantId).where('qty', '>', 0).orderBy('expires_on').limit(500).execute();
}

/** `date` columns come back as a Date from some drivers and as text from others. */
export function dayOf(value: string | Date): string {
  if (typeof value === 'string') return value.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}
