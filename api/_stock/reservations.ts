import { sql, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { newId } from '../../shared/ids.js';
import { preparedSql } from '../_db/prepared-sql.js';

export interface ReserveInput {
  merchantId: string;
  storeId: string;
  orderId: string;
  lines: { skuId: string; qty: number }[];
  expiresAt: Date;
}

function merge(lines: { skuId: string; qty: number }[]) {
  const bySku = new Map<string, number>();
  for (const l of lines) bySku.set(l.skuId, (bySku.get(l.skuId) ?? 0) + l.qty);
  return [...bySku].sort(([a], [b]) => (a < b ? -1 : 1));
}

/**
 * Holds stock for an unpaid order: reserved goes up only while enough is
 * available, by a conditional update, so holds and sales together never
 * promise more than the shelf has.
 */
export async function reserveStock(trx: Transaction<DB>, r: ReserveInput): Promise<void> {
  for (const [skuId, qty] of merge(r.lines)) {
    const held = await trx
      .updateTable('stock_levels')
      .set({ reserved: sql`reserved + ${qty}` })
      .where('store_id', '=', r.storeId)
      .where('sku_id', '=', skuId)
      .where(sql<boolean>`on_hand - reserved >= ${qty}`)
      .executeTakeFirst();
    if (held.numUpdatedRows !== 1n) throw new AppError('insufficient_stock', `库存不足，无法预留：${skuId} 需要 ${qty}`);
    await trx
      .insertInto('stock_movements')
      .values({ id: newId('movement'), merchant_id: r.merchantId, store_id: r.storeId, sku_id: skuId, kind: 'reserve', on_hand_delta: 0, reserved_delta: qty, ref_id: r.orderId, idempotency_key: `reserve:${r.orderId}:${skuId}` })
      .execute();
    await trx
      .insertInto('stock_reservations')
      .values({ id: newId('movement'), merchant_id: r.merchantId, store_id: r.storeId, order_id: r.orderId, sku_id: skuId, qty, status: 'active', expires_at: r.expiresAt })
      .execute();
  }
}

/**
 * Ends an order's holds, by compare-and-set on each hold's status so a hold
 * ends once however many jobs race: `release` gives the goods back to the
 * shelf, `consume` turns them into a sale.
 */
export async function endReservation(trx: Transaction<DB>, orderId: string, how: 'release' | 'consume', by: string | null): Promise<number> {
  const ended = await preparedSql<{ merchant_id: string; store_id: string; sku_id: string; qty: number }>`update stock_reservations set status = ${how === 'release' ? 'released' : 'consumed'}
    where order_id = ${orderId} and status = 'active'
    returning merchant_id, store_id, sku_id, qty`.execute(trx);
  for (const h of ended.rows.sort((a, b) => (a.sku_id < b.sku_id ? -1 : 1))) {
    const onHand = how === 'consume' ? -h.qty : 0;
    // The level and its movement in one round trip: the movement reads nothing the level's lock guards.
    await preparedSql`with level as (
        update stock_levels set reserved = reserved - ${h.qty}, on_hand = on_hand + ${onHand}
        where store_id = ${h.store_id} and sku_id = ${h.sku_id}
      )
      insert into stock_movements (id, merchant_id, store_id, sku_id, kind, on_hand_delta, reserved_delta, ref_id, idempotency_key, created_by)
      values (${newId('movement')}, ${h.merchant_id}, ${h.store_id}, ${h.sku_id}, ${how === 'release' ? 'release' : 'sale'}, ${onHand}, ${-h.qty}, ${orderId}, ${`${how}:${orderId}:${h.sku_id}`}, ${by})`.execute(trx);
  }
  return ended.rows.length;
}
