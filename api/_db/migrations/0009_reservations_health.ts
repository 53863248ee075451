import type { Migration } from '../migrator.js';

/**
 * Customer reservations: goods held at a store for a customer to pick up by
 * a date. The id is made by the client, so a repeated request finds the first
 * one; the holds themselves live in stock_levels.reserved and the movement
 * ledger ('reserve' / 'release'), keyed by the reservation.
 */
export const m0009_reservations_health: Migration = {
  name: '0009_reservations_health',
  up: [
    `create table customer_reservations (
      id text primary key,
      merchant_id text not null,
      store_id text not null,
      request_hash text not null,
      channel text not null check (channel in ('counter', 'shop')),
      member_id text,
      customer_name text not null,
      customer_phone text not null,
      pickup_by date not null,
      status text not null check (status in ('active', 'picked_up', 'expired', 'cancelled')),
      note text not null default '',
      created_by text,
      order_id text,
      ended_at timestamptz,
      created_at timestamptz not null default now(),
      check ((status = 'picked_up') = (order_id is not null)),
      check ((status = 'active') = (ended_at is null)),
      unique (merchant_id, id),
      foreign key (merchant_id, store_id) references stores(merchant_id, id),
      foreign key (merchant_id, member_id) references members(merchant_id, id)
    )`,
    `create index customer_reservations_store_status on customer_reservations (store_id, status, pickup_by)`,
    `create index customer_reservations_due on customer_reservations (pickup_by) where status = 'active'`,
    `create index customer_reservations_member on customer_reservations (member_id) where member_id is not null`,
    `create table customer_reservation_lines (
      reservation_id text not null references customer_reservations(id),
      merchant_id text not null,
      sku_id text not null,
      qty integer not null check (qty > 0),
      primary key (reservation_id, sku_id),
      foreign key (merchant_id, sku_id) references skus(merchant_id, id)
    )`,
    // The health report reads a store's movements by time.
    `create index stock_movements_store_time on stock_movements (store_id, created_at)`,
  ],
};
