import { sql, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { appendMovements } from './stock.repository.js';

/** The transaction-local setting the stock_levels trigger (migration 0025) reads: 'on' lets a level go below zero. */
export const negative_stock_setting = 'guitai.allow_negative_stock';

export interface TakeLine {
  skuId: string;
  qty: number;
}

export interface TakeInput {
  merchantId: string;
  storeId: string;
  lines: TakeLine[];
  /** The business event: movements are keyed `${eventKey}:${skuId}`, so a replay cannot take stock twice. */
  eventKey: string;
  refId: string;
  createdBy: string | null;
  /** Offline sales already happened at the counter: they are kept even below zero, and flagged. */
  allowNegative: boolean;
}

export interface TakeResult {
  /** SKUs whose available stock went below zero (only when allowed). */
  negative: { skuId: string; available: number }[];
}

/**
 * Takes sold goods out of a store. Each SKU's level is decremented by a
 * conditional update that only matches while enough is available, so
 * concurrent checkouts for the last units cannot both succeed: the loser
 * matches no row and the whole order rolls back. SKUs are visited in id
 * order so two orders lock rows in the same order and cannot deadlock.
 */
export async function takeStock(trx: Transaction<DB>, input: TakeInput): Promise<TakeResult> {
  const bySku = new Map<string, number>();
  for (const l of input.lines) bySku.set(l.skuId, (bySku.get(l.skuId) ?? 0) + l.qty);
  const skuIds = [...bySku.keys()].sort();
  const short: { skuId: string; requested: number; available: number }[] = [];
  const negative: TakeResult['negative'] = [];
  if (!input.allowNegative) {
    // One statement: lock the rows in SKU order, then decrement only those with enough available.
    const values = sql.join(skuIds.map((id) => sql`(${id}::text, ${bySku.get(id)!}::int)`));
    const taken = await sql<{ sku_id: string }>`
      with wanted(sku_id, qty) as (values ${values}),
      locked as (
        select l.sku_id from stock_levels l
        where l.store_id = ${input.storeId} and l.sku_id in (select sku_id from wanted)
        order by l.sku_id for update
      )
      update stock_levels l set on_hand = l.on_hand - w.qty
      from wanted w
      where l.store_id = ${input.storeId} and l.sku_id = w.sku_id
        and l.sku_id in (select sku_id from locked)
        and l.on_hand - l.reserved >= w.qty
      returning l.sku_id`.execute(trx);
    const got = new Set(taken.rows.map((r) => r.sku_id));
    for (const skuId of skuIds.filter((id) => !got.has(id))) {
      const level = await trx.selectFrom('stock_levels').select(['on_hand', 'reserved']).where('store_id', '=', input.storeId).where('sku_id', '=', skuId).executeTakeFirst();
      short.push({ skuId, requested: bySku.get(skuId)!, available: level ? level.on_hand - level.reserved : 0 });
    }
  }
  // The database refuses a level below zero unless the write says it is this
  // flagged path; the setting is turned off again at once, so nothing else in
  // the transaction borrows it.
  if (input.allowNegative) await sql`select set_config(${negative_stock_setting}, 'on', true)`.execute(trx);
  for (const skuId of input.allowNegative ? skuIds : []) {
    const qty = bySku.get(skuId)!;
    const row = await trx
      .insertInto('stock_levels')
      .values({ merchant_id: input.merchantId, store_id: input.storeId, sku_id: skuId, on_hand: -qty, reserved: 0 })
      .onConflict((oc) => oc.columns(['store_id', 'sku_id']).doUpdateSet({ on_hand: sql`stock_levels.on_hand - ${qty}` }))
      .returning(['on_hand', 'reserved'])
      .executeTakeFirstOrThrow();
    if (row.on_hand - row.reserved < 0) negative.push({ skuId, available: row.on_hand - row.reserved });
  }
  if (input.allowNegative) await sql`select set_config(${negative_stock_setting}, 'off', true)`.execute(trx);
  if (short.length > 0) {
    throw new AppError('insufficient_stock', `库存不足：${short.map((s) => `${s.skuId} 需要 ${s.requested}，可用 ${s.available}`).join('；')}`);
  }
  await appendMovements(
    trx,
    skuIds.map((skuId) => ({
      merchantId: input.merchantId,
      storeId: input.storeId,
      skuId: skuId,
      kind: 'sale',
      onHandDelta: -bySku.get(skuId)!,
      reservedDelta: 0,
      refId: input.refId,
      idempotencyKey: `${input.eventKey}:${skuId}`,
      createdBy: input.createdBy,
    })),
  );
  return { negative };
}
