import { sql } from 'kysely';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { requestHash } from '../_kernel/idempotency.js';
import type { Deps } from '../_kernel/deps.js';
import { businessDate } from '../_kernel/clock.js';
import { audit } from '../_audit/index.js';
import { recordMovements } from '../_stock/index.js';
import { postEntry } from '../_ledger/index.js';
import { formatFen } from '../../shared/money.js';
import type { PurchaseOrderView, PurchaseReturnRequest } from '../../shared/api/purchasing.js';
import { applyCostChanges, lockStockAndCost } from './cost.repository.js';
import { accessiblePurchaseOrder } from './orders.service.js';
import { purchaseOrderView } from './order-view.js';
import { allocateInOrder, lockOpenPayables, settlePayables } from './payables.repository.js';
import { matchPoLines } from './receiving.service.js';

export interface PurchaseReturnResult {
  order: PurchaseOrderView;
  returnId: string;
  valueFen: number;
  replayed: boolean;
}

/**
 * Sends received goods back to the supplier, at the price they were bought
 * for. Refused, with nothing written, when a line asks for more than was
 * received less already returned, more than the store has available, or
 * when the supplier is owed less than the goods are worth (the credit
 * settles open payables: this order's first, then the oldest).
 */
export async function returnToSupplier(deps: Deps, staff: StaffPrincipal, poId: string, input: PurchaseReturnRequest): Promise<PurchaseReturnResult> {
  const hash = requestHash({ poId, lines: input.lines, reason: input.reason });
  const replay = async () => {
    const existing = await deps.db.selectFrom('purchase_returns').select(['merchant_id', 'request_hash', 'value_fen']).where('id', '=', input.returnId).executeTakeFirst();
    if (!existing) return null;
    if (existing.merchant_id !== staff.merchantId || existing.request_hash !== hash) throw new AppError('idempotency_mismatch', `退货单号 ${input.returnId} 已用于另一次退货`);
    return { order: await purchaseOrderView(deps.db, staff.merchantId, poId), returnId: input.returnId, valueFen: existing.value_fen, replayed: true };
  };
  const first = await replay();
  if (first) return first;
  await accessiblePurchaseOrder(deps, staff, poId);

  const now = deps.clock();
  const day = businessDate(now);
  const valueFen = await deps.db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('purchase_orders').select(['status', 'supplier_id', 'store_id']).where('id', '=', poId).forUpdate().executeTakeFirstOrThrow();
    if (await trx.selectFrom('purchase_returns').select('id').where('id', '=', input.returnId).executeTakeFirst()) return null;
    if (locked.status !== 'partially_received' && locked.status !== 'received') throw new AppError('conflict', '这张采购单还没有收货，没有可退的货');
    const matched = await matchPoLines(trx, poId, input.lines);
    const over = matched.filter((m) => m.qty > m.poLine.received_qty - m.poLine.returned_qty);
    if (over.length > 0) {
      throw new AppError(
        'validation_failed',
        `退货数量超过可退数量（已收减已退）：${over.map((m) => `第 ${m.poLine.line_no} 行 退 ${m.qty}，可退 ${m.poLine.received_qty - m.poLine.returned_qty}`).join('；')}`,
        over.map((m) => ({ path: 'lines.qty', message: `SKU ${m.skuId}: ${m.qty} > returnable ${m.poLine.received_qty - m.poLine.returned_qty}` })),
      );
    }
    const stock = await lockStockAndCost(trx, staff.merchantId, locked.store_id, matched.map((m) => m.skuId));
    const short = matched.filter((m) => m.qty > stock.get(m.skuId)!.onHand - stock.get(m.skuId)!.reserved);
    if (short.length > 0) {
      throw new AppError('insufficient_stock', `门店可用库存不足，不能退给供应商：${short.map((m) => `第 ${m.poLine.line_no} 行 退 ${m.qty}，可用 ${stock.get(m.skuId)!.onHand - stock.get(m.skuId)!.reserved}`).join('；')}`);
    }
    const value = matched.reduce((s, m) => s + m.qty * m.poLine.unit_cost_fen, 0);
    if (value <= 0) throw new AppError('validation_failed', '退货金额为 0（赠品），无需登记退货');
    const open = await lockOpenPayables(trx, staff.merchantId, locked.supplier_id);
    const owed = open.reduce((s, p) => s + p.balanceFen, 0);
    if (value > owed) {
      throw new AppError('validation_failed', `退货金额 ${formatFen(value)} 超过欠该供应商的应付余额 ${formatFen(owed)}；已付清的货退回需供应商退款，暂不支持登记`);
    }
    const ordered = [...open.filter((p) => p.poId === poId), ...open.filter((p) => p.poId !== poId)];
    const allocations = allocateInOrder(value, ordered);

    await trx
      .insertInto('purchase_returns')
      .values({ id: input.returnId, merchant_id: staff.merchantId, po_id: poId, supplier_id: locked.supplier_id, store_id: locked.store_id, request_hash: hash, value_fen: value, reason: input.reason, business_date: day, returned_at: now, created_by: staff.staffId })
      .execute();
    await trx
      .insertInto('purchase_return_lines')
      .values(matched.map((m) => ({ return_id: input.returnId, line_no: m.poLine.line_no, sku_id: m.skuId, qty: m.qty, unit_cost_fen: m.poLine.unit_cost_fen, value_fen: m.qty * m.poLine.unit_cost_fen })))
      .execute();
    for (const m of matched) {
      await trx.updateTable('purchase_order_lines').set({ returned_qty: sql`returned_qty + ${m.qty}` }).where('po_id', '=', poId).where('line_no', '=', m.poLine.line_no).execute();
    }
    await applyCostChanges(
      trx,
      { merchantId: staff.merchantId, storeId: locked.store_id, sourceKind: 'purchase_return', sourceId: input.returnId, at: now },
      stock,
      matched.map((m) => ({ skuId: m.skuId, qtyDelta: -m.qty, unitCostFen: m.poLine.unit_cost_fen })),
    );
    await recordMovements(
      trx,
      matched.map((m) => ({
        merchantId: staff.merchantId,
        storeId: locked.store_id,
        skuId: m.skuId,
        kind: 'purchase_return' as const,
        onHandDelta: -m.qty,
        refId: input.returnId,
        idempotencyKey: `purchase_return:${input.returnId}:${m.poLine.line_no}`,
        createdBy: staff.staffId,
      })),
    );
    await settlePayables(trx, staff.merchantId, { kind: 'return', id: input.returnId }, allocations);
    await postEntry(trx, {
      merchantId: staff.merchantId,
      storeId: locked.store_id,
      eventKey: `purchase_return:${input.returnId}`,
      businessDate: day,
      occurredAt: now,
      memo: `采购退货 ${poId}`,
      lines: [
        { account: 'payables', debitFen: value },
        { account: 'inventory', creditFen: value },
      ],
    });
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'purchase_order.returned', subjectId: poId, detail: { returnId: input.returnId, valueFen: value, reason: input.reason, lines: input.lines, allocations } });
    return value;
  });
  if (valueFen === null) return (await replay())!;
  return { order: await purchaseOrderView(deps.db, staff.merchantId, poId), returnId: input.returnId, valueFen, replayed: false };
}
