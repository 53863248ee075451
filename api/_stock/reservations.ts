import { sql, type Transaction } from 'kysely';
import type { DB } from '../_db/schema';
import { AppError } from '../_http/errors';
import { newId } from '../../shared/ids';

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
  const ended = await trx
    .updateTable('stock_reservations')
    .set({ status: how === 'release' ? 'released' : 'consumed' })
    .where('order_id', '=', orderId)
    .where('status', '=', 'active')
    .returning(['merchant_id', 'store_id', 'sku_id', 'qty'])
    .execute();
  for (const h of ended.sort((a, b) => (a.sku_id < b.sku_id ? -1 : 1))) {
    const onHand = how === 'consume' ? -h.qty : 0;
    await trx
      .updateTable('stock_levels')
      .set({ reserved: sql`reserved - ${h.qty}`, on_hand: sql`on_hand + ${onHand}` })
      .where('store_id', '=', h.store_id)
      .where('sku_id', '=', h.sku_id)
      .execute();
    await trx
      .insertInto('stock_movements')
      .values({
        id: newId('movement'),
        merchant_id: h.merchant_id,
        store_id: h.store_id,
        sku_id: h.sku_id,
        kind: how === 'release' ? 'release' : 'sale',
        on_hand_delta: onHand,
        reserved_delta: -h.qty,
        ref_id: orderId,
        idempotency_key: `${how}:${orderId}:${h.sku_id}`,
        created_by: by,
      })
      .execute();
  }
  return ended.length;
}
