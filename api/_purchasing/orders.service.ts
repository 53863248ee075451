import { sql } from 'kysely';
import type { z } from 'zod';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { assertStoreAccess } from '../_identity/index.js';
import { requestHash } from '../_kernel/idempotency.js';
import type { Deps } from '../_kernel/deps.js';
import { businessDate } from '../_kernel/clock.js';
import { audit } from '../_audit/index.js';
import { purchasing_list_max, type createPurchaseOrderRequest, type purchaseOrdersQuery, type PurchaseOrderView } from '../../shared/api/purchasing.js';
import type { PurchaseOrderStatus } from './tables.js';
import { purchaseOrderView } from './order-view.js';

type CreateInput = z.output<typeof createPurchaseOrderRequest>;

/**
 * Creates a purchase order under the id the phone made. The same id with the
 * same content answers with the order as it is now; with other content, or
 * already used by another merchant, it is a 409 and nothing is written.
 */
export async function createPurchaseOrder(deps: Deps, staff: StaffPrincipal, input: CreateInput): Promise<{ order: PurchaseOrderView; replayed: boolean }> {
  const hash = requestHash(input);
  const replay = async () => {
    const existing = await deps.db.selectFrom('purchase_orders').select(['merchant_id', 'request_hash']).where('id', '=', input.id).executeTakeFirst();
    if (!existing) return null;
    if (existing.merchant_id !== staff.merchantId || existing.request_hash !== hash) throw new AppError('idempotency_mismatch', `采购单号 ${input.id} 已用于另一张采购单`);
    return { order: await purchaseOrderView(deps.db, staff.merchantId, input.id), replayed: true };
  };
  const first = await replay();
  if (first) return first;

  await assertStoreAccess(deps.db, staff, input.storeId);
  const supplier = await deps.db.selectFrom('suppliers').select(['id', 'active']).where('merchant_id', '=', staff.merchantId).where('id', '=', input.supplierId).executeTakeFirst();
  if (!supplier) throw new AppError('not_found', `找不到供应商 ${input.supplierId}`);
  if (!supplier.active) throw new AppError('validation_failed', '该供应商已停用，不能下新的采购单');
  const skuIds = input.lines.map((l) => l.skuId);
  const duplicate = skuIds.find((id, i) => skuIds.indexOf(id) !== i);
  if (duplicate) throw new AppError('validation_failed', `同一商品在采购单中只能出现一行：${duplicate}`, [{ path: 'lines.skuId', message: `duplicate SKU ${duplicate}` }]);
  const known = await deps.db.selectFrom('skus').select('id').where('merchant_id', '=', staff.merchantId).where('id', 'in', skuIds).execute();
  const knownIds = new Set(known.map((k) => k.id));
  const missing = skuIds.filter((id) => !knownIds.has(id));
  if (missing.length > 0) throw new AppError('validation_failed', `商品不存在：${missing.join('、')}`, missing.map((id) => ({ path: 'lines.skuId', message: `unknown SKU ${id}` })));

  const now = deps.clock();
  const orderedFen = input.lines.reduce((s, l) => s + l.qty * l.unitCostFen, 0);
  const created = await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('purchase_orders')
      .values({
        id: input.id,
        merchant_id: staff.merchantId,
        supplier_id: input.supplierId,
        store_id: input.storeId,
        status: input.status,
        expected_date: input.expectedDate ?? null,
        note: input.note,
        request_hash: hash,
        ordered_fen: orderedFen,
        created_by: staff.staffId,
        business_date: businessDate(now),
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    // A concurrent request with the same id got there first; its answer is the replay below.
    if (!inserted) return false;
    await trx
      .insertInto('purchase_order_lines')
      .values(input.lines.map((l, i) => ({ po_id: input.id, line_no: i + 1, merchant_id: staff.merchantId, sku_id: l.skuId, qty: l.qty, unit_cost_fen: l.unitCostFen })))
      .execute();
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'purchase_order.created', subjectId: input.id, detail: { supplierId: input.supplierId, storeId: input.storeId, status: input.status, orderedFen, lines: input.lines.length } });
    return true;
  });
  if (!created) return (await replay())!;
  return { order: await purchaseOrderView(deps.db, staff.merchantId, input.id), replayed: false };
}

