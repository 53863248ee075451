import { sql, type Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { assertStoreAccess } from '../_identity/index.js';
import { audit } from '../_audit/index.js';
import { businessDate } from '../_kernel/clock.js';
import { postEntry, type PostLine } from '../_ledger/index.js';
import { movements_per_batch_max, recordMovements, type MovementInput } from './stock.repository.js';
import { assertManagerOf, type Db } from './stock-ops.common.js';
import { specLabel } from '../../shared/spec-label.js';
import { stocktake_lines_max, type CountRequest, type StocktakeView } from '../../shared/api/stock-ops.js';

/*
 * Sales go on while a store counts. Each line remembers the book quantity at
 * the moment it was last counted (`book_at_count`: the snapshot plus every
 * movement since, which is what stock_levels holds), and its variance is the
 * count minus that. Approval applies the variance as a delta to whatever the
 * level is by then, so a sale made after the count, or between the snapshot
 * and the count, is neither lost nor counted as shrinkage.
 */

type Line = StocktakeView['lines'][number];

export interface StocktakeOutcome {
  stocktake: StocktakeView;
  replayed: boolean;
}

async function loadStocktake(db: Db, p: StaffPrincipal, id: string) {
  const s = await db.selectFrom('stocktakes').selectAll().where('id', '=', id).where('merchant_id', '=', p.merchantId).executeTakeFirst();
  if (!s) throw new AppError('not_found', `找不到盘点单 ${id}`);
  return s;
}

async function lineViews(db: Db, merchantId: string, stocktakeId: string, storeId: string, skuId?: string): Promise<Line[]> {
  let q = db
    .selectFrom('stocktake_lines as l')
    .innerJoin('skus as s', 's.id', 'l.sku_id')
    .innerJoin('products as p', 'p.id', 's.product_id')
    .leftJoin('stock_levels as v', (j) => j.onRef('v.sku_id', '=', 'l.sku_id').on('v.store_id', '=', storeId))
    .select(['l.sku_id', 'l.expected_qty', 'l.counted_qty', 'l.book_at_count', 'l.adjusted_qty', 'l.unit_cost_fen', 's.cost_fen', 's.barcode', 's.spec', 'p.name', 'v.on_hand'])
    .where('l.merchant_id', '=', merchantId)
    .where('l.stocktake_id', '=', stocktakeId);
  if (skuId) q = q.where('l.sku_id', '=', skuId);
  const rows = await q.orderBy('p.name').orderBy('s.barcode').execute();
  return rows.map((r) => {
    const book = r.book_at_count ?? r.on_hand ?? 0;
    const cost = r.unit_cost_fen ?? r.cost_fen;
    const variance = r.counted_qty === null ? null : r.counted_qty - book;
    return {
      skuId: r.sku_id,
      name: r.name,
      spec: specLabel(r.spec),
      barcode: r.barcode,
      expectedQty: r.expected_qty,
      countedQty: r.counted_qty,
      bookQty: book,
      varianceQty: variance,
      unitCostFen: cost,
      varianceFen: variance === null ? null : variance * cost,
      adjustedQty: r.adjusted_qty,
    };
  });
}

async function headViews(db: Db, merchantId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('stocktakes as t')
    .innerJoin('stores as s', 's.id', 't.store_id')
    .leftJoin('categories as c', 'c.id', 't.category_id')
    .select([
      't.id',
      't.store_id',
      's.name as store_name',
      't.category_id',
      'c.name as category_name',
      't.status',
      't.started_at',
      't.decided_at',
      't.gain_fen',
      't.loss_fen',
      (eb) => eb.selectFrom('stocktake_lines as l').select(sql<number>`count(*)::int`.as('n')).whereRef('l.stocktake_id', '=', 't.id').as('line_count'),
      (eb) => eb.selectFrom('stocktake_lines as l').select(sql<number>`count(*)::int`.as('n')).whereRef('l.stocktake_id', '=', 't.id').where('l.counted_qty', 'is not', null).as('counted_count'),
    ])
    .where('t.merchant_id', '=', merchantId)
    .where('t.id', 'in', [...ids])
    .orderBy('t.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    storeId: r.store_id,
    storeName: r.store_name,
    categoryId: r.category_id,
    categoryName: r.category_name,
    status: r.status,
    startedAt: r.started_at.toISOString(),
    decidedAt: r.decided_at?.toISOString() ?? null,
    lineCount: Number(r.line_count ?? 0),
    countedCount: Number(r.counted_count ?? 0),
    gainFen: r.gain_fen,
    lossFen: r.loss_fen,
  }));
}

