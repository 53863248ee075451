import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** `date` columns: the Asia/Shanghai business day as YYYY-MM-DD. */
type BusinessDate = string;

export type PurchaseOrderStatus = 'draft' | 'ordered' | 'partially_received' | 'received' | 'cancelled';

export interface SuppliersTable {
  id: string;
  merchant_id: string;
  name: string;
  contact: Generated<string>;
  phone: Generated<string>;
  payment_terms_days: number;
  lead_time_days: number;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}
export interface PurchaseOrdersTable {
  id: string;
  merchant_id: string;
  supplier_id: string;
  store_id: string;
  status: PurchaseOrderStatus;
  expected_date: BusinessDate | null;
  note: Generated<string>;
  request_hash: string;
  ordered_fen: number;
  created_by: string;
  business_date: BusinessDate;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}
export interface PurchaseOrderLinesTable {
  po_id: string;
  line_no: number;
  merchant_id: string;
  sku_id: string;
  qty: number;
  unit_cost_fen: number;
  received_qty: Generated<number>;
  returned_qty: Generated<number>;
}
export interface PurchaseReceiptsTable {
  id: string;
  merchant_id: string;
  po_id: string;
  supplier_id: string;
  store_id: string;
  request_hash: string;
  value_fen: number;
  business_date: BusinessDate;
  received_at: Timestamp;
  created_by: string;
}
export interface PurchaseReceiptLinesTable {
  receipt_id: string;
  line_no: number;
  sku_id: string;
  qty: number;
  unit_cost_fen: number;
  value_fen: number;
}
export interface PurchaseReturnsTable {
  id: string;
  merchant_id: string;
  po_id: string;
  supplier_id: string;
  store_id: string;
  request_hash: string;
  value_fen: number;
  reason: string;
  business_date: BusinessDate;
  returned_at: Timestamp;
  created_by: string;
}
export interface PurchaseReturnLinesTable {
  return_id: string;
  line_no: number;
  sku_id: string;
  qty: number;
  unit_cost_fen: number;
  value_fen: number;
}
export interface SupplierPayablesTable {
  id: string;
  merchant_id: string;
  supplier_id: string;
  store_id: string;
  receipt_id: string;
  amount_fen: number;
  settled_fen: Generated<number>;
  business_date: BusinessDate;
  due_date: BusinessDate;
}
export interface SupplierPaymentsTable {
  id: string;
  merchant_id: string;
  supplier_id: string;
  amount_fen: number;
  method: 'bank' | 'cash';
  note: Generated<string>;
  request_hash: string;
  business_date: BusinessDate;
  paid_at: Timestamp;
  created_by: string;
}
export interface PayableAllocationsTable {
  payable_id: string;
  source_kind: 'payment' | 'return';
  source_id: string;
  merchant_id: string;
  amount_fen: number;
  created_at: CreatedAt;
}
export interface SkuStoreCostsTable {
  merchant_id: string;
  store_id: string;
  sku_id: string;
  avg_cost_fen: number;
  updated_at: UpdatedAt;
}
export interface SkuCostHistoryTable {
  id: Generated<number>;
  merchant_id: string;
  store_id: string;
  sku_id: string;
  source_kind: 'purchase_receipt' | 'purchase_return';
  source_id: string;
  on_hand_before: number;
  avg_before_fen: number;
  qty_delta: number;
  unit_cost_fen: number;
  avg_after_fen: number;
  created_at: CreatedAt;
}

export interface PurchasingTables {
  suppliers: SuppliersTable;
  purchase_orders: PurchaseOrdersTable;
  purchase_order_lines: PurchaseOrderLinesTable;
  purchase_receipts: PurchaseReceiptsTable;
  purchase_receipt_lines: PurchaseReceiptLinesTable;
  purchase_returns: PurchaseReturnsTable;
  purchase_return_lines: PurchaseReturnLinesTable;
  supplier_payables: SupplierPayablesTable;
  supplier_payments: SupplierPaymentsTable;
  payable_allocations: PayableAllocationsTable;
  sku_store_costs: SkuStoreCostsTable;
  sku_cost_history: SkuCostHistoryTable;
}
