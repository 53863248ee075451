import type { Migration } from '../migrator.js';

/**
 * WeChat mini-program shipping information (发货信息管理): every upload
 * attempt for a payment, append-only, and the trade-management pushes.
 * One attempt number per payment, and at most one attempt that ended the
 * work (`uploaded` or `already_shipped`), so a retried job can never upload
 * a payment twice.
 */
export const m0024_shipping_uploads: Migration = {
  name: '0024_shipping_uploads',
  up: [
    `create table shipping_uploads (
      id bigserial primary key,
      merchant_id text not null,
      payment_id text not null references payments(id),
      attempt integer not null check (attempt >= 1),
      outcome text not null check (outcome in ('uploaded', 'already_shipped', 'order_not_found', 'token_invalid', 'network_error', 'failed')),
      transaction_id text not null,
      logistics_type integer not null check (logistics_type between 1 and 4),
      errcode integer,
      errmsg text,
      trigger text not null check (trigger in ('settled', 'job', 'remind')),
      created_at timestamptz not null default now(),
      unique (payment_id, attempt)
    )`,
    `create unique index shipping_uploads_done on shipping_uploads (payment_id) where outcome in ('uploaded', 'already_shipped')`,
    `create table shipping_events (
      id bigserial primary key,
      event text not null,
      merchant_id text,
      payment_id text references payments(id),
      transaction_id text,
      confirm_receive_time timestamptz,
      settlement_time timestamptz,
      body_hash text not null unique,
      raw_body text not null,
      received_at timestamptz not null default now()
    )`,
    `create index shipping_events_payment on shipping_events (payment_id) where payment_id is not null`,
    // The shipping job looks every two minutes for recent paid mini-program payments; without this it would read all payments.
    `create index payments_wechat_jsapi_paid on payments (succeeded_at) where channel = 'wechat' and mode = 'jsapi' and status = 'succeeded'`,
  ],
};
