import type { ReservationTables } from '../_reservations/tables.js';
import type { ColumnType, Generated } from 'kysely';
import type { PaymentsTables } from '../_payments/tables.js';
import type { PurchasingTables } from '../_purchasing/tables.js';
import type { StockOpsTables } from '../_stock/tables.js';
import type { CreditTables } from '../_credit/tables.js';
import type { CommissionTables } from '../_commission/tables.js';
import type { ReportsTables } from '../_reports/tables.js';
import type { SplitTables } from '../_split/tables.js';
import type { ReconcileTables } from '../_reconcile/tables.js';

/** Kysely's view of the tables; the migrations are the truth, this mirrors them. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** `date` columns: the Asia/Shanghai business day as YYYY-MM-DD. */
type BusinessDate = string;

export interface MerchantsTable {
  id: string;
  name: string;
  created_at: CreatedAt;
}
export interface StoresTable {
  id: string;
  merchant_id: string;
  code: string;
  name: string;
  address: Generated<string>;
  created_at: CreatedAt;
}
export interface StaffTable {
  id: string;
  merchant_id: string;
  name: string;
  role: 'owner' | 'manager' | 'assistant';
  active: Generated<boolean>;
  created_at: CreatedAt;
}
export interface StaffStoresTable {
  merchant_id: string;
  staff_id: string;
  store_id: string;
}
export interface StaffIdentitiesTable {
  platform: 'wechat' | 'alipay';
  open_id: string;
  staff_id: string;
  created_at: CreatedAt;
}
export interface StaffInvitesTable {
  code: string;
  merchant_id: string;
  name: string;
  role: 'owner' | 'manager' | 'assistant';
  store_ids: string[];
  created_by: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  used_by: string | null;
}
export interface MembersTable {
  id: string;
  merchant_id: string;
  name: string | null;
  phone: string | null;
  wechat_openid: string | null;
  alipay_user_id: string | null;
  level: Generated<string>;
  created_at: CreatedAt;
}
export interface PointsLedgerTable {
  id: string;
  merchant_id: string;
  member_id: string;
  delta: number;
  balance_after: number;
  reason: string;
  ref_id: string | null;
  idempotency_key: string;
  created_at: CreatedAt;
  seq: Generated<number>;
}
export interface CategoriesTable {
  id: string;
  merchant_id: string;
  name: string;
  sort: Generated<number>;
}
export interface ProductsTable {
  id: string;
  merchant_id: string;
  category_id: string;
  name: string;
  pinyin: Generated<string>;
  unit: Generated<string>;
  active: Generated<boolean>;
  created_at: CreatedAt;
}
export interface SkusTable {
  id: string;
  merchant_id: string;
  product_id: string;
  barcode: string;
  spec: ColumnType<Record<string, string>, string, string>;
  retail_price_fen: number;
  member_price_fen: number;
  cost_fen: number;
  active: Generated<boolean>;
}
export type StockMovementKind = 'receipt' | 'sale' | 'return' | 'transfer_out' | 'transfer_in' | 'adjustment' | 'reserve' | 'release' | 'purchase_receipt' | 'purchase_return' | 'stocktake_adjust';
export interface StockMovementsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  sku_id: string;
  kind: StockMovementKind;
  on_hand_delta: number;
  reserved_delta: Generated<number>;
  ref_id: string | null;
  idempotency_key: string;
  created_by: string | null;
  created_at: CreatedAt;
}
export interface StockLevelsTable {
  merchant_id: string;
  store_id: string;
  sku_id: string;
  on_hand: Generated<number>;
  reserved: Generated<number>;
}
export interface OrdersTable {
  id: string;
  merchant_id: string;
  store_id: string;
  staff_id: string | null;
  member_id: string | null;
  channel: 'counter' | 'self_service';
  status: 'open' | 'paid' | 'cancelled' | 'refunded' | 'partially_refunded';
  total_fen: number;
  business_date: BusinessDate;
  created_at: CreatedAt;
  paid_at: Timestamp | null;
  client_order_id: string | null;
  request_hash: string | null;
  receipt_no: string | null;
  device_id: string | null;
  offline: Generated<boolean>;
  stock_flagged: Generated<boolean>;
  /** Offline sales only: what the device collected minus what the server priced. */
  price_diff_fen: Generated<number>;
  subtotal_list_fen: Generated<number>;
  discount_fen: Generated<number>;
  points_redeemed: Generated<number>;
  points_fen: Generated<number>;
  rounding_fen: Generated<number>;
  points_earned: Generated<number>;
  cash_received_fen: number | null;
  change_fen: number | null;
  refunded_fen: Generated<number>;
  pricing: ColumnType<unknown, string | null, string | null> | null;
  expires_at: Timestamp | null;
}
export interface OrderTendersTable {
  id: string;
  merchant_id: string;
  order_id: string;
  store_id: string;
  method: string;
  amount_fen: number;
  business_date: BusinessDate;
  created_at: CreatedAt;
  reference: string | null;
  status: Generated<'pending' | 'succeeded' | 'failed' | 'refunded'>;
  line_no: Generated<number>;
  payment_id: string | null;
}
export interface MerchantSettingsTable {
  merchant_id: string;
  points_per_yuan: Generated<number>;
  points_redeem_per_fen: Generated<number>;
  points_redeem_cap_bp: Generated<number>;
  member_levels: ColumnType<{ name: string; minSpendFen: number; minVisits: number }[], string | undefined, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
export interface StoreSettingsTable {
  store_id: string;
  merchant_id: string;
  cash_rounding: Generated<'none' | 'jiao' | 'yuan'>;
  reservation_ttl_minutes: Generated<number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
export interface PromotionsTable {
  id: string;
  merchant_id: string;
  store_id: string | null;
  kind: 'threshold' | 'bundle';
  name: string;
  definition: ColumnType<unknown, string, string>;
  active: Generated<boolean>;
  starts_at: Timestamp | null;
  ends_at: Timestamp | null;
  created_at: CreatedAt;
}
export interface OrderLinesTable {
  id: string;
  merchant_id: string;
  order_id: string;
  line_index: number;
  sku_id: string;
  product_name: string;
  spec: string;
  category_id: string;
  qty: number;
  unit_list_fen: number;
  list_fen: number;
  net_fen: number;
  cost_fen: number;
  adjustments: ColumnType<unknown, string, string>;
  returned_qty: Generated<number>;
  returned_fen: Generated<number>;
}
export interface ReceiptCountersTable {
  store_id: string;
  business_date: BusinessDate;
  last_no: number;
}
export interface ReturnLimitsTable {
  merchant_id: string;
  role: 'owner' | 'manager' | 'assistant';
  per_return_fen: number;
  per_day_fen: number;
}
export interface ReturnsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  order_id: string;
  client_return_id: string;
  request_hash: string;
  status: 'pending_approval' | 'completed' | 'rejected';
  amount_fen: number;
  points_clawback: Generated<number>;
  reason: string;
  requested_by: string;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
  business_date: BusinessDate;
  created_at: CreatedAt;
}
export interface StockReservationsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  order_id: string;
  sku_id: string;
  qty: number;
  status: 'active' | 'released' | 'consumed';
  expires_at: Timestamp;
  created_at: CreatedAt;
}
export interface ReturnRefundsTable {
  return_id: string;
  line_no: number;
  method: string;
  amount_fen: number;
}
export interface ReturnLinesTable {
  return_id: string;
  order_line_id: string;
  qty: number;
  amount_fen: number;
}
export interface AuditLogTable {
  id: Generated<number>;
  merchant_id: string;
  actor_id: string | null;
  action: string;
  subject_id: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, never>;
  created_at: CreatedAt;
}