export async function stocktakeView(db: Db, merchantId: string, id: string): Promise<StocktakeView> {
  const [head] = await headViews(db, merchantId, [id]);
  if (!head) throw new AppError('not_found', `找不到盘点单 ${id}`);
  return { ...head, lines: await lineViews(db, merchantId, id, head.storeId) };
}

export async function listStocktakes(db: Kysely<DB>, merchantId: string, storeIds: readonly string[], status?: StocktakeView['status']) {
  if (storeIds.length === 0) return [];
  let q = db.selectFrom('stocktakes').select('id').where('merchant_id', '=', merchantId).where('store_id', 'in', [...storeIds]);
  if (status) q = q.where('status', '=', status);
  const ids = (await q.orderBy('id', 'desc').limit(100).execute()).map((r) => r.id);
  return headViews(db, merchantId, ids);
}

/** Starts a count: a snapshot of the book quantity of every SKU in scope, taken in one statement. */
export async function startStocktake(deps: Deps, p: StaffPrincipal, r: { stocktakeId: string; storeId: string; categoryId?: string | undefined }): Promise<StocktakeOutcome> {
  await assertManagerOf(deps.db, p, r.storeId, '发起盘点');
  if (r.categoryId) {
    const cat = await deps.db.selectFrom('categories').select('id').where('id', '=', r.categoryId).where('merchant_id', '=', p.merchantId).executeTakeFirst();
    if (!cat) throw new AppError('not_found', `找不到分类 ${r.categoryId}`);
  }
  return deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('stocktakes')
      .values({ id: r.stocktakeId, merchant_id: p.merchantId, store_id: r.storeId, category_id: r.categoryId ?? null, status: 'counting', started_by: p.staffId, started_at: deps.clock() })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const same = await trx.selectFrom('stocktakes').select(['merchant_id', 'store_id', 'category_id']).where('id', '=', r.stocktakeId).executeTakeFirst();
      if (same) {
        if (same.merchant_id !== p.merchantId || same.store_id !== r.storeId || same.category_id !== (r.categoryId ?? null)) throw new AppError('idempotency_mismatch', `盘点单 ${r.stocktakeId} 已存在且内容不同`);
        return { stocktake: await stocktakeView(trx, p.merchantId, r.stocktakeId), replayed: true };
      }
      const open = await trx.selectFrom('stocktakes').select('id').where('store_id', '=', r.storeId).where('status', '=', 'counting').where(sql<boolean>`coalesce(category_id, '') = ${r.categoryId ?? ''}`).executeTakeFirst();
      throw new AppError('conflict', `该门店这个范围已有进行中的盘点 ${open?.id ?? ''}，请先完成或取消它`);
    }
    const scope = sql`from skus s join products p on p.id = s.product_id
      left join stock_levels v on v.sku_id = s.id and v.store_id = ${r.storeId}
      where s.merchant_id = ${p.merchantId}
        and ((s.active and p.active) or coalesce(v.on_hand, 0) <> 0)
        ${r.categoryId ? sql`and p.category_id = ${r.categoryId}` : sql``}`;
    const count = await sql<{ n: number }>`select count(*)::int as n ${scope}`.execute(trx);
    const n = Number(count.rows[0]?.n ?? 0);
    if (n === 0) throw new AppError('validation_failed', '这个范围里没有商品可以盘点');
    if (n > stocktake_lines_max) throw new AppError('validation_failed', `这个范围有 ${n} 个商品，超过一次盘点的上限 ${stocktake_lines_max}（stocktake_lines_max），请按分类盘点`);
    await sql`insert into stocktake_lines (stocktake_id, merchant_id, sku_id, expected_qty)
      select ${r.stocktakeId}, ${p.merchantId}, s.id, coalesce(v.on_hand, 0) ${scope}`.execute(trx);
    await audit(trx, { merchantId: p.merchantId, actorId: p.staffId, action: 'stocktake.start', subjectId: r.stocktakeId, detail: { storeId: r.storeId, categoryId: r.categoryId ?? null, lines: n } });
    return { stocktake: await stocktakeView(trx, p.merchantId, r.stocktakeId), replayed: false };
  });
}

