import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { audit } from '../_audit/index.js';
import { businessDate } from '../_kernel/clock.js';
import { postEntry } from '../_ledger/index.js';
import { recordMovements } from './stock.repository.js';
import { assertManagerOf, hashOf, skuInfo, takeOut, type Db } from './stock-ops.common.js';
import type { TransferStatus } from './tables.js';
import type { CreateTransferRequest, TransferQtyRequest, TransferView } from '../../shared/api/stock-ops.js';

/*
 * The journal and transfers. Inventory is the merchant's, but journal entries
 * carry a store, and sales and receipts book inventory per store; so a
 * transfer books each store's side as its own balanced entry, through the
 * 在途物资 (inventory_in_transit) account:
 *   ship     (source store):      Dr inventory_in_transit / Cr inventory      shipped × unit cost
 *   receive  (destination store): Dr inventory / Cr inventory_in_transit      received × unit cost
 *   write-off (destination store): Dr stock_adjustments / Cr inventory_in_transit  (shipped − received) × unit cost
 * The unit cost is fixed when the goods leave, so the in-transit account
 * returns exactly to zero when a transfer is closed, and its balance is the
 * value of everything still on the road.
 */

export interface TransferOutcome {
  transfer: TransferView;
  replayed: boolean;
}

const inTransitOf = (l: { shipped_qty: number | null; received_qty: number | null; written_off_qty: number }) =>
  (l.shipped_qty ?? 0) - (l.received_qty ?? 0) - l.written_off_qty;

export async function transferViews(db: Db, merchantId: string, ids: readonly string[]): Promise<TransferView[]> {
  if (ids.length === 0) return [];
  const [heads, lines] = await Promise.all([
    db
      .selectFrom('stock_transfers as t')
      .innerJoin('stores as f', 'f.id', 't.from_store_id')
      .innerJoin('stores as d', 'd.id', 't.to_store_id')
      .select(['t.id', 't.status', 't.note', 't.created_at', 't.shipped_at', 't.received_at', 't.write_off_note', 'f.id as from_id', 'f.name as from_name', 'd.id as to_id', 'd.name as to_name'])
      .where('t.merchant_id', '=', merchantId)
      .where('t.id', 'in', [...ids])
      .execute(),
    db.selectFrom('stock_transfer_lines').selectAll().where('merchant_id', '=', merchantId).where('transfer_id', 'in', [...ids]).orderBy('transfer_id').orderBy('line_no').execute(),
  ]);
  const skus = await skuInfo(db, merchantId, lines.map((l) => l.sku_id));
  const byId = new Map(heads.map((h) => [h.id, h]));
  return ids.flatMap((id): TransferView[] => {
    const h = byId.get(id);
    if (!h) return [];
    const mine = lines.filter((l) => l.transfer_id === id);
    const view = mine.map((l) => {
      const sku = skus.get(l.sku_id);
      return {
        skuId: l.sku_id,
        name: sku?.name ?? l.sku_id,
        spec: sku?.spec ?? '',
        barcode: sku?.barcode ?? '',
        requestedQty: l.requested_qty,
        shippedQty: l.shipped_qty,
        receivedQty: l.received_qty,
        writtenOffQty: l.written_off_qty,
        inTransitQty: inTransitOf(l),
        unitCostFen: l.unit_cost_fen,
      };
    });
    const short = h.status === 'received_short' ? mine.map((l) => ({ qty: inTransitOf(l), cost: l.unit_cost_fen ?? 0 })) : [];
    return [
      {
        id: h.id,
        fromStore: { id: h.from_id, name: h.from_name },
        toStore: { id: h.to_id, name: h.to_name },
        status: h.status,
        note: h.note,
        createdAt: h.created_at.toISOString(),
        shippedAt: h.shipped_at?.toISOString() ?? null,
        receivedAt: h.received_at?.toISOString() ?? null,
        writeOffNote: h.write_off_note,
        lines: view,
        inTransitQty: view.reduce((s, l) => s + l.inTransitQty, 0),
        inTransitFen: view.reduce((s, l) => s + l.inTransitQty * (l.unitCostFen ?? 0), 0),
        varianceQty: short.reduce((s, l) => s + l.qty, 0),
        varianceFen: short.reduce((s, l) => s + l.qty * l.cost, 0),
      },
    ];
  });
}

