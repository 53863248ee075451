import { sql, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { StockMovementKind } from './tables.js';
import { newId } from '../../shared/ids.js';

export interface MovementInput {
  merchantId: string;
  storeId: string;
  skuId: string;
  kind: StockMovementKind;
  onHandDelta: number;
  reservedDelta?: number;
  refId?: string | null;
  /** Unique per business event, so a repeated event cannot move stock twice. */
  idempotencyKey: string;
  createdBy?: string | null;
}

export const movements_per_batch_max = 1000;

/**
 * Appends movements to the ledger and adds them to the running levels in the
 * same transaction, by the same deltas the ledger records, so on hand always
 * equals the sum of the movements. The conditional takes and holds of this
 * module change levels themselves and then call appendMovements.
 */
export async function recordMovements(trx: Transaction<DB>, movements: MovementInput[]): Promise<void> {
  if (movements.length === 0) return;
  if (movements.length > movements_per_batch_max) throw new RangeError(`at most ${movements_per_batch_max} movements per batch`);
  await appendMovements(trx, movements);
  // One upsert per store × SKU, with the deltas summed, keeps the row locks few and ordered.
  const sums = new Map<string, { m: MovementInput; onHand: number; reserved: number }>();
  for (const m of movements) {
    const key = `${m.storeId}|${m.skuId}`;
    const s = sums.get(key) ?? { m, onHand: 0, reserved: 0 };
    s.onHand += m.onHandDelta;
    s.reserved += m.reservedDelta ?? 0;
    sums.set(key, s);
  }
  const rows = [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, s]) => s);
  await trx
    .insertInto('stock_levels')
    .values(rows.map((s) => ({ merchant_id: s.m.merchantId, store_id: s.m.storeId, sku_id: s.m.skuId, on_hand: s.onHand, reserved: s.reserved })))
    .onConflict((oc) =>
      oc.columns(['store_id', 'sku_id']).doUpdateSet({
        on_hand: sql`stock_levels.on_hand + excluded.on_hand`,
        reserved: sql`stock_levels.reserved + excluded.reserved`,
      }),
    )
    .execute();
}

/**
 * Appends movements to the ledger only, for the callers that have already
 * changed the levels by a conditional update (a sale's take, a transfer's
 * shipment, a reservation's hold and release): they must not move the levels
 * a second time. Everyone else calls recordMovements.
 */
export async function appendMovements(trx: Transaction<DB>, movements: readonly MovementInput[]): Promise<void> {
  if (movements.length === 0) return;
  await trx
    .insertInto('stock_movements')
    .values(
      movements.map((m) => ({
        id: newId('movement'),
        merchant_id: m.merchantId,
        store_id: m.storeId,
        sku_id: m.skuId,
        kind: m.kind,
        on_hand_delta: m.onHandDelta,
        reserved_delta: m.reservedDelta ?? 0,
        ref_id: m.refId ?? null,
        idempotency_key: m.idempotencyKey,
        created_by: m.createdBy ?? null,
      })),
    )
    .execute();
}
