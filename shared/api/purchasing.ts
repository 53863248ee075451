import { z } from 'zod';
import { fen, idOf } from './common.js';

/** Limits of purchasing, shared so the phone can refuse early; the server checks them again. */
export const purchase_order_lines_max = 100;
export const purchase_line_qty_max = 99_999;
/** 十万元 a unit is far above anything a small shop buys; a typo of extra zeros is caught here. */
export const purchase_unit_cost_fen_max = 10_000_000;
export const supplier_payment_terms_days_max = 365;
export const supplier_lead_time_days_max = 180;
export const supplier_payment_allocations_max = 100;
export const purchase_note_length_max = 200;
export const purchase_return_reason_length_max = 80;
export const purchasing_list_max = 100;
/** Statement and report periods longer than this are refused, so one query stays small. */
export const purchasing_period_days_max = 366;
export const reorder_velocity_days_default = 28;
export const reorder_velocity_days_max = 180;
export const reorder_cover_days_default = 7;
export const reorder_cover_days_max = 90;
/** Lead time assumed for a SKU never bought through a purchase order. */
export const reorder_lead_time_days_default = 3;

export const businessDay = z.iso.date();

const supplierFields = {
  name: z.string().trim().min(1).max(64),
  contact: z.string().trim().max(32),
  phone: z.string().trim().max(32).regex(/^[0-9+\- ]*$/, '电话只能包含数字、+、- 和空格'),
  paymentTermsDays: z.number().int().min(0).max(supplier_payment_terms_days_max),
  leadTimeDays: z.number().int().min(0).max(supplier_lead_time_days_max),
  active: z.boolean(),
};
export const createSupplierRequest = z.strictObject({
  ...supplierFields,
  contact: supplierFields.contact.default(''),
  phone: supplierFields.phone.default(''),
  leadTimeDays: supplierFields.leadTimeDays.default(reorder_lead_time_days_default),
  active: supplierFields.active.default(true),
});
export const updateSupplierRequest = z
  .strictObject({
    name: supplierFields.name.optional(),
    contact: supplierFields.contact.optional(),
    phone: supplierFields.phone.optional(),
    paymentTermsDays: supplierFields.paymentTermsDays.optional(),
    leadTimeDays: supplierFields.leadTimeDays.optional(),
    active: supplierFields.active.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, '至少修改一项');
export const supplierView = z.object({
  id: z.string(),
  name: z.string(),
  contact: z.string(),
  phone: z.string(),
  paymentTermsDays: z.number().int(),
  leadTimeDays: z.number().int(),
  active: z.boolean(),
});
export type SupplierView = z.infer<typeof supplierView>;
export const suppliersResponse = z.object({ items: z.array(supplierView) });
export const supplierResponse = z.object({ supplier: supplierView });

export const purchaseOrderStatus = z.enum(['draft', 'ordered', 'partially_received', 'received', 'cancelled']);
export type PurchaseOrderStatus = z.infer<typeof purchaseOrderStatus>;

export const createPurchaseOrderRequest = z.strictObject({
  /** Made on the phone: a retry with the same content returns the first result, other content is a 409. */
  id: idOf('pco'),
  supplierId: idOf('sup'),
  storeId: idOf('sto'),
  expectedDate: businessDay.optional(),
  note: z.string().trim().max(purchase_note_length_max).default(''),
  /** A draft can still be changed by cancelling it; an ordered PO can be received. */
  status: z.enum(['draft', 'ordered']).default('ordered'),
  lines: z
    .array(
      z.strictObject({
        skuId: idOf('sku'),
        qty: z.number().int().min(1).max(purchase_line_qty_max),
        unitCostFen: fen.min(0).max(purchase_unit_cost_fen_max),
      }),
    )
    .min(1)
    .max(purchase_order_lines_max, `一张采购单最多 ${purchase_order_lines_max} 行（purchase_order_lines_max）`),
});
export type CreatePurchaseOrderRequest = z.input<typeof createPurchaseOrderRequest>;

export const purchaseOrderLineView = z.object({
  lineNo: z.number().int(),
  skuId: z.string(),
  name: z.string(),
  spec: z.string(),
  barcode: z.string(),
  qty: z.number().int(),
  unitCostFen: fen,
  receivedQty: z.number().int(),
  returnedQty: z.number().int(),
});
export const purchaseOrderView = z.object({
  id: z.string(),
  supplierId: z.string(),
  supplierName: z.string(),
  storeId: z.string(),
  storeName: z.string(),
  status: purchaseOrderStatus,
  expectedDate: z.string().nullable(),
  note: z.string(),
  orderedFen: fen,
  receivedFen: fen,
  returnedFen: fen,
  businessDate: z.string(),
  createdAt: z.string(),
  lines: z.array(purchaseOrderLineView),
  receipts: z.array(z.object({ id: z.string(), businessDate: z.string(), valueFen: fen, lines: z.array(z.object({ skuId: z.string(), qty: z.number().int(), valueFen: fen })) })),
  returns: z.array(z.object({ id: z.string(), businessDate: z.string(), valueFen: fen, reason: z.string() })),
});
export type PurchaseOrderView = z.infer<typeof purchaseOrderView>;
export const purchaseOrderResponse = z.object({ order: purchaseOrderView, replayed: z.boolean() });
export const purchaseOrderSummary = purchaseOrderView.omit({ lines: true, receipts: true, returns: true }).extend({ lineCount: z.number().int() });
export const purchaseOrdersResponse = z.object({ items: z.array(purchaseOrderSummary) });
export const purchaseOrdersQuery = z.strictObject({ storeId: idOf('sto').optional(), supplierId: idOf('sup').optional(), status: purchaseOrderStatus.optional() });

const qtyLines = z
  .array(z.strictObject({ skuId: idOf('sku'), qty: z.number().int().min(1).max(purchase_line_qty_max) }))
  .min(1)
  .max(purchase_order_lines_max, `最多 ${purchase_order_lines_max} 行（purchase_order_lines_max）`);

export const receiveRequest = z.strictObject({ receiptId: idOf('grn'), lines: qtyLines });
export type ReceiveRequest = z.infer<typeof receiveRequest>;
export const purchaseReturnRequest = z.strictObject({ returnId: idOf('prt'), lines: qtyLines, reason: z.string().trim().min(1).max(purchase_return_reason_length_max) });
export type PurchaseReturnRequest = z.infer<typeof purchaseReturnRequest>;

export const payableView = z.object({
  id: z.string(),
  supplierId: z.string(),
  supplierName: z.string(),
  storeId: z.string(),
  receiptId: z.string(),
  poId: z.string(),
  amountFen: fen,
  settledFen: fen,
  balanceFen: fen,
  businessDate: z.string(),
  dueDate: z.string(),
  daysOverdue: z.number().int(),
});
export type PayableView = z.infer<typeof payableView>;
export const payablesQuery = z.strictObject({ supplierId: idOf('sup').optional(), open: z.enum(['true', 'false']).optional() });
export const payablesResponse = z.object({ items: z.array(payableView) });

export const agingBucket = z.enum(['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus']);
export type AgingBucket = z.infer<typeof agingBucket>;
export const agingRow = z.object({
  supplierId: z.string(),
  supplierName: z.string(),
  current: fen,
  d1_30: fen,
  d31_60: fen,
  d61_90: fen,
  d90_plus: fen,
  totalFen: fen,
});
export const agingResponse = z.object({ asOf: z.string(), items: z.array(agingRow), totals: agingRow.omit({ supplierId: true, supplierName: true }) });
export type AgingResponse = z.infer<typeof agingResponse>;

export const supplierPaymentRequest = z.strictObject({
  id: idOf('spy'),
  supplierId: idOf('sup'),
  amountFen: fen.min(1),
  method: z.enum(['bank', 'cash']).default('bank'),
  note: z.string().trim().max(80).default(''),
  /** Leave out to settle the oldest payables first. */
  allocations: z
    .array(z.strictObject({ payableId: idOf('apb'), amountFen: fen.min(1) }))
    .min(1)
    .max(supplier_payment_allocations_max)
    .optional(),
});
export type SupplierPaymentRequest = z.input<typeof supplierPaymentRequest>;
export const supplierPaymentView = z.object({
  id: z.string(),
  supplierId: z.string(),
  amountFen: fen,
  method: z.enum(['bank', 'cash']),
  note: z.string(),
  businessDate: z.string(),
  allocations: z.array(z.object({ payableId: z.string(), amountFen: fen })),
});
export const supplierPaymentResponse = z.object({ payment: supplierPaymentView, replayed: z.boolean() });
export const purchaseReceiptResponse = z.object({ order: purchaseOrderView, receiptId: z.string(), payableId: z.string(), replayed: z.boolean() });
export const purchaseReturnResponse = z.object({ order: purchaseOrderView, returnId: z.string(), valueFen: fen, replayed: z.boolean() });

export const periodQuery = z.strictObject({ from: businessDay, to: businessDay });
export const statementRow = z.object({
  kind: z.enum(['receipt', 'return', 'payment']),
  /** The record the row comes from: a grn_, prt_ or spy_ id. */
  refId: z.string(),
  poId: z.string().nullable(),
  businessDate: z.string(),
  /** What the row adds to the amount owed: receipts are positive, returns and payments negative. */
  amountFen: fen,
  balanceFen: fen,
});
export const statementResponse = z.object({
  supplier: supplierView,
  from: z.string(),
  to: z.string(),
  openingFen: fen,
  receiptsFen: fen,
  returnsFen: fen,
  paymentsFen: fen,
  closingFen: fen,
  rows: z.array(statementRow),
});
export type StatementResponse = z.infer<typeof statementResponse>;

export const reorderQuery = z.strictObject({
  storeId: idOf('sto'),
  days: z.coerce.number().int().min(1).max(reorder_velocity_days_max).default(reorder_velocity_days_default),
  coverDays: z.coerce.number().int().min(0).max(reorder_cover_days_max).default(reorder_cover_days_default),
});
export const reorderItem = z.object({
  skuId: z.string(),
  name: z.string(),
  spec: z.string(),
  soldQty: z.number().int(),
  days: z.number().int(),
  leadTimeDays: z.number().int(),
  supplierId: z.string().nullable(),
  supplierName: z.string().nullable(),
  available: z.number().int(),
  onOrder: z.number().int(),
  suggestedQty: z.number().int(),
});
export const reorderResponse = z.object({ storeId: z.string(), days: z.number().int(), coverDays: z.number().int(), items: z.array(reorderItem) });
export type ReorderResponse = z.infer<typeof reorderResponse>;

export const purchasesReportQuery = periodQuery.extend({
  storeId: idOf('sto').optional(),
  groupBy: z.enum(['supplier', 'sku', 'store']).default('supplier'),
});
export const purchasesReportRow = z.object({
  key: z.string(),
  name: z.string(),
  receivedQty: z.number().int(),
  receivedFen: fen,
  returnedQty: z.number().int(),
  returnedFen: fen,
  netFen: fen,
});
export const purchasesReportResponse = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(['supplier', 'sku', 'store']),
  items: z.array(purchasesReportRow),
  totals: purchasesReportRow.omit({ key: true, name: true }),
});
export type PurchasesReportResponse = z.infer<typeof purchasesReportResponse>;