async function viewOf(db: Db, merchantId: string, id: string): Promise<TransferView> {
  const [view] = await transferViews(db, merchantId, [id]);
  if (!view) throw new AppError('not_found', `找不到调拨单 ${id}`);
  return view;
}

/** Another merchant's transfer is "not found"; the caller must then be allowed at the store the step belongs to. */
async function loadTransfer(db: Kysely<DB>, p: StaffPrincipal, id: string) {
  const t = await db.selectFrom('stock_transfers').selectAll().where('id', '=', id).where('merchant_id', '=', p.merchantId).executeTakeFirst();
  if (!t) throw new AppError('not_found', `找不到调拨单 ${id}`);
  return t;
}

export async function createTransfer(deps: Deps, p: StaffPrincipal, r: CreateTransferRequest): Promise<TransferOutcome> {
  if (r.fromStoreId === r.toStoreId) throw new AppError('validation_failed', '调出门店和调入门店不能相同', [{ path: 'toStoreId', message: 'same as fromStoreId' }]);
  const stores = await deps.db.selectFrom('stores').select('id').where('merchant_id', '=', p.merchantId).where('id', 'in', [r.fromStoreId, r.toStoreId]).execute();
  for (const id of [r.fromStoreId, r.toStoreId]) if (!stores.some((s) => s.id === id)) throw new AppError('not_found', `找不到门店 ${id}`);
  if (p.role === 'assistant') throw new AppError('forbidden', '店员不能发起调拨，需要店长或店主');
  if (p.role !== 'owner' && !p.storeIds.includes(r.fromStoreId) && !p.storeIds.includes(r.toStoreId)) {
    throw new AppError('forbidden', '只能为自己所在的门店发起调拨');
  }
  const seen = new Set<string>();
  for (const l of r.lines) {
    if (seen.has(l.skuId)) throw new AppError('validation_failed', `同一商品在调拨单中出现了两次：${l.skuId}`, [{ path: 'lines.skuId', message: 'duplicate' }]);
    seen.add(l.skuId);
  }
  const skus = await skuInfo(deps.db, p.merchantId, [...seen]);
  const missing = [...seen].filter((id) => !skus.has(id));
  if (missing.length > 0) throw new AppError('not_found', `找不到商品：${missing.join('、')}`);
  const hash = hashOf(['transfer/v1', r.fromStoreId, r.toStoreId, r.note ?? '', [...r.lines].sort((a, b) => (a.skuId < b.skuId ? -1 : 1))]);
  return deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('stock_transfers')
      .values({ id: r.transferId, merchant_id: p.merchantId, from_store_id: r.fromStoreId, to_store_id: r.toStoreId, status: 'requested', request_hash: hash, note: r.note ?? '', requested_by: p.staffId })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const existing = await trx.selectFrom('stock_transfers').select(['merchant_id', 'request_hash']).where('id', '=', r.transferId).executeTakeFirst();
      if (!existing || existing.merchant_id !== p.merchantId || existing.request_hash !== hash) {
        throw new AppError('idempotency_mismatch', `调拨单 ${r.transferId} 已存在且内容不同`);
      }
      return { transfer: await viewOf(trx, p.merchantId, r.transferId), replayed: true };
    }
    await trx
      .insertInto('stock_transfer_lines')
      .values(r.lines.map((l, i) => ({ transfer_id: r.transferId, merchant_id: p.merchantId, line_no: i + 1, sku_id: l.skuId, requested_qty: l.qty })))
      .execute();
    await audit(trx, { merchantId: p.merchantId, actorId: p.staffId, action: 'transfer.request', subjectId: r.transferId, detail: { from: r.fromStoreId, to: r.toStoreId, lines: r.lines } });
    return { transfer: await viewOf(trx, p.merchantId, r.transferId), replayed: false };
  });
}

/** The request must name every SKU of the transfer exactly once; returns qty by SKU. */
function qtyBySku(lines: { sku_id: string }[], body: TransferQtyRequest): Map<string, number> {
  const want = new Map<string, number>();
  for (const l of body.lines) {
    if (want.has(l.skuId)) throw new AppError('validation_failed', `同一商品出现了两次：${l.skuId}`, [{ path: 'lines.skuId', message: 'duplicate' }]);
    want.set(l.skuId, l.qty);
  }
  const known = new Set(lines.map((l) => l.sku_id));
  const extra = [...want.keys()].filter((id) => !known.has(id));
  if (extra.length > 0) throw new AppError('validation_failed', `调拨单里没有这些商品：${extra.join('、')}`, [{ path: 'lines.skuId', message: 'not on this transfer' }]);
  const absent = [...known].filter((id) => !want.has(id));
  if (absent.length > 0) throw new AppError('validation_failed', `请填写调拨单上每个商品的数量（没有的填 0）：缺 ${absent.join('、')}`, [{ path: 'lines', message: 'every line needed' }]);
  return want;
}

