import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { averageAfterReceipt, averageAfterReturn } from './costing.js';

export interface StockAndCost {
  onHand: number;
  reserved: number;
  avgCostFen: number;
}

/**
 * Locks the store's level and cost rows of these SKUs, in SKU order as
 * checkout does, and reads them. A SKU never costed in this store starts
 * from its catalog cost, which is what its opening stock was booked at.
 */
export async function lockStockAndCost(trx: Transaction<DB>, merchantId: string, storeId: string, skuIds: readonly string[]): Promise<Map<string, StockAndCost>> {
  const ids = [...new Set(skuIds)].sort();
  const [levels, costs, catalog] = [
    await trx.selectFrom('stock_levels').select(['sku_id', 'on_hand', 'reserved']).where('store_id', '=', storeId).where('sku_id', 'in', ids).orderBy('sku_id').forUpdate().execute(),
    await trx.selectFrom('sku_store_costs').select(['sku_id', 'avg_cost_fen']).where('store_id', '=', storeId).where('sku_id', 'in', ids).orderBy('sku_id').forUpdate().execute(),
    await trx.selectFrom('skus').select(['id', 'cost_fen']).where('merchant_id', '=', merchantId).where('id', 'in', ids).execute(),
  ];
  const result = new Map<string, StockAndCost>();
  for (const id of ids) {
    const level = levels.find((l) => l.sku_id === id);
    const cost = costs.find((c) => c.sku_id === id)?.avg_cost_fen ?? catalog.find((c) => c.id === id)?.cost_fen ?? 0;
    result.set(id, { onHand: level?.on_hand ?? 0, reserved: level?.reserved ?? 0, avgCostFen: cost });
  }
  return result;
}

export interface CostChange {
  skuId: string;
  /** Positive for goods received, negative for goods sent back. */
  qtyDelta: number;
  unitCostFen: number;
}

/** Moves each SKU's moving average by a receipt or a return and appends the change to the history. */
export async function applyCostChanges(
  trx: Transaction<DB>,
  ctx: { merchantId: string; storeId: string; sourceKind: 'purchase_receipt' | 'purchase_return'; sourceId: string; at: Date },
  before: Map<string, StockAndCost>,
  changes: readonly CostChange[],
): Promise<void> {
  for (const c of changes) {
    const b = before.get(c.skuId)!;
    const after = c.qtyDelta > 0 ? averageAfterReceipt(b.onHand, b.avgCostFen, c.qtyDelta, c.unitCostFen) : averageAfterReturn(b.onHand, b.avgCostFen, -c.qtyDelta, c.unitCostFen);
    await trx
      .insertInto('sku_store_costs')
      .values({ merchant_id: ctx.merchantId, store_id: ctx.storeId, sku_id: c.skuId, avg_cost_fen: after, updated_at: ctx.at })
      .onConflict((oc) => oc.columns(['store_id', 'sku_id']).doUpdateSet({ avg_cost_fen: after, updated_at: ctx.at }))
      .execute();
    await trx
      .insertInto('sku_cost_history')
      .values({
        merchant_id: ctx.merchantId,
        store_id: ctx.storeId,
        sku_id: c.skuId,
        source_kind: ctx.sourceKind,
        source_id: ctx.sourceId,
        on_hand_before: b.onHand,
        avg_before_fen: b.avgCostFen,
        qty_delta: c.qtyDelta,
        unit_cost_fen: c.unitCostFen,
        avg_after_fen: after,
      })
      .execute();
  }
}
