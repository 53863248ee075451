import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { assertStoreAccess } from '../_identity/index.js';
import { specLabel } from '../../shared/spec-label.js';
import { appendMovements } from './stock.repository.js';

export type Db = Kysely<DB> | Transaction<DB>;

/** Store access first (404 for another merchant's store, 403 for one not assigned), then the role. */
export async function assertManagerOf(db: Db, p: StaffPrincipal, storeId: string, action: string): Promise<void> {
  await assertStoreAccess(db as Kysely<DB>, p, storeId);
  if (p.role === 'assistant') throw new AppError('forbidden', `店员不能${action}，需要该门店的店长或店主`);
}

export function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

export interface SkuInfo {
  id: string;
  name: string;
  spec: string;
  barcode: string;
  costFen: number;
  categoryId: string;
}

/** The merchant's SKUs by id; unknown ids are simply absent, for the caller to name. */
export async function skuInfo(db: Db, merchantId: string, skuIds: readonly string[]): Promise<Map<string, SkuInfo>> {
  if (skuIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('skus')
    .innerJoin('products', 'products.id', 'skus.product_id')
    .select(['skus.id', 'skus.spec', 'skus.barcode', 'skus.cost_fen', 'products.name', 'products.category_id'])
    .where('skus.merchant_id', '=', merchantId)
    .where('skus.id', 'in', [...new Set(skuIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, spec: specLabel(r.spec), barcode: r.barcode, costFen: r.cost_fen, categoryId: r.category_id }]));
}

export interface OutLine {
  skuId: string;
  qty: number;
}

/**
 * Takes goods out of a store for a non-sale reason (a transfer leaving):
 * like takeStock, each level is decremented only while enough is available,
 * in SKU order so concurrent callers lock rows in one order. A short SKU
 * fails the whole call with nothing written.
 */
export async function takeOut(
  trx: Transaction<DB>,
  input: { merchantId: string; storeId: string; lines: OutLine[]; kind: 'transfer_out'; eventKey: string; refId: string; createdBy: string },
): Promise<void> {
  const lines = input.lines.filter((l) => l.qty > 0).sort((a, b) => (a.skuId < b.skuId ? -1 : 1));
  const short: string[] = [];
  for (const l of lines) {
    const taken = await trx
      .updateTable('stock_levels')
      .set({ on_hand: sql`on_hand - ${l.qty}` })
      .where('store_id', '=', input.storeId)
      .where('sku_id', '=', l.skuId)
      .where(sql<boolean>`on_hand - reserved >= ${l.qty}`)
      .executeTakeFirst();
    if (taken.numUpdatedRows !== 1n) {
      const level = await trx.selectFrom('stock_levels').select(['on_hand', 'reserved']).where('store_id', '=', input.storeId).where('sku_id', '=', l.skuId).executeTakeFirst();
      short.push(`${l.skuId} 需要 ${l.qty}，可用 ${level ? level.on_hand - level.reserved : 0}`);
    }
  }
  if (short.length > 0) throw new AppError('insufficient_stock', `调出门店库存不足：${short.join('；')}`);
  if (lines.length === 0) return;
  await appendMovements(
    trx,
    lines.map((l) => ({
      merchantId: input.merchantId,
      storeId: input.storeId,
      skuId: l.skuId,
      kind: input.kind,
      onHandDelta: -l.qty,
      reservedDelta: 0,
      refId: input.refId,
      idempotencyKey: `${input.eventKey}:${l.skuId}`,
      createdBy: input.createdBy,
    })),
  );
}
