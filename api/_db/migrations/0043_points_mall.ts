import type { Migration } from '../migrator.js';

/**
 * The points mall (#17). A gift is a SKU of the catalog offered for points
 * (and an optional cash part), so its stock is the store's stock of that SKU
 * and moves through the stock ledger. A redemption holds the units at the
 * pickup store and takes the points in one transaction; handing it over
 * turns the hold into a `gift_out` movement, cancelling gives both back.
 * Each redemption is keyed by the client's idempotency key, and a pickup
 * code is unique among a store's redemptions still waiting.
 */
export const m0043_points_mall: Migration = {
  name: '0043_points_mall',
  up: [
    `create table mall_gifts (
      id text primary key check (id ~ '^gft_[0-9A-HJKMNP-TV-Z]{26}$'),
      merchant_id text not null references merchants(id),
      sku_id text not null,
      name text not null,
      points_price integer not null check (points_price > 0),
      cash_fen bigint not null default 0 check (cash_fen >= 0),
      per_member_max integer not null check (per_member_max between 1 and 99),
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (merchant_id, id),
      foreign key (merchant_id, sku_id) references skus(merchant_id, id)
    )`,
    `create table mall_redemptions (
      id text primary key check (id ~ '^mrd_[0-9A-HJKMNP-TV-Z]{26}$'),
      merchant_id text not null references merchants(id),
      gift_id text not null,
      member_id text not null,
      store_id text not null,
      sku_id text not null,
      qty integer not null check (qty between 1 and 10),
      points integer not null check (points > 0),
      cash_fen bigint not null check (cash_fen >= 0),
      channel text not null check (channel in ('shop', 'counter')),
      status text not null check (status in ('awaiting_pickup', 'picked_up', 'cancelled')),
      pickup_code text check (pickup_code ~ '^[0-9]{8}$'),
      idempotency_key text not null,
      request_hash text not null,
      created_at timestamptz not null default now(),
      picked_up_at timestamptz,
      picked_up_by text references staff(id),
      cancelled_at timestamptz,
      cancelled_by text references staff(id),
      unique (merchant_id, idempotency_key),
      foreign key (merchant_id, gift_id) references mall_gifts(merchant_id, id),
      foreign key (merchant_id, member_id) references members(merchant_id, id),
      foreign key (merchant_id, store_id) references stores(merchant_id, id),
      check ((status = 'picked_up') = (picked_up_at is not null)),
      check ((status = 'cancelled') = (cancelled_at is not null))
    )`,
    `create unique index mall_redemptions_waiting_code on mall_redemptions (store_id, pickup_code) where status = 'awaiting_pickup'`,
    `create index mall_redemptions_member on mall_redemptions (member_id, gift_id)`,
    `create index mall_redemptions_store on mall_redemptions (store_id, created_at)`,
    // A gift handed over leaves the shelf as its own kind of movement, told apart from a sale.
    // The list keeps every kind earlier migrations allow (0006 added stocktake_adjust).
    `alter table stock_movements drop constraint if exists stock_movements_kind_check`,
    `alter table stock_movements add constraint stock_movements_kind_check
      check (kind in ('receipt', 'sale', 'return', 'transfer_out', 'transfer_in', 'adjustment', 'reserve', 'release', 'purchase_receipt', 'purchase_return', 'stocktake_adjust', 'gift_out'))`,
  ],
};