/** One scan or exact count; anyone working at the store may count. */
export async function countLine(deps: Deps, p: StaffPrincipal, id: string, r: CountRequest): Promise<{ line: Line; replayed: boolean }> {
  const head = await loadStocktake(deps.db, p, id);
  await assertStoreAccess(deps.db, p, head.store_id);
  let skuId = r.skuId;
  if (r.barcode) {
    const sku = await deps.db.selectFrom('skus').select('id').where('merchant_id', '=', p.merchantId).where('barcode', '=', r.barcode).executeTakeFirst();
    if (!sku) throw new AppError('not_found', `条码 ${r.barcode} 不是本店的商品`);
    skuId = sku.id;
  }
  if (r.mode === 'add' && r.qty === 0) throw new AppError('validation_failed', '扫码加数至少为 1', [{ path: 'qty', message: 'must be at least 1 to add' }]);
  return deps.db.transaction().execute(async (trx) => {
    // Holding the head row shared keeps an approval from slipping in between this check and the count.
    const locked = await trx.selectFrom('stocktakes').select('status').where('id', '=', id).forShare().executeTakeFirstOrThrow();
    if (locked.status !== 'counting') throw new AppError('invalid_state', locked.status === 'approved' ? '盘点已审核，不能再录入' : '盘点已取消，不能再录入');
    const line = await trx.selectFrom('stocktake_lines').select(['counted_qty']).where('stocktake_id', '=', id).where('sku_id', '=', skuId!).forUpdate().executeTakeFirst();
    if (!line) throw new AppError('validation_failed', `这个商品不在本次盘点范围内：${r.barcode ?? skuId}`, [{ path: r.barcode ? 'barcode' : 'skuId', message: 'not in this stocktake' }]);
    const scan = await trx
      .insertInto('stocktake_scans')
      .values({ stocktake_id: id, client_scan_id: r.clientScanId, sku_id: skuId!, mode: r.mode, qty: r.qty, staff_id: p.staffId })
      .onConflict((oc) => oc.columns(['stocktake_id', 'client_scan_id']).doNothing())
      .returning('client_scan_id')
      .executeTakeFirst();
    if (!scan) {
      const before = await trx.selectFrom('stocktake_scans').select(['sku_id', 'mode', 'qty']).where('stocktake_id', '=', id).where('client_scan_id', '=', r.clientScanId).executeTakeFirstOrThrow();
      if (before.sku_id !== skuId || before.mode !== r.mode || before.qty !== r.qty) throw new AppError('idempotency_mismatch', `扫码记录 ${r.clientScanId} 已存在且内容不同`);
      return { line: (await lineViews(trx, p.merchantId, id, head.store_id, skuId))[0]!, replayed: true };
    }
    const level = await trx.selectFrom('stock_levels').select('on_hand').where('store_id', '=', head.store_id).where('sku_id', '=', skuId!).executeTakeFirst();
    const counted = r.mode === 'add' ? (line.counted_qty ?? 0) + r.qty : r.qty;
    await trx
      .updateTable('stocktake_lines')
      .set({ counted_qty: counted, book_at_count: level?.on_hand ?? 0, counted_by: p.staffId, counted_at: deps.clock() })
      .where('stocktake_id', '=', id)
      .where('sku_id', '=', skuId!)
      .execute();
    return { line: (await lineViews(trx, p.merchantId, id, head.store_id, skuId))[0]!, replayed: false };
  });
}

/**
 * Approves once (compare-and-set on the status): every counted line's
 * variance becomes a 'stocktake_adjust' movement and the whole count one
 * balanced journal entry against 库存盘盈盘亏. A count that later sales
 * contradict (the adjusted level would leave less than is reserved or below
 * zero) is refused, naming the SKUs to count again.
 */
