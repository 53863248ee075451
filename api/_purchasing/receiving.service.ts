import type { Transaction } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { requestHash } from '../_kernel/idempotency.js';
import type { Deps } from '../_kernel/deps.js';
import { businessDate } from '../_kernel/clock.js';
import { audit } from '../_audit/index.js';
import { recordMovements } from '../_stock/index.js';
import { postEntry } from '../_ledger/index.js';
import { newId } from '../../shared/ids.js';
import type { PurchaseOrderView, ReceiveRequest } from '../../shared/api/purchasing.js';
import { addDays } from './aging.js';
import { applyCostChanges, lockStockAndCost } from './cost.repository.js';
import { accessiblePurchaseOrder } from './orders.service.js';
import { purchaseOrderView } from './order-view.js';

export interface ReceiveResult {
  order: PurchaseOrderView;
  receiptId: string;
  payableId: string;
  replayed: boolean;
}

/** Each request line matched to its PO line; a SKU not on the order, or asked for twice, is a 400. */
export async function matchPoLines(trx: Transaction<DB>, poId: string, lines: readonly { skuId: string; qty: number }[]) {
  const poLines = await trx.selectFrom('purchase_order_lines').selectAll().where('po_id', '=', poId).orderBy('line_no').execute();
  const seen = new Set<string>();
  return lines.map((l) => {
    if (seen.has(l.skuId)) throw new AppError('validation_failed', `同一商品只能填一行：${l.skuId}`, [{ path: 'lines.skuId', message: `duplicate SKU ${l.skuId}` }]);
    seen.add(l.skuId);
    const poLine = poLines.find((p) => p.sku_id === l.skuId);
    if (!poLine) throw new AppError('validation_failed', `商品 ${l.skuId} 不在采购单 ${poId} 上`, [{ path: 'lines.skuId', message: `SKU ${l.skuId} is not on the order` }]);
    return { ...l, poLine };
  });
}

/**
 * Receives goods against an order, all or part of what remains. In one
 * transaction, under the order's row lock: the lines' received quantities
 * (never past what was ordered — checked here for a clear message and by the
 * table's check constraint), stock in through the movement ledger, each
 * SKU's moving-average cost, the payable due after the supplier's terms, and
 * the journal entry Dr inventory / Cr payables. A retry with the same
 * receipt id answers with the first result.
 */