/** The order of this merchant (404 otherwise) in a store the caller may see (403 otherwise). */
export async function accessiblePurchaseOrder(deps: Deps, staff: StaffPrincipal, poId: string) {
  const po = await deps.db.selectFrom('purchase_orders').select(['id', 'store_id', 'supplier_id', 'status']).where('merchant_id', '=', staff.merchantId).where('id', '=', poId).executeTakeFirst();
  if (!po) throw new AppError('not_found', `找不到采购单 ${poId}`);
  await assertStoreAccess(deps.db, staff, po.store_id);
  return po;
}

const transitions = {
  submit: { from: ['draft'], to: 'ordered', action: 'purchase_order.ordered', refused: '只有草稿可以下单' },
  cancel: { from: ['draft', 'ordered'], to: 'cancelled', action: 'purchase_order.cancelled', refused: '已收货或已取消的采购单不能取消' },
} as const satisfies Record<string, { from: readonly PurchaseOrderStatus[]; to: PurchaseOrderStatus; action: string; refused: string }>;

/** Moves an order from draft to ordered, or cancels one nothing was received against; compare-and-set on the status. */
export async function changePurchaseOrderStatus(deps: Deps, staff: StaffPrincipal, poId: string, change: keyof typeof transitions): Promise<PurchaseOrderView> {
  const po = await accessiblePurchaseOrder(deps, staff, poId);
  const t = transitions[change];
  await deps.db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('purchase_orders')
      .set({ status: t.to, updated_at: deps.clock() })
      .where('id', '=', poId)
      .where('status', 'in', [...t.from])
      .executeTakeFirst();
    if (done.numUpdatedRows !== 1n) throw new AppError('conflict', `${t.refused}（当前状态：${po.status}）`);
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: t.action, subjectId: poId, detail: { from: po.status } });
  });
  return purchaseOrderView(deps.db, staff.merchantId, poId);
}

export async function listPurchaseOrders(deps: Deps, staff: StaffPrincipal, q: z.output<typeof purchaseOrdersQuery>) {
  if (q.storeId) await assertStoreAccess(deps.db, staff, q.storeId);
  const stores = q.storeId ? [q.storeId] : staff.storeIds;
  if (stores.length === 0) return [];
  let query = deps.db
    .selectFrom('purchase_orders as po')
    .innerJoin('suppliers as s', 's.id', 'po.supplier_id')
    .innerJoin('stores as st', 'st.id', 'po.store_id')
    .select([
      'po.id',
      'po.supplier_id',
      's.name as supplier_name',
      'po.store_id',
      'st.name as store_name',
      'po.status',
      'po.expected_date',
      'po.note',
      'po.ordered_fen',
      'po.business_date',
      'po.created_at',
      sql<number>`(select count(*) from purchase_order_lines l where l.po_id = po.id)::int`.as('line_count'),
      sql<number>`(select coalesce(sum(r.value_fen), 0) from purchase_receipts r where r.po_id = po.id)::bigint`.as('received_fen'),
      sql<number>`(select coalesce(sum(r.value_fen), 0) from purchase_returns r where r.po_id = po.id)::bigint`.as('returned_fen'),
    ])
    .where('po.merchant_id', '=', staff.merchantId)
    .where('po.store_id', 'in', stores);
  if (q.supplierId) query = query.where('po.supplier_id', '=', q.supplierId);
  if (q.status) query = query.where('po.status', '=', q.status);
  const rows = await query.orderBy('po.id', 'desc').limit(purchasing_list_max).execute();
  return rows.map((r) => ({
    id: r.id,
    supplierId: r.supplier_id,
    supplierName: r.supplier_name,
    storeId: r.store_id,
    storeName: r.store_name,
    status: r.status,
    expectedDate: r.expected_date,
    note: r.note,
    orderedFen: r.ordered_fen,
    receivedFen: Number(r.received_fen),
    returnedFen: Number(r.returned_fen),
    businessDate: r.business_date,
    createdAt: r.created_at.toISOString(),
    lineCount: r.line_count,
  }));
}
