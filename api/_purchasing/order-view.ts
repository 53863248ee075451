import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { specLabel } from '../../shared/spec-label.js';
import type { PurchaseOrderView } from '../../shared/api/purchasing.js';

type Db = Kysely<DB> | Transaction<DB>;

/** A purchase order as the phone shows it: lines with what was received and returned, and the receipts and returns made. */
export async function purchaseOrderView(db: Db, merchantId: string, poId: string): Promise<PurchaseOrderView> {
  const po = await db
    .selectFrom('purchase_orders as po')
    .innerJoin('suppliers as s', 's.id', 'po.supplier_id')
    .innerJoin('stores as st', 'st.id', 'po.store_id')
    .select(['po.id', 'po.supplier_id', 's.name as supplier_name', 'po.store_id', 'st.name as store_name', 'po.status', 'po.expected_date', 'po.note', 'po.ordered_fen', 'po.business_date', 'po.created_at'])
    .where('po.merchant_id', '=', merchantId)
    .where('po.id', '=', poId)
    .executeTakeFirst();
  if (!po) throw new AppError('not_found', `找不到采购单 ${poId}`);
  const [lines, receipts, receiptLines, returns] = await Promise.all([
    db
      .selectFrom('purchase_order_lines as l')
      .innerJoin('skus', 'skus.id', 'l.sku_id')
      .innerJoin('products', 'products.id', 'skus.product_id')
      .select(['l.line_no', 'l.sku_id', 'products.name', 'skus.spec', 'skus.barcode', 'l.qty', 'l.unit_cost_fen', 'l.received_qty', 'l.returned_qty'])
      .where('l.po_id', '=', poId)
      .orderBy('l.line_no')
      .execute(),
    db.selectFrom('purchase_receipts').select(['id', 'business_date', 'value_fen']).where('po_id', '=', poId).orderBy('id').execute(),
    db
      .selectFrom('purchase_receipt_lines as rl')
      .innerJoin('purchase_receipts as r', 'r.id', 'rl.receipt_id')
      .select(['rl.receipt_id', 'rl.sku_id', 'rl.qty', 'rl.value_fen'])
      .where('r.po_id', '=', poId)
      .orderBy('rl.receipt_id')
      .orderBy('rl.line_no')
      .execute(),
    db.selectFrom('purchase_returns').select(['id', 'business_date', 'value_fen', 'reason']).where('po_id', '=', poId).orderBy('id').execute(),
  ]);
  return {
    id: po.id,
    supplierId: po.supplier_id,
    supplierName: po.supplier_name,
    storeId: po.store_id,
    storeName: po.store_name,
    status: po.status,
    expectedDate: po.expected_date,
    note: po.note,
    orderedFen: po.ordered_fen,
    receivedFen: receipts.reduce((s, r) => s + r.value_fen, 0),
    returnedFen: returns.reduce((s, r) => s + r.value_fen, 0),
    businessDate: po.business_date,
    createdAt: po.created_at.toISOString(),
    lines: lines.map((l) => ({
      lineNo: l.line_no,
      skuId: l.sku_id,
      name: l.name,
      spec: specLabel(l.spec),
      barcode: l.barcode,
      qty: l.qty,
      unitCostFen: l.unit_cost_fen,
      receivedQty: l.received_qty,
      returnedQty: l.returned_qty,
    })),
    receipts: receipts.map((r) => ({
      id: r.id,
      businessDate: r.business_date,
      valueFen: r.value_fen,
      lines: receiptLines.filter((l) => l.receipt_id === r.id).map((l) => ({ skuId: l.sku_id, qty: l.qty, valueFen: l.value_fen })),
    })),
    returns: returns.map((r) => ({ id: r.id, businessDate: r.business_date, valueFen: r.value_fen, reason: r.reason })),
  };
}
