import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'closed';
export type RefundStatus = 'pending' | 'processing' | 'succeeded' | 'failed' | 'abnormal' | 'closed' | 'to_cash';

export interface PaymentsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  /** The open order the payment pays; null for a stored-value top-up (#17), which `top_up_id` names instead. */
  order_id: string | null;
  top_up_id: Generated<string | null>;
  channel: 'wechat' | 'alipay';
  mode: 'jsapi' | 'qr' | 'code';
  out_trade_no: string;
  amount_fen: number;
  status: PaymentStatus;
  request_hash: string;
  code_url: string | null;
  jsapi: ColumnType<unknown, string | null, string | null> | null;
  platform_trade_no: string | null;
  payer_id: string | null;
  failure_code: string | null;
  failure_message: string | null;
  settled_by: 'notify' | 'query' | 'code' | null;
  surplus: Generated<boolean>;
  refunded_fen: Generated<number>;
  profit_sharing: Generated<boolean>;
  queries: Generated<number>;
  last_query_at: Timestamp | null;
  created_by: string | null;
  created_at: CreatedAt;
  succeeded_at: Timestamp | null;
  closed_at: Timestamp | null;
}

export interface PlatformRefundsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  payment_id: string;
  order_id: string;
  return_id: string | null;
  channel: 'wechat' | 'alipay';
  out_refund_no: string;
  amount_fen: number;
  reason: string;
  status: RefundStatus;
  platform_refund_no: string | null;
  failure_code: string | null;
  failure_message: string | null;
  attempts: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  succeeded_at: Timestamp | null;
}

export interface PaymentNotificationsTable {
  id: Generated<number>;
  channel: string;
  kind: 'payment' | 'refund' | 'unknown';
  outcome: string;
  merchant_id: string | null;
  payment_id: string | null;
  refund_id: string | null;
  out_trade_no: string | null;
  out_refund_no: string | null;
  notification_id: string | null;
  amount_fen: number | null;
  headers: ColumnType<unknown, string, never>;
  /** Null once the retention job has dropped it (payment_notifications_retention_days). */
  raw_body: string | null;
  /** SHA-256 (hex) of the whole body of a refused notification, whose raw_body holds only its first bytes. */
  body_sha256: Generated<string | null>;
  detail: string | null;
  received_at: CreatedAt;
}

export interface PaymentEventsTable {
  id: Generated<number>;
  merchant_id: string;
  payment_id: string | null;
  refund_id: string | null;
  event: string;
  source: string;
  actor_id: string | null;
  detail: ColumnType<unknown, string | undefined, never>;
  created_at: CreatedAt;
}


export interface OrderCancellationsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  order_id: string;
  reason: 'switch_to_cash' | 'customer_left' | 'other';
  request_hash: string;
  status: 'closing' | 'cancelled' | 'already_paid';
  created_by: string;
  created_at: CreatedAt;
  finished_at: Timestamp | null;
}

/** A merchant's identity on one platform (#18): see migration 0030. Tokens are sealed with `api/_kernel/secret-box.ts`. */
export interface MerchantPaymentAccountsTable {
  merchant_id: string;
  channel: 'wechat' | 'alipay';
  mode: 'direct' | 'partner' | 'isv';
  status: 'pending' | 'active' | 'revoked';
  sub_mchid: string | null;
  sub_appid: string | null;
  auth_app_id: string | null;
  seller_id: string | null;
  app_auth_token_sealed: string | null;
  app_refresh_token_sealed: string | null;
  token_expires_at: Timestamp | null;
  refresh_expires_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PaymentsTables {
  merchant_payment_accounts: MerchantPaymentAccountsTable;
  payments: PaymentsTable;
  platform_refunds: PlatformRefundsTable;
  payment_notifications: PaymentNotificationsTable;
  payment_events: PaymentEventsTable;
  order_cancellations: OrderCancellationsTable;
}
