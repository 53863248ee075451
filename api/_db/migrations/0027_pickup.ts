import type { Migration } from '../migrator.js';

/**
 * Self-service orders reach the counter: the table the shopper scanned, the
 * pickup code (取货码) a paid shop order gets, unique per store and business
 * day, and the handover, set once by compare-and-set under the assistant's
 * idempotency key. Every paid order also gets an unguessable receipt token,
 * so the receipt's QR opens the shopper's receipt without naming the order.
 */
export const m0027_pickup: Migration = {
  name: '0027_pickup',
  up: [
    `alter table orders
      add column table_no text check (table_no ~ '^[A-Za-z0-9_-]{1,16}$'),
      add column pickup_code text check (pickup_code ~ '^[0-9]{6}$'),
      add column handed_over_at timestamptz,
      add column handed_over_by text,
      add column handover_key text,
      add column receipt_token text check (receipt_token ~ '^[A-Za-z0-9_-]{22,64}$'),
      add constraint orders_handover_complete check ((handed_over_at is null) = (handover_key is null))`,
    `create unique index orders_pickup_code_day on orders (store_id, business_date, pickup_code) where pickup_code is not null`,
    `create unique index orders_receipt_token on orders (receipt_token) where receipt_token is not null`,
    `create unique index orders_handover_key on orders (handover_key) where handover_key is not null`,
    // The counter's waiting list reads only the few paid shop orders not yet handed over.
    `create index orders_pickup_waiting on orders (store_id, business_date) where pickup_code is not null and handed_over_at is null`,
    // Receipts printed before this migration get a token too, so their page can be opened from now on.
    `update orders set receipt_token = replace(gen_random_uuid()::text, '-', '') where receipt_no is not null and receipt_token is null`,
  ],
};