const after: Record<'ship' | 'receive', TransferStatus[]> = {
  ship: ['shipped', 'received', 'received_short', 'written_off'],
  receive: ['received', 'received_short', 'written_off'],
};

const stateMessage: Record<TransferStatus, string> = {
  requested: '调拨单还未发货',
  shipped: '调拨单已发货',
  received: '调拨单已收货',
  received_short: '调拨单已收货（有短少待核销）',
  written_off: '调拨单已收货并核销短少',
  cancelled: '调拨单已取消',
};

/** Ships: the source store's manager (or the owner) says how much of each line left; that much leaves the source's stock at once. */
export async function shipTransfer(deps: Deps, p: StaffPrincipal, id: string, body: TransferQtyRequest): Promise<TransferOutcome> {
  const t = await loadTransfer(deps.db, p, id);
  await assertManagerOf(deps.db, p, t.from_store_id, '发货');
  return deps.db.transaction().execute(async (trx) => {
    const lines = await trx.selectFrom('stock_transfer_lines').selectAll().where('transfer_id', '=', id).orderBy('line_no').execute();
    const want = qtyBySku(lines, body);
    const cas = await trx.updateTable('stock_transfers').set({ status: 'shipped', shipped_by: p.staffId, shipped_at: deps.clock() }).where('id', '=', id).where('status', '=', 'requested').executeTakeFirst();
    if (cas.numUpdatedRows !== 1n) {
      const now = await trx.selectFrom('stock_transfers').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      // A retry of the same shipment answers with the shipment; anything else is a conflict. Lines are read again: a racing shipment may just have committed them.
      const settled = await trx.selectFrom('stock_transfer_lines').select(['sku_id', 'shipped_qty']).where('transfer_id', '=', id).execute();
      if (after.ship.includes(now.status) && settled.every((l) => l.shipped_qty === want.get(l.sku_id))) return { transfer: await viewOf(trx, p.merchantId, id), replayed: true };
      throw new AppError('invalid_state', `${stateMessage[now.status]}，不能再发货`);
    }
    const over = lines.filter((l) => want.get(l.sku_id)! > l.requested_qty);
    if (over.length > 0) throw new AppError('validation_failed', `发货数量不能超过申请数量：${over.map((l) => `${l.sku_id} 申请 ${l.requested_qty}`).join('；')}`, [{ path: 'lines.qty', message: 'above requested' }]);
    if ([...want.values()].every((q) => q === 0)) throw new AppError('validation_failed', '至少要发出一件商品；不调拨了请取消调拨单', [{ path: 'lines.qty', message: 'all zero' }]);
    await takeOut(trx, { merchantId: p.merchantId, storeId: t.from_store_id, lines: lines.map((l) => ({ skuId: l.sku_id, qty: want.get(l.sku_id)! })), kind: 'transfer_out', eventKey: `transfer_out:${id}`, refId: id, createdBy: p.staffId });
    const skus = await skuInfo(trx, p.merchantId, lines.map((l) => l.sku_id));
    let valueFen = 0;
    for (const l of lines) {
      const cost = skus.get(l.sku_id)?.costFen ?? 0;
      valueFen += cost * want.get(l.sku_id)!;
      await trx.updateTable('stock_transfer_lines').set({ shipped_qty: want.get(l.sku_id)!, unit_cost_fen: cost }).where('transfer_id', '=', id).where('sku_id', '=', l.sku_id).execute();
    }
    if (valueFen > 0) {
      await postEntry(trx, {
        merchantId: p.merchantId,
        storeId: t.from_store_id,
        eventKey: `transfer_ship:${id}`,
        businessDate: businessDate(deps.clock()),
        memo: '调拨发出',
        lines: [
          { account: 'inventory_in_transit', debitFen: valueFen },
          { account: 'inventory', creditFen: valueFen },
        ],
      });
    }
    await audit(trx, { merchantId: p.merchantId, actorId: p.staffId, action: 'transfer.ship', subjectId: id, detail: { lines: body.lines, valueFen } });
    return { transfer: await viewOf(trx, p.merchantId, id), replayed: false };
  });
}

