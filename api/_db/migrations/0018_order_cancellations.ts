import type { Migration } from '../migrator.js';

/**
 * The counter's cancellations of orders that wait for a platform payment. The
 * row's id is the client's idempotency key; it is written before the
 * platform is asked to close anything, so a cancellation interrupted while a
 * close was in flight is finished by its repeat, and a key reused for another
 * order or another reason is refused.
 */
export const m0018_order_cancellations: Migration = {
  name: '0018_order_cancellations',
  up: [
    `create table order_cancellations (
      id text primary key,
      merchant_id text not null,
      store_id text not null,
      order_id text not null,
      reason text not null check (reason in ('switch_to_cash', 'customer_left', 'other')),
      request_hash text not null,
      status text not null check (status in ('closing', 'cancelled', 'already_paid')),
      created_by text not null,
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      check ((status = 'closing') = (finished_at is null)),
      foreign key (merchant_id, order_id) references orders(merchant_id, id),
      foreign key (merchant_id, store_id) references stores(merchant_id, id)
    )`,
    `create index order_cancellations_order on order_cancellations (order_id)`,
  ],
};