export async function approveStocktake(deps: Deps, p: StaffPrincipal, id: string, uncounted: 'skip' | 'zero'): Promise<StocktakeOutcome> {
  const head = await loadStocktake(deps.db, p, id);
  await assertManagerOf(deps.db, p, head.store_id, '审核盘点');
  return deps.db.transaction().execute(async (trx) => {
    const cas = await trx
      .updateTable('stocktakes')
      .set({ status: 'approved', decided_by: p.staffId, decided_at: deps.clock() })
      .where('id', '=', id)
      .where('status', '=', 'counting')
      .executeTakeFirst();
    if (cas.numUpdatedRows !== 1n) {
      const now = await trx.selectFrom('stocktakes').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      throw new AppError('invalid_state', now.status === 'approved' ? '盘点已审核过，不能重复审核' : '盘点已取消，不能审核');
    }
    const lines = await trx.selectFrom('stocktake_lines as l').innerJoin('skus as s', 's.id', 'l.sku_id').select(['l.sku_id', 'l.counted_qty', 'l.book_at_count', 's.cost_fen']).where('l.stocktake_id', '=', id).orderBy('l.sku_id').execute();
    const levels = await trx
      .selectFrom('stock_levels')
      .select(['sku_id', 'on_hand', 'reserved'])
      .where('store_id', '=', head.store_id)
      .where(
        'sku_id',
        'in',
        lines.map((l) => l.sku_id),
      )
      .orderBy('sku_id')
      .forUpdate()
      .execute();
    const levelOf = new Map(levels.map((l) => [l.sku_id, l]));
    const moves: MovementInput[] = [];
    const stale: string[] = [];
    let gainFen = 0;
    let lossFen = 0;
    const adjusted: { skuId: string; delta: number; cost: number }[] = [];
    for (const l of lines) {
      const level = levelOf.get(l.sku_id) ?? { on_hand: 0, reserved: 0 };
      let delta: number;
      if (l.counted_qty !== null) delta = l.counted_qty - l.book_at_count!;
      else if (uncounted === 'zero') delta = -level.on_hand;
      else continue;
      adjusted.push({ skuId: l.sku_id, delta, cost: l.cost_fen });
      if (delta === 0) continue;
      if (level.on_hand + delta - level.reserved < 0) stale.push(l.sku_id);
      if (delta > 0) gainFen += delta * l.cost_fen;
      else lossFen += -delta * l.cost_fen;
      moves.push({ merchantId: p.merchantId, storeId: head.store_id, skuId: l.sku_id, kind: 'stocktake_adjust', onHandDelta: delta, refId: id, idempotencyKey: `stocktake:${id}:${l.sku_id}`, createdBy: p.staffId });
    }
    if (stale.length > 0) {
      throw new AppError('invalid_state', `盘点后这些商品已有销售或预留，按盘点数调整会使可用库存为负，请重新清点：${stale.join('、')}`, stale.map((s) => ({ path: 'lines', message: s })));
    }
    for (let i = 0; i < moves.length; i += movements_per_batch_max) await recordMovements(trx, moves.slice(i, i + movements_per_batch_max));
    for (const a of adjusted) {
      await trx.updateTable('stocktake_lines').set({ adjusted_qty: a.delta, unit_cost_fen: a.cost }).where('stocktake_id', '=', id).where('sku_id', '=', a.skuId).execute();
    }
    await trx.updateTable('stocktakes').set({ gain_fen: gainFen, loss_fen: lossFen }).where('id', '=', id).execute();
    const entry: PostLine[] = [];
    if (gainFen > 0) entry.push({ account: 'inventory', debitFen: gainFen, memo: '盘盈' }, { account: 'stock_adjustments', creditFen: gainFen, memo: '盘盈' });
    if (lossFen > 0) entry.push({ account: 'stock_adjustments', debitFen: lossFen, memo: '盘亏' }, { account: 'inventory', creditFen: lossFen, memo: '盘亏' });
    if (entry.length > 0) {
      await postEntry(trx, { merchantId: p.merchantId, storeId: head.store_id, eventKey: `stocktake:${id}`, businessDate: businessDate(deps.clock()), memo: '盘点调整', lines: entry });
    }
    await audit(trx, { merchantId: p.merchantId, actorId: p.staffId, action: 'stocktake.approve', subjectId: id, detail: { uncounted, gainFen, lossFen, adjusted: moves.length } });
    return { stocktake: await stocktakeView(trx, p.merchantId, id), replayed: false };
  });
}

export async function cancelStocktake(deps: Deps, p: StaffPrincipal, id: string): Promise<StocktakeOutcome> {
  const head = await loadStocktake(deps.db, p, id);
  await assertManagerOf(deps.db, p, head.store_id, '取消盘点');
  const cas = await deps.db.updateTable('stocktakes').set({ status: 'cancelled', decided_by: p.staffId, decided_at: deps.clock() }).where('id', '=', id).where('status', '=', 'counting').executeTakeFirst();
  if (cas.numUpdatedRows !== 1n) {
    const now = await loadStocktake(deps.db, p, id);
    if (now.status !== 'cancelled') throw new AppError('invalid_state', '盘点已审核，不能取消');
    return { stocktake: await stocktakeView(deps.db, p.merchantId, id), replayed: true };
  }
  await audit(deps.db, { merchantId: p.merchantId, actorId: p.staffId, action: 'stocktake.cancel', subjectId: id });
  return { stocktake: await stocktakeView(deps.db, p.merchantId, id), replayed: false };
}