/** Receives: the destination's manager (or the owner) counts what arrived, never more than shipped; a shortfall stays recorded for a write-off. */
export async function receiveTransfer(deps: Deps, p: StaffPrincipal, id: string, body: TransferQtyRequest): Promise<TransferOutcome> {
  const t = await loadTransfer(deps.db, p, id);
  await assertManagerOf(deps.db, p, t.to_store_id, '收货');
  return deps.db.transaction().execute(async (trx) => {
    const lines = await trx.selectFrom('stock_transfer_lines').selectAll().where('transfer_id', '=', id).orderBy('line_no').execute();
    const want = qtyBySku(lines, body);
    const current = await trx.selectFrom('stock_transfers').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    if (current.status === 'shipped') {
      const over = lines.filter((l) => want.get(l.sku_id)! > (l.shipped_qty ?? 0));
      if (over.length > 0) throw new AppError('validation_failed', `收货数量不能超过发货数量：${over.map((l) => `${l.sku_id} 发货 ${l.shipped_qty ?? 0}，收货 ${want.get(l.sku_id)}`).join('；')}`, [{ path: 'lines.qty', message: 'above shipped' }]);
    }
    const short = lines.some((l) => want.get(l.sku_id)! < (l.shipped_qty ?? 0));
    const cas = await trx
      .updateTable('stock_transfers')
      .set({ status: short ? 'received_short' : 'received', received_by: p.staffId, received_at: deps.clock() })
      .where('id', '=', id)
      .where('status', '=', 'shipped')
      .executeTakeFirst();
    if (cas.numUpdatedRows !== 1n) {
      const now = await trx.selectFrom('stock_transfers').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      const settled = await trx.selectFrom('stock_transfer_lines').select(['sku_id', 'received_qty']).where('transfer_id', '=', id).execute();
      if (after.receive.includes(now.status) && settled.every((l) => l.received_qty === want.get(l.sku_id))) return { transfer: await viewOf(trx, p.merchantId, id), replayed: true };
      throw new AppError('invalid_state', `${stateMessage[now.status]}，不能收货`);
    }
    const arrived = lines.filter((l) => want.get(l.sku_id)! > 0);
    await recordMovements(
      trx,
      arrived.map((l) => ({ merchantId: p.merchantId, storeId: t.to_store_id, skuId: l.sku_id, kind: 'transfer_in' as const, onHandDelta: want.get(l.sku_id)!, refId: id, idempotencyKey: `transfer_in:${id}:${l.sku_id}`, createdBy: p.staffId })),
    );
    let valueFen = 0;
    for (const l of lines) {
      valueFen += (l.unit_cost_fen ?? 0) * want.get(l.sku_id)!;
      await trx.updateTable('stock_transfer_lines').set({ received_qty: want.get(l.sku_id)! }).where('transfer_id', '=', id).where('sku_id', '=', l.sku_id).execute();
    }
    if (valueFen > 0) {
      await postEntry(trx, {
        merchantId: p.merchantId,
        storeId: t.to_store_id,
        eventKey: `transfer_receive:${id}`,
        businessDate: businessDate(deps.clock()),
        memo: '调拨收货',
        lines: [
          { account: 'inventory', debitFen: valueFen },
          { account: 'inventory_in_transit', creditFen: valueFen },
        ],
      });
    }
    await audit(trx, { merchantId: p.merchantId, actorId: p.staffId, action: 'transfer.receive', subjectId: id, detail: { lines: body.lines, valueFen, short } });
    return { transfer: await viewOf(trx, p.merchantId, id), replayed: false };
  });
}

