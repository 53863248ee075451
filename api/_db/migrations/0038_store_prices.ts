import type { Migration } from '../migrator.js';

/**
 * Prices per store (#15): a store may sell a SKU at its own retail and
 * member price. A row exists only while the store overrides the merchant's
 * price; deleting it returns the store to the merchant price. Bulk price
 * changes are keyed by the id the client made, so a retry replays the first
 * answer instead of applying the change twice.
 */
export const m0038_store_prices: Migration = {
  name: '0038_store_prices',
  up: [
    `create table store_prices (
      merchant_id text not null references merchants(id),
      store_id text not null references stores(id),
      sku_id text not null references skus(id),
      retail_price_fen bigint not null check (retail_price_fen >= 0),
      member_price_fen bigint not null check (member_price_fen >= 0 and member_price_fen <= retail_price_fen),
      updated_by text not null references staff(id),
      updated_at timestamptz not null default now(),
      primary key (store_id, sku_id)
    )`,
    `create table price_changes (
      id text primary key,
      merchant_id text not null references merchants(id),
      request_hash text not null,
      result jsonb not null,
      created_by text not null references staff(id),
      created_at timestamptz not null default now()
    )`,
  ],
};
