import { sql, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { appendMovements } from './stock.repository.js';

export interface HoldLine {
  skuId: string;
  qty: number;
}

/**
 * A customer reservation's holds on the shelf (预约库存). Stock levels and
 * movements are this module's tables: the reservations module decides what
 * to hold and when to let go, and calls these.
 *
 * Holds a reservation's goods on the shelf: each SKU's reserved count goes up
 * only by a conditional update that matches while enough is available (the
 * pattern of api/_stock/reservations.ts), so holds, order holds and sales
 * together never promise more than the store has. SKUs in id order, so two
 * requests lock rows in the same order. Every SKU short is named at once.
 */
export async function holdStock(trx: Transaction<DB>, h: { merchantId: string; storeId: string; reservationId: string; lines: HoldLine[]; by: string | null }): Promise<void> {
  const lines = [...h.lines].sort((a, b) => (a.skuId < b.skuId ? -1 : 1));
  const short: string[] = [];
  for (const l of lines) {
    const held = await trx
      .updateTable('stock_levels')
      .set({ reserved: sql`reserved + ${l.qty}` })
      .where('store_id', '=', h.storeId)
      .where('sku_id', '=', l.skuId)
      .where('merchant_id', '=', h.merchantId)
      .where(sql<boolean>`on_hand - reserved >= ${l.qty}`)
      .executeTakeFirst();
    if (held.numUpdatedRows !== 1n) {
      const level = await trx.selectFrom('stock_levels').select(['on_hand', 'reserved']).where('store_id', '=', h.storeId).where('sku_id', '=', l.skuId).executeTakeFirst();
      short.push(`${l.skuId} 需要 ${l.qty}，可用 ${level ? Math.max(0, level.on_hand - level.reserved) : 0}`);
    }
  }
  // The transaction rolls back on this throw, so no hold of this reservation survives a shortfall.
  if (short.length > 0) throw new AppError('insufficient_stock', `库存不足，无法预约：${short.join('；')}`);
  await appendMovements(
    trx,
    lines.map((l) => ({
      merchantId: h.merchantId,
      storeId: h.storeId,
      skuId: l.skuId,
      kind: 'reserve',
      onHandDelta: 0,
      reservedDelta: l.qty,
      refId: h.reservationId,
      idempotencyKey: `rsv-hold:${h.reservationId}:${l.skuId}`,
      createdBy: h.by,
    })),
  );
}

/**
 * Gives a reservation's holds back to the shelf. Called only after the
 * reservation's own compare-and-set from 'active' succeeded, so it runs once
 * per reservation; the movement keys make a second run fail loudly rather
 * than release twice.
 */
export async function releaseHolds(trx: Transaction<DB>, r: { merchantId: string; storeId: string; reservationId: string; by: string | null; lines: readonly HoldLine[] }): Promise<void> {
  // SKUs in id order, as holdStock takes them, so two transactions lock rows in the same order.
  const lines = [...r.lines].sort((a, b) => (a.skuId < b.skuId ? -1 : 1));
  for (const l of lines) {
    await trx
      .updateTable('stock_levels')
      .set({ reserved: sql`reserved - ${l.qty}` })
      .where('store_id', '=', r.storeId)
      .where('sku_id', '=', l.skuId)
      .execute();
  }
  await appendMovements(
    trx,
    lines.map((l) => ({
      merchantId: r.merchantId,
      storeId: r.storeId,
      skuId: l.skuId,
      kind: 'release',
      onHandDelta: 0,
      reservedDelta: -l.qty,
      refId: r.reservationId,
      idempotencyKey: `rsv-release:${r.reservationId}:${l.skuId}`,
      createdBy: r.by,
    })),
  );
}

/**
 * Hands held goods over as a gift (the points mall): each SKU's hold ends and
 * its units leave the shelf, as one `gift_out` movement per SKU that moves
 * both on hand and reserved. Called only after the caller's own
 * compare-and-set to handed-over succeeded, so it runs once per hold; the
 * movement keys make a second run fail loudly rather than take twice.
 */
export async function handOverHolds(trx: Transaction<DB>, r: { merchantId: string; storeId: string; holdId: string; by: string | null; lines: readonly HoldLine[] }): Promise<void> {
  const lines = [...r.lines].sort((a, b) => (a.skuId < b.skuId ? -1 : 1));
  for (const l of lines) {
    await trx
      .updateTable('stock_levels')
      .set({ reserved: sql`reserved - ${l.qty}`, on_hand: sql`on_hand - ${l.qty}` })
      .where('store_id', '=', r.storeId)
      .where('sku_id', '=', l.skuId)
      .execute();
  }
  await appendMovements(
    trx,
    lines.map((l) => ({
      merchantId: r.merchantId,
      storeId: r.storeId,
      skuId: l.skuId,
      kind: 'gift_out',
      onHandDelta: -l.qty,
      reservedDelta: -l.qty,
      refId: r.holdId,
      idempotencyKey: `gift-out:${r.holdId}:${l.skuId}`,
      createdBy: r.by,
    })),
  );
}