export type LedgerAccountType = 'asset' | 'liability' | 'equity' | 'revenue' | 'expense' | 'contra_revenue';
export interface LedgerAccountsTable {
  merchant_id: string;
  code: string;
  number: string;
  name: string;
  type: LedgerAccountType;
  normal_side: 'debit' | 'credit';
  created_at: CreatedAt;
}
export interface JournalEntriesTable {
  id: string;
  merchant_id: string;
  store_id: string | null;
  event_key: string;
  content_hash: string;
  memo: string;
  business_date: BusinessDate;
  occurred_at: ColumnType<Date, Date | string | undefined, never>;
  line_count: number;
  total_fen: number;
  created_at: CreatedAt;
}
export interface JournalLinesTable {
  entry_id: string;
  line_no: number;
  merchant_id: string;
  account: string;
  debit_fen: number;
  credit_fen: number;
  memo: string | null;
}

export interface DB {
  merchants: MerchantsTable;
  stores: StoresTable;
  staff: StaffTable;
  staff_stores: StaffStoresTable;
  staff_identities: StaffIdentitiesTable;
  staff_invites: StaffInvitesTable;
  members: MembersTable;
  points_ledger: PointsLedgerTable;
  categories: CategoriesTable;
  products: ProductsTable;
  skus: SkusTable;
  stock_movements: StockMovementsTable;
  stock_levels: StockLevelsTable;
  orders: OrdersTable;
  order_tenders: OrderTendersTable;
  merchant_settings: MerchantSettingsTable;
  store_settings: StoreSettingsTable;
  promotions: PromotionsTable;
  order_lines: OrderLinesTable;
  receipt_counters: ReceiptCountersTable;
  return_limits: ReturnLimitsTable;
  returns: ReturnsTable;
  return_lines: ReturnLinesTable;
  return_refunds: ReturnRefundsTable;
  stock_reservations: StockReservationsTable;
  audit_log: AuditLogTable;
  ledger_accounts: LedgerAccountsTable;
  journal_entries: JournalEntriesTable;
  journal_lines: JournalLinesTable;
}
export interface DB extends ReservationTables {}

// Modules added later keep their table types beside them (`api/_<module>/tables.ts`)
// and join the database type here, one line each, by declaration merging:
// `export interface DB extends PurchasingTables {}`.
export interface DB extends PaymentsTables {}
export interface DB extends PurchasingTables {}
export interface DB extends StockOpsTables {}
export interface DB extends CreditTables {}
export interface DB extends CommissionTables {}
export interface DB extends ReportsTables {}
export interface DB extends SplitTables {}
export interface DB extends ReconcileTables {}