export async function receivePurchaseOrder(deps: Deps, staff: StaffPrincipal, poId: string, input: ReceiveRequest): Promise<ReceiveResult> {
  const hash = requestHash({ poId, lines: input.lines });
  const replay = async () => {
    const existing = await deps.db.selectFrom('purchase_receipts').select(['merchant_id', 'request_hash']).where('id', '=', input.receiptId).executeTakeFirst();
    if (!existing) return null;
    if (existing.merchant_id !== staff.merchantId || existing.request_hash !== hash) throw new AppError('idempotency_mismatch', `收货单号 ${input.receiptId} 已用于另一次收货`);
    const payable = await deps.db.selectFrom('supplier_payables').select('id').where('receipt_id', '=', input.receiptId).executeTakeFirstOrThrow();
    return { order: await purchaseOrderView(deps.db, staff.merchantId, poId), receiptId: input.receiptId, payableId: payable.id, replayed: true };
  };
  const first = await replay();
  if (first) return first;
  const po = await accessiblePurchaseOrder(deps, staff, poId);

  const now = deps.clock();
  const day = businessDate(now);
  const payableId = newId('payable', now.getTime());
  const done = await deps.db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('purchase_orders').select(['status', 'supplier_id', 'store_id']).where('id', '=', poId).forUpdate().executeTakeFirstOrThrow();
    // Under the order's lock a concurrent retry of this receipt has committed or not started.
    if (await trx.selectFrom('purchase_receipts').select('id').where('id', '=', input.receiptId).executeTakeFirst()) return false;
    if (locked.status === 'draft') throw new AppError('conflict', '采购单还是草稿，请先下单再收货');
    if (locked.status === 'cancelled') throw new AppError('conflict', '采购单已取消，不能收货');
    if (locked.status === 'received') throw new AppError('validation_failed', '采购单已全部收货');
    const matched = await matchPoLines(trx, poId, input.lines);
    const over = matched.filter((m) => m.qty > m.poLine.qty - m.poLine.received_qty);
    if (over.length > 0) {
      throw new AppError(
        'validation_failed',
        `收货数量超过未收数量：${over.map((m) => `第 ${m.poLine.line_no} 行 收 ${m.qty}，未收 ${m.poLine.qty - m.poLine.received_qty}`).join('；')}`,
        over.map((m) => ({ path: 'lines.qty', message: `SKU ${m.skuId}: ${m.qty} > remaining ${m.poLine.qty - m.poLine.received_qty}` })),
      );
    }
    const supplier = await trx.selectFrom('suppliers').select(['payment_terms_days']).where('id', '=', locked.supplier_id).executeTakeFirstOrThrow();
    const valueFen = matched.reduce((s, m) => s + m.qty * m.poLine.unit_cost_fen, 0);

    await trx
      .insertInto('purchase_receipts')
      .values({ id: input.receiptId, merchant_id: staff.merchantId, po_id: poId, supplier_id: locked.supplier_id, store_id: locked.store_id, request_hash: hash, value_fen: valueFen, business_date: day, received_at: now, created_by: staff.staffId })
      .execute();
    await trx
      .insertInto('purchase_receipt_lines')
      .values(matched.map((m) => ({ receipt_id: input.receiptId, line_no: m.poLine.line_no, sku_id: m.skuId, qty: m.qty, unit_cost_fen: m.poLine.unit_cost_fen, value_fen: m.qty * m.poLine.unit_cost_fen })))
      .execute();
    for (const m of matched) {
      await trx.updateTable('purchase_order_lines').set({ received_qty: sql`received_qty + ${m.qty}` }).where('po_id', '=', poId).where('line_no', '=', m.poLine.line_no).execute();
    }
    const remaining = await trx.selectFrom('purchase_order_lines').select(sql<number>`coalesce(sum(qty - received_qty), 0)::int`.as('n')).where('po_id', '=', poId).executeTakeFirstOrThrow();
    await trx
      .updateTable('purchase_orders')
      .set({ status: remaining.n === 0 ? 'received' : 'partially_received', updated_at: now })
      .where('id', '=', poId)
      .where('status', 'in', ['ordered', 'partially_received'])
      .execute();

    const before = await lockStockAndCost(trx, staff.merchantId, locked.store_id, matched.map((m) => m.skuId));
    await applyCostChanges(
      trx,
      { merchantId: staff.merchantId, storeId: locked.store_id, sourceKind: 'purchase_receipt', sourceId: input.receiptId, at: now },
      before,
      matched.map((m) => ({ skuId: m.skuId, qtyDelta: m.qty, unitCostFen: m.poLine.unit_cost_fen })),
    );
    await recordMovements(
      trx,
      matched.map((m) => ({
        merchantId: staff.merchantId,
        storeId: locked.store_id,
        skuId: m.skuId,
        kind: 'purchase_receipt' as const,
        onHandDelta: m.qty,
        refId: input.receiptId,
        idempotencyKey: `purchase_receipt:${input.receiptId}:${m.poLine.line_no}`,
        createdBy: staff.staffId,
      })),
    );
    await trx
      .insertInto('supplier_payables')
      .values({ id: payableId, merchant_id: staff.merchantId, supplier_id: locked.supplier_id, store_id: locked.store_id, receipt_id: input.receiptId, amount_fen: valueFen, business_date: day, due_date: addDays(day, supplier.payment_terms_days) })
      .execute();
    // Goods the supplier gave free add stock and nothing to the books.
    if (valueFen > 0) {
      await postEntry(trx, {
        merchantId: staff.merchantId,
        storeId: locked.store_id,
        eventKey: `purchase_receipt:${input.receiptId}`,
        businessDate: day,
        occurredAt: now,
        memo: `采购收货 ${poId}`,
        lines: [
          { account: 'inventory', debitFen: valueFen },
          { account: 'payables', creditFen: valueFen },
        ],
      });
    }
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'purchase_order.received', subjectId: poId, detail: { receiptId: input.receiptId, valueFen, lines: input.lines } });
    return true;
  });
  if (!done) return (await replay())!;
  return { order: await purchaseOrderView(deps.db, staff.merchantId, po.id), receiptId: input.receiptId, payableId, replayed: false };
}
