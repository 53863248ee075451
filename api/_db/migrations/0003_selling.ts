import type { Migration } from '../migrator.js';

/**
 * Selling: settings, promotions, order lines and the order's priced record,
 * receipt numbers, returns with approvals. Amounts are fen; every business
 * write that a client can repeat carries its client-made key and a hash of
 * the request, under a unique constraint.
 */
export const m0003_selling: Migration = {
  name: '0003_selling',
  up: [
    // Ids sort by time only within one process; a sequence orders one member's postings everywhere.
    `alter table points_ledger add column seq bigint generated always as identity`,
    `create index points_ledger_member_seq on points_ledger (member_id, seq)`,
    `create table merchant_settings (
      merchant_id text primary key references merchants(id),
      points_per_yuan integer not null default 1 check (points_per_yuan between 0 and 1000),
      points_redeem_per_fen integer not null default 1 check (points_redeem_per_fen between 1 and 10000),
      points_redeem_cap_bp integer not null default 5000 check (points_redeem_cap_bp between 0 and 10000),
      member_levels jsonb not null default '[]'::jsonb,
      updated_at timestamptz not null default now()
    )`,
    `create table store_settings (
      store_id text primary key references stores(id),
      merchant_id text not null references merchants(id),
      cash_rounding text not null default 'none' check (cash_rounding in ('none', 'jiao', 'yuan')),
      reservation_ttl_minutes integer not null default 15 check (reservation_ttl_minutes between 1 and 1440),
      updated_at timestamptz not null default now()
    )`,
    `create table promotions (
      id text primary key,
      merchant_id text not null references merchants(id),
      store_id text references stores(id),
      kind text not null check (kind in ('threshold', 'bundle')),
      name text not null,
      definition jsonb not null,
      active boolean not null default true,
      starts_at timestamptz,
      ends_at timestamptz,
      created_at timestamptz not null default now()
    )`,
    `create index promotions_merchant on promotions (merchant_id) where active`,
    `alter table orders
      add column client_order_id text,
      add column request_hash text,
      add column receipt_no text,
      add column device_id text,
      add column offline boolean not null default false,
      add column stock_flagged boolean not null default false,
      add column price_diff_fen bigint not null default 0,
      add column subtotal_list_fen bigint not null default 0,
      add column discount_fen bigint not null default 0,
      add column points_redeemed bigint not null default 0 check (points_redeemed >= 0),
      add column points_fen bigint not null default 0,
      add column rounding_fen bigint not null default 0,
      add column points_earned bigint not null default 0,
      add column cash_received_fen bigint,
      add column change_fen bigint,
      add column refunded_fen bigint not null default 0,
      add column pricing jsonb,
      add column expires_at timestamptz,
      add constraint orders_refund_within_total check (refunded_fen between 0 and total_fen),
      add constraint orders_client_id unique (merchant_id, client_order_id),
      add constraint orders_receipt_no unique (store_id, business_date, receipt_no)`,
    `create index orders_flagged on orders (merchant_id) where stock_flagged or price_diff_fen <> 0`,
    `create index orders_member on orders (member_id) where member_id is not null`,
    `create table order_lines (
      id text primary key,
      merchant_id text not null,
      order_id text not null,
      line_index integer not null check (line_index >= 0),
      sku_id text not null,
      product_name text not null,
      spec text not null default '',
      category_id text not null,
      qty integer not null check (qty > 0),
      unit_list_fen bigint not null check (unit_list_fen >= 0),
      list_fen bigint not null check (list_fen >= 0),
      net_fen bigint not null check (net_fen >= 0 and net_fen <= list_fen),
      cost_fen bigint not null check (cost_fen >= 0),
      adjustments jsonb not null default '[]'::jsonb,
      returned_qty integer not null default 0,
      returned_fen bigint not null default 0,
      check (returned_qty between 0 and qty),
      check (returned_fen between 0 and net_fen),
      unique (order_id, line_index),
      unique (merchant_id, id),
      foreign key (merchant_id, order_id) references orders(merchant_id, id),
      foreign key (merchant_id, sku_id) references skus(merchant_id, id)
    )`,
    `create index order_lines_sku on order_lines (sku_id)`,
    `alter table order_tenders
      add column reference text,
      add column status text not null default 'succeeded' check (status in ('pending', 'succeeded', 'failed', 'refunded')),
      add column line_no integer not null default 0`,
    // Receipt numbers run per store per business day; the row lock orders them.
    `create table receipt_counters (
      store_id text not null references stores(id),
      business_date date not null,
      last_no integer not null,
      primary key (store_id, business_date)
    )`,
    `create table return_limits (
      merchant_id text not null references merchants(id),
      role text not null check (role in ('owner', 'manager', 'assistant')),
      per_return_fen bigint not null check (per_return_fen >= 0),
      per_day_fen bigint not null check (per_day_fen >= 0),
      primary key (merchant_id, role)
    )`,
    `create table returns (
      id text primary key,
      merchant_id text not null,
      store_id text not null,
      order_id text not null,
      client_return_id text not null,
      request_hash text not null,
      status text not null check (status in ('pending_approval', 'completed', 'rejected')),
      amount_fen bigint not null check (amount_fen > 0),
      points_clawback bigint not null default 0 check (points_clawback >= 0),
      reason text not null,
      requested_by text not null references staff(id),
      decided_by text references staff(id),
      decided_at timestamptz,
      decision_note text,
      business_date date not null,
      created_at timestamptz not null default now(),
      unique (merchant_id, client_return_id),
      unique (merchant_id, id),
      foreign key (merchant_id, order_id) references orders(merchant_id, id)
    )`,
    `create index returns_store_status on returns (store_id, status)`,
    `create table return_lines (
      return_id text not null references returns(id),
      order_line_id text not null references order_lines(id),
      qty integer not null check (qty > 0),
      amount_fen bigint not null check (amount_fen >= 0),
      primary key (return_id, order_line_id)
    )`,
    // Stock held for an unpaid order until it is paid, cancelled or expires.
    `create table stock_reservations (
      id text primary key,
      merchant_id text not null,
      store_id text not null,
      order_id text not null,
      sku_id text not null,
      qty integer not null check (qty > 0),
      status text not null check (status in ('active', 'released', 'consumed')),
      expires_at timestamptz not null,
      created_at timestamptz not null default now(),
      unique (order_id, sku_id),
      foreign key (merchant_id, store_id) references stores(merchant_id, id),
      foreign key (merchant_id, sku_id) references skus(merchant_id, id)
    )`,
    `create index stock_reservations_expiry on stock_reservations (expires_at) where status = 'active'`,
    // How each return's money went back, tender by tender.
    `create table return_refunds (
      return_id text not null references returns(id),
      line_no integer not null,
      method text not null,
      amount_fen bigint not null check (amount_fen > 0),
      primary key (return_id, line_no)
    )`,
  ],
};
