import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp, BusinessDate } from '../_db/column-types.js';

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
  /** A shop order's part paid from the member's stored value, drawn when it was made; the platform is asked for the rest. */
  stored_value_fen: Generated<number>;
  /** An open order's member level points multiplier when it was priced, for the points it earns once paid; null for a sale paid at once (its ledger row has it). */
  points_multiplier_bp: number | null;
  cash_received_fen: number | null;
  change_fen: number | null;
  refunded_fen: Generated<number>;
  pricing: ColumnType<unknown, string | null, string | null> | null;
  expires_at: Timestamp | null;
  /** The shift whose drawer the sale's cash went into (api/_shifts); null where no shift was open. */
  shift_id: string | null;
  /** Synced after the shift it was billed in had closed, or when none was open: the owner sees it on the shift and the day close. */
  shift_late: Generated<boolean>;
  /** Self-service only: the table of the store QR the shopper scanned (`/q/<store>/<table>`). */
  table_no: Generated<string | null>;
  /** Self-service only: the 取货码, set when the order is paid, unique per store and business day. */
  pickup_code: Generated<string | null>;
  handed_over_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  handed_over_by: Generated<string | null>;
  /** The counter's idempotency key of the handover: the same key again is a replay, another is refused. */
  handover_key: Generated<string | null>;
  /** Opens the public receipt page (the receipt's QR); set with the receipt number. */
  receipt_token: Generated<string | null>;
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
export interface OrderLinesTable {
  id: string;
  merchant_id: string;
  order_id: string;
  line_index: number;
  sku_id: string;
  product_name: string;
  spec: string;
  category_id: string;
  /** The top-level category category_id sat under at the sale; null for a top-level one and for lines sold before 0052. */
  parent_category_id: ColumnType<string | null, string | null | undefined, never>;
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

export interface DiscountLimitsTable {
  merchant_id: string;
  role: 'owner' | 'manager' | 'assistant';
  line_bp_max: number;
  order_bp_max: number;
  total_fen_max: number;
  updated_by: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
export interface DiscountApprovalsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  code: string;
  approved_by: string;
  max_fen: number;
  note: string;
  expires_at: Timestamp;
  created_at: CreatedAt;
  used_by_order: string | null;
  used_at: Timestamp | null;
}

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface SalesTables {
  orders: OrdersTable;
  order_tenders: OrderTendersTable;
  order_lines: OrderLinesTable;
  receipt_counters: ReceiptCountersTable;
  discount_limits: DiscountLimitsTable;
  discount_approvals: DiscountApprovalsTable;
}
