import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface TradeCustomersTable {
  id: string;
  merchant_id: string;
  name: string;
  contact: Generated<string>;
  phone: Generated<string>;
  credit_limit_fen: number;
  terms_days: number;
  active: Generated<boolean>;
  created_at: CreatedAt;
}
export interface TradeCustomerPricesTable {
  merchant_id: string;
  customer_id: string;
  sku_id: string;
  price_fen: number;
}
export interface CreditApprovalsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  customer_id: string;
  approved_by: string;
  max_fen: number;
  note: string;
  expires_at: Timestamp;
  used_order_id: string | null;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}
export interface ReceivablesTable {
  id: string;
  merchant_id: string;
  store_id: string;
  customer_id: string;
  order_id: string;
  amount_fen: number;
  issued_date: string;
  due_date: string;
  approval_id: string | null;
  created_at: CreatedAt;
}
export interface CustomerReceiptsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  customer_id: string;
  client_receipt_id: string;
  request_hash: string;
  method: 'cash' | 'bank';
  amount_fen: number;
  reference: string | null;
  business_date: string;
  received_by: string;
  created_at: CreatedAt;
}
export interface ReceivableSettlementsTable {
  id: string;
  merchant_id: string;
  receivable_id: string;
  kind: 'receipt' | 'return';
  receipt_id: string | null;
  return_id: string | null;
  amount_fen: number;
  business_date: string;
  created_at: CreatedAt;
}

export interface CreditTables {
  trade_customers: TradeCustomersTable;
  trade_customer_prices: TradeCustomerPricesTable;
  credit_approvals: CreditApprovalsTable;
  receivables: ReceivablesTable;
  customer_receipts: CustomerReceiptsTable;
  receivable_settlements: ReceivableSettlementsTable;
}
