import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { audit } from '../_audit/index.js';
import type { Db } from './stock-ops.common.js';

/** A store's minimum and maximum stock per SKU, by SKU id. */
export async function stockLimitsOf(db: Db, storeId: string): Promise<{ sku_id: string; min_qty: number | null; max_qty: number | null }[]> {
  return db.selectFrom('stock_limits').select(['sku_id', 'min_qty', 'max_qty']).where('store_id', '=', storeId).orderBy('sku_id').execute();
}

export interface StockLimitsChange {
  merchantId: string;
  storeId: string;
  staffId: string;
  /** A SKU with neither a minimum nor a maximum has its limits removed. */
  items: { skuId: string; minQty: number | null; maxQty: number | null }[];
}

/**
 * Sets a store's stock limits and audits the change, all in one transaction
 * so the audit never records limits that were not saved. `now` is read for
 * each changed SKU, as each row's update time is the moment it was written.
 */
export async function saveStockLimits(db: Kysely<DB>, change: StockLimitsChange, now: () => Date): Promise<void> {
  const { merchantId, storeId, staffId, items } = change;
  await db.transaction().execute(async (trx) => {
    for (const i of items) {
      if (i.minQty === null && i.maxQty === null) {
        await trx.deleteFrom('stock_limits').where('store_id', '=', storeId).where('sku_id', '=', i.skuId).execute();
        continue;
      }
      await trx
        .insertInto('stock_limits')
        .values({ merchant_id: merchantId, store_id: storeId, sku_id: i.skuId, min_qty: i.minQty, max_qty: i.maxQty, updated_by: staffId })
        .onConflict((oc) => oc.columns(['store_id', 'sku_id']).doUpdateSet({ min_qty: i.minQty, max_qty: i.maxQty, updated_by: staffId, updated_at: now() }))
        .execute();
    }
    await audit(trx, { merchantId, actorId: staffId, action: 'stock.limits', subjectId: storeId, detail: { items } });
  });
}