/** A short receipt's variance becomes a loss: the destination's manager (or the owner) writes it off, once. */
export async function writeOffTransfer(deps: Deps, p: StaffPrincipal, id: string, note: string): Promise<TransferOutcome> {
  const t = await loadTransfer(deps.db, p, id);
  await assertManagerOf(deps.db, p, t.to_store_id, '核销调拨短少');
  return deps.db.transaction().execute(async (trx) => {
    const cas = await trx
      .updateTable('stock_transfers')
      .set({ status: 'written_off', written_off_by: p.staffId, written_off_at: deps.clock(), write_off_note: note })
      .where('id', '=', id)
      .where('status', '=', 'received_short')
      .executeTakeFirst();
    if (cas.numUpdatedRows !== 1n) {
      const now = await trx.selectFrom('stock_transfers').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      if (now.status === 'written_off') return { transfer: await viewOf(trx, p.merchantId, id), replayed: true };
      throw new AppError('invalid_state', now.status === 'received' ? '调拨单收货无短少，不需要核销' : `${stateMessage[now.status]}，不能核销`);
    }
    const lines = await trx.selectFrom('stock_transfer_lines').selectAll().where('transfer_id', '=', id).execute();
    let valueFen = 0;
    for (const l of lines) {
      const lost = inTransitOf(l);
      if (lost === 0) continue;
      valueFen += lost * (l.unit_cost_fen ?? 0);
      await trx.updateTable('stock_transfer_lines').set({ written_off_qty: l.written_off_qty + lost }).where('transfer_id', '=', id).where('sku_id', '=', l.sku_id).execute();
    }
    if (valueFen > 0) {
      await postEntry(trx, {
        merchantId: p.merchantId,
        storeId: t.to_store_id,
        eventKey: `transfer_write_off:${id}`,
        businessDate: businessDate(deps.clock()),
        memo: `调拨短少核销：${note}`.slice(0, 200),
        lines: [
          { account: 'stock_adjustments', debitFen: valueFen },
          { account: 'inventory_in_transit', creditFen: valueFen },
        ],
      });
    }
    await audit(trx, { merchantId: p.merchantId, actorId: p.staffId, action: 'transfer.write_off', subjectId: id, detail: { note, valueFen } });
    return { transfer: await viewOf(trx, p.merchantId, id), replayed: false };
  });
}

/** Only a transfer not yet shipped can be cancelled, by a manager of either store or the owner. */
export async function cancelTransfer(deps: Deps, p: StaffPrincipal, id: string): Promise<TransferOutcome> {
  const t = await loadTransfer(deps.db, p, id);
  if (p.role === 'assistant') throw new AppError('forbidden', '店员不能取消调拨，需要店长或店主');
  if (p.role !== 'owner' && !p.storeIds.includes(t.from_store_id) && !p.storeIds.includes(t.to_store_id)) throw new AppError('forbidden', '你不属于这张调拨单的门店');
  const cas = await deps.db.updateTable('stock_transfers').set({ status: 'cancelled' }).where('id', '=', id).where('status', '=', 'requested').executeTakeFirst();
  if (cas.numUpdatedRows !== 1n) {
    const now = await deps.db.selectFrom('stock_transfers').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    if (now.status !== 'cancelled') throw new AppError('invalid_state', `${stateMessage[now.status]}，不能取消`);
    return { transfer: await viewOf(deps.db, p.merchantId, id), replayed: true };
  }
  await audit(deps.db, { merchantId: p.merchantId, actorId: p.staffId, action: 'transfer.cancel', subjectId: id });
  return { transfer: await viewOf(deps.db, p.merchantId, id), replayed: false };
}

export const transfers_list_max = 100;

/** Transfers touching the given stores, newest first, and the goods on the road over all of them (not just the page). */
export async function listTransfers(db: Kysely<DB>, merchantId: string, storeIds: readonly string[], status?: TransferStatus) {
  if (storeIds.length === 0) return { items: [], inTransit: { qty: 0, valueFen: 0 } };
  let q = db
    .selectFrom('stock_transfers')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where((eb) => eb.or([eb('from_store_id', 'in', [...storeIds]), eb('to_store_id', 'in', [...storeIds])]));
  if (status) q = q.where('status', '=', status);
  const ids = (await q.orderBy('id', 'desc').limit(transfers_list_max).execute()).map((r) => r.id);
  const lines = await db
    .selectFrom('stock_transfer_lines as l')
    .innerJoin('stock_transfers as t', 't.id', 'l.transfer_id')
    .select(['l.shipped_qty', 'l.received_qty', 'l.written_off_qty', 'l.unit_cost_fen'])
    .where('t.merchant_id', '=', merchantId)
    .where('t.status', 'in', ['shipped', 'received_short'])
    .where((eb) => eb.or([eb('t.from_store_id', 'in', [...storeIds]), eb('t.to_store_id', 'in', [...storeIds])]))
    .execute();
  const inTransit = lines.reduce((s, l) => ({ qty: s.qty + inTransitOf(l), valueFen: s.valueFen + inTransitOf(l) * (l.unit_cost_fen ?? 0) }), { qty: 0, valueFen: 0 });
  return { items: await transferViews(db, merchantId, ids), inTransit };
}
