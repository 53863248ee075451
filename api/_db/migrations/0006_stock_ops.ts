import type { Migration } from '../migrator.js';

/**
 * Stock operations of a chain: transfers between a merchant's stores,
 * stocktakes, batches with expiry dates, and the per-store limits behind
 * stock alerts. Quantities moved still go through stock_movements; these
 * tables hold the documents and the counts that explain them.
 */
export const m0006_stock_ops: Migration = {
  name: '0006_stock_ops',
  up: [
    // A stocktake's corrections get their own kind, so they are told apart from other adjustments.
    // The list keeps every kind earlier migrations allow (0005 purchasing added the purchase kinds).
    `alter table stock_movements drop constraint if exists stock_movements_kind_check`,
    `alter table stock_movements add constraint stock_movements_kind_check
      check (kind in ('receipt', 'sale', 'return', 'transfer_out', 'transfer_in', 'adjustment', 'reserve', 'release', 'purchase_receipt', 'purchase_return', 'stocktake_adjust'))`,
    `create table stock_transfers (
      id text primary key check (id ~ '^trf_[0-9A-HJKMNP-TV-Z]{26}$'),
      merchant_id text not null references merchants(id),
      from_store_id text not null,
      to_store_id text not null,
      status text not null check (status in ('requested', 'shipped', 'received', 'received_short', 'written_off', 'cancelled')),
      request_hash text not null,
      note text not null default '' check (length(note) <= 80),
      requested_by text not null,
      shipped_by text,
      shipped_at timestamptz,
      received_by text,
      received_at timestamptz,
      written_off_by text,
      written_off_at timestamptz,
      write_off_note text check (length(write_off_note) <= 80),
      created_at timestamptz not null default now(),
      check (from_store_id <> to_store_id),
      unique (merchant_id, id),
      foreign key (merchant_id, from_store_id) references stores(merchant_id, id),
      foreign key (merchant_id, to_store_id) references stores(merchant_id, id)
    )`,
    `create index stock_transfers_from on stock_transfers (merchant_id, from_store_id, status)`,
    `create index stock_transfers_to on stock_transfers (merchant_id, to_store_id, status)`,
    `create table stock_transfer_lines (
      transfer_id text not null,
      merchant_id text not null,
      line_no smallint not null check (line_no >= 1),
      sku_id text not null references skus(id),
      requested_qty integer not null check (requested_qty > 0),
      shipped_qty integer check (shipped_qty >= 0),
      received_qty integer check (received_qty >= 0),
      written_off_qty integer not null default 0 check (written_off_qty >= 0),
      unit_cost_fen bigint check (unit_cost_fen >= 0),
      primary key (transfer_id, sku_id),
      unique (transfer_id, line_no),
      foreign key (merchant_id, transfer_id) references stock_transfers(merchant_id, id),
      check (received_qty is null or shipped_qty is not null and received_qty <= shipped_qty),
      check (written_off_qty <= coalesce(shipped_qty, 0) - coalesce(received_qty, 0)),
      check ((shipped_qty is null) = (unit_cost_fen is null))
    )`,
    `create table stocktakes (
      id text primary key check (id ~ '^stk_[0-9A-HJKMNP-TV-Z]{26}$'),
      merchant_id text not null references merchants(id),
      store_id text not null,
      category_id text references categories(id),
      status text not null check (status in ('counting', 'approved', 'cancelled')),
      started_by text not null,
      started_at timestamptz not null default now(),
      decided_by text,
      decided_at timestamptz,
      gain_fen bigint not null default 0 check (gain_fen >= 0),
      loss_fen bigint not null default 0 check (loss_fen >= 0),
      unique (merchant_id, id),
      foreign key (merchant_id, store_id) references stores(merchant_id, id)
    )`,
    `create index stocktakes_store on stocktakes (merchant_id, store_id, status)`,
    // One open count per store and scope: two people starting the same count get one.
    `create unique index stocktakes_one_open on stocktakes (store_id, coalesce(category_id, '')) where status = 'counting'`,
    `create table stocktake_lines (
      stocktake_id text not null,
      merchant_id text not null,
      sku_id text not null references skus(id),
      expected_qty integer not null,
      counted_qty integer check (counted_qty >= 0),
      book_at_count integer,
      counted_by text,
      counted_at timestamptz,
      adjusted_qty integer,
      unit_cost_fen bigint check (unit_cost_fen >= 0),
      primary key (stocktake_id, sku_id),
      foreign key (merchant_id, stocktake_id) references stocktakes(merchant_id, id),
      check ((counted_qty is null) = (book_at_count is null))
    )`,
    `create table stocktake_scans (
      stocktake_id text not null,
      client_scan_id text not null check (length(client_scan_id) between 8 and 64),
      sku_id text not null,
      mode text not null check (mode in ('add', 'set')),
      qty integer not null check (qty >= 0),
      staff_id text not null,
      created_at timestamptz not null default now(),
      primary key (stocktake_id, client_scan_id)
    )`,
    `create table batch_tracked_skus (
      merchant_id text not null references merchants(id),
      sku_id text not null references skus(id),
      created_at timestamptz not null default now(),
      primary key (merchant_id, sku_id)
    )`,
    `create table stock_batches (
      id text primary key check (id ~ '^bat_[0-9A-HJKMNP-TV-Z]{26}$'),
      merchant_id text not null references merchants(id),
      store_id text not null,
      sku_id text not null references skus(id),
      batch_no text not null check (batch_no ~ '^[0-9A-Za-z._/-]{1,32}$'),
      expires_on date not null,
      qty integer not null check (qty >= 0),
      created_at timestamptz not null default now(),
      unique (store_id, sku_id, batch_no),
      foreign key (merchant_id, store_id) references stores(merchant_id, id)
    )`,
    `create index stock_batches_expiry on stock_batches (store_id, expires_on) where qty > 0`,
    // Each recorded arrival of a batch, keyed by its event, so a repeated receipt adds once.
    `create table stock_batch_records (
      merchant_id text not null references merchants(id),
      idempotency_key text not null check (length(idempotency_key) between 1 and 128),
      batch_id text not null references stock_batches(id),
      qty integer not null check (qty > 0),
      created_by text,
      created_at timestamptz not null default now(),
      primary key (merchant_id, idempotency_key)
    )`,
    `create table stock_limits (
      merchant_id text not null,
      store_id text not null,
      sku_id text not null references skus(id),
      min_qty integer check (min_qty >= 0),
      max_qty integer check (max_qty > 0),
      updated_by text,
      updated_at timestamptz not null default now(),
      primary key (store_id, sku_id),
      foreign key (merchant_id, store_id) references stores(merchant_id, id),
      check (min_qty is null or max_qty is null or min_qty <= max_qty)
    )`,
    `create table stock_alert_settings (
      merchant_id text primary key references merchants(id),
      no_sale_days integer not null check (no_sale_days between 1 and 365),
      near_expiry_days integer not null check (near_expiry_days between 1 and 365),
      updated_at timestamptz not null default now()
    )`,
  ],
};
