import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';

/** Pieces on hand now per SKU, summed over the given stores, for reports that show stock beside sales. */
export async function onHandBySku(db: Kysely<DB>, storeIds: readonly string[], skuIds: readonly string[]): Promise<Map<string, number>> {
  if (storeIds.length === 0 || skuIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('stock_levels')
    .select(['sku_id', 'on_hand'])
    .where('store_id', 'in', [...storeIds])
    .where('sku_id', 'in', [...skuIds])
    .execute();
  const out = new Map<string, number>();
  // A store that oversold (offline) holds no negative value: each store counts from zero.
  for (const r of rows) out.set(r.sku_id, (out.get(r.sku_id) ?? 0) + Math.max(0, Number(r.on_hand)));
  return out;
}
