import { sql } from 'kysely';
import { expect } from 'vitest';
import type { TestApi } from '../_support/api-harness';
import { orderId } from '../_support/selling';
import { recordMovements } from '../../api/_stock/stock.repository';
import { newId } from '../../shared/ids';

/** Starting an API on PGlite (migrate and seed) can take long on a loaded two-core machine. */
export const suite_setup_timeout_ms = 180_000;
/** The random walk makes a few hundred requests. */
export const property_test_timeout_ms = 180_000;

export interface DemoSku {
  id: string;
  barcode: string;
  costFen: number;
  retailPriceFen: number;
  categoryId: string;
}

/** The demo SKUs in barcode order, the order the seed made them. */
export async function demoSkus(api: TestApi, n: number): Promise<DemoSku[]> {
  const rows = await api.deps.db
    .selectFrom('skus')
    .innerJoin('products', 'products.id', 'skus.product_id')
    .select(['skus.id', 'skus.barcode', 'skus.cost_fen', 'skus.retail_price_fen', 'products.category_id'])
    .where('skus.merchant_id', '=', api.seed.merchantId)
    .orderBy('skus.barcode')
    .limit(n)
    .execute();
  return rows.map((r) => ({ id: r.id, barcode: r.barcode, costFen: r.cost_fen, retailPriceFen: r.retail_price_fen, categoryId: r.category_id }));
}

/** A manager assigned to one store, signed in through the sandbox like everyone else. */
export async function addManager(api: TestApi, storeCode: string, openId: string): Promise<string> {
  const id = newId('staff');
  await api.deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('staff').values({ id, merchant_id: api.seed.merchantId, name: `${storeCode}店长`, role: 'manager' }).execute();
    await trx.insertInto('staff_stores').values({ merchant_id: api.seed.merchantId, staff_id: id, store_id: api.seed.storeIds[storeCode]! }).execute();
    await trx.insertInto('staff_identities').values({ platform: 'wechat', open_id: openId, staff_id: id }).execute();
  });
  return api.staffToken(openId);
}

export async function level(api: TestApi, storeId: string, skuId: string): Promise<{ onHand: number; reserved: number }> {
  const row = await api.deps.db.selectFrom('stock_levels').select(['on_hand', 'reserved']).where('store_id', '=', storeId).where('sku_id', '=', skuId).executeTakeFirst();
  return { onHand: row?.on_hand ?? 0, reserved: row?.reserved ?? 0 };
}

/** Puts a SKU's on-hand at exactly `qty` with an adjustment movement, so tests start from known figures. */
export async function setStock(api: TestApi, storeId: string, skuId: string, qty: number): Promise<void> {
  const now = await level(api, storeId, skuId);
  if (now.onHand === qty) return;
  await api.deps.db.transaction().execute((trx) =>
    recordMovements(trx, [{ merchantId: api.seed.merchantId, storeId, skuId, kind: 'adjustment', onHandDelta: qty - now.onHand, idempotencyKey: `test:set:${newId('request')}` }]),
  );
}

export async function sell(api: TestApi, token: string, storeId: string, sku: DemoSku, qty: number) {
  return api.call('POST', '/api/orders', {
    token,
    body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty }], tenders: [{ method: 'cash', amountFen: sku.retailPriceFen * qty }], expectedTotalFen: sku.retailPriceFen * qty },
  });
}

export async function accountBalance(api: TestApi, account: string, storeId?: string): Promise<number> {
  let q = api.deps.db
    .selectFrom('journal_lines as l')
    .innerJoin('journal_entries as e', 'e.id', 'l.entry_id')
    .select([sql<number>`coalesce(sum(l.debit_fen), 0)::bigint`.as('d'), sql<number>`coalesce(sum(l.credit_fen), 0)::bigint`.as('c')])
    .where('l.merchant_id', '=', api.seed.merchantId)
    .where('l.account', '=', account);
  if (storeId) q = q.where('e.store_id', '=', storeId);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.d) - Number(row.c);
}

/**
 * The stock operations' own invariants, each computed two ways: in transit per
 * line is shipped − received − written off and never negative, the
 * in-transit account's balance is that quantity at the unit cost fixed on
 * shipping, and the movements of each transfer add up to what its lines say.
 */
export async function checkStockOps(api: TestApi) {
  const db = api.deps.db;
  const lines = await db
    .selectFrom('stock_transfer_lines as l')
    .innerJoin('stock_transfers as t', 't.id', 'l.transfer_id')
    .select(['l.transfer_id', 'l.sku_id', 't.status', 't.from_store_id', 't.to_store_id', 'l.shipped_qty', 'l.received_qty', 'l.written_off_qty', 'l.unit_cost_fen'])
    .execute();
  const moves = await db.selectFrom('stock_movements').select(['ref_id', 'sku_id', 'store_id', 'kind', 'on_hand_delta']).where('kind', 'in', ['transfer_out', 'transfer_in']).execute();
  let inTransitFen = 0;
  let negativeInTransit = 0;
  let movementMismatch = 0;
  let openWhenClosed = 0;
  for (const l of lines) {
    const inTransit = (l.shipped_qty ?? 0) - (l.received_qty ?? 0) - l.written_off_qty;
    if (inTransit < 0) negativeInTransit++;
    if (inTransit !== 0 && ['requested', 'received', 'written_off', 'cancelled'].includes(l.status)) openWhenClosed++;
    inTransitFen += inTransit * (l.unit_cost_fen ?? 0);
    const out = moves.filter((m) => m.ref_id === l.transfer_id && m.sku_id === l.sku_id && m.kind === 'transfer_out' && m.store_id === l.from_store_id).reduce((s, m) => s - m.on_hand_delta, 0);
    const inn = moves.filter((m) => m.ref_id === l.transfer_id && m.sku_id === l.sku_id && m.kind === 'transfer_in' && m.store_id === l.to_store_id).reduce((s, m) => s + m.on_hand_delta, 0);
    if (out !== (l.shipped_qty ?? 0) || inn !== (l.received_qty ?? 0)) movementMismatch++;
  }
  return {
    negativeInTransit,
    openWhenClosed,
    movementMismatch,
    inTransitBookedMinusCounted: (await accountBalance(api, 'inventory_in_transit')) - inTransitFen,
  };
}

export const stockOpsHold = { negativeInTransit: 0, openWhenClosed: 0, movementMismatch: 0, inTransitBookedMinusCounted: 0 };

export function expectStatus(res: { status: number; body: any }, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
}
