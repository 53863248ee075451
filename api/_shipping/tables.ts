import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/**
 * What one upload of shipping information to WeChat came to. `uploaded` and
 * `already_shipped` end the work for a payment; the others are retried by the
 * job until `shipping_upload_attempts_max`.
 */
export type ShippingOutcome = 'uploaded' | 'already_shipped' | 'order_not_found' | 'token_invalid' | 'network_error' | 'failed';

/** One row per attempt, append-only: the payment's shipping trail. */
export interface ShippingUploadsTable {
  id: Generated<number>;
  merchant_id: string;
  payment_id: string;
  /** 1, 2, …: unique per payment, so two workers can never both record the same attempt. */
  attempt: number;
  outcome: ShippingOutcome;
  transaction_id: string;
  logistics_type: number;
  errcode: number | null;
  errmsg: string | null;
  /** What started the attempt: the settlement, the job or WeChat's reminder. */
  trigger: 'settled' | 'job' | 'remind';
  created_at: CreatedAt;
}

/** Trade-management pushes from WeChat (消息推送), append-only, one row per distinct body. */
export interface ShippingEventsTable {
  id: Generated<number>;
  event: string;
  merchant_id: string | null;
  payment_id: string | null;
  transaction_id: string | null;
  /** `trade_manage_order_settlement`: when the buyer confirmed receipt and when funds settle (unix seconds as WeChat sends them, kept as timestamps). */
  confirm_receive_time: ColumnType<Date, Date | string | null | undefined, never> | null;
  settlement_time: ColumnType<Date, Date | string | null | undefined, never> | null;
  /** sha256 of the raw body: WeChat repeats a push it thinks we missed. */
  body_hash: string;
  raw_body: string;
  received_at: CreatedAt;
}

export interface ShippingTables {
  shipping_uploads: ShippingUploadsTable;
  shipping_events: ShippingEventsTable;
}
