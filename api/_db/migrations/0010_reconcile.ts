import type { Migration } from '../migrator.js';

/**
 * Reconciliation (对账): uploaded platform bills and their lines (the staging
 * area matched against payments and refunds in SQL), runs per merchant ×
 * channel × business day with at most one running at a time, the append-only
 * classification of every record, what was done about each difference, and
 * the owner's resolutions, keyed so they survive a re-run.
 */
export const m0010_reconcile: Migration = {
  name: '0010_reconcile',
  up: [
    `create table reconcile_settings (
      merchant_id text primary key references merchants(id),
      tolerance_fen bigint not null check (tolerance_fen between 0 and 10000),
      fee_rate_ppm integer not null check (fee_rate_ppm between 0 and 100000),
      updated_at timestamptz not null default now()
    )`,
    `create table reconcile_bills (
      id text primary key,
      merchant_id text not null references merchants(id),
      channel text not null check (channel in ('wechat', 'alipay')),
      bill_date date not null,
      sha256 text not null,
      byte_count bigint not null,
      line_count integer not null,
      payment_fen bigint not null,
      refund_fen bigint not null,
      fee_milli bigint not null,
      uploaded_by text,
      created_at timestamptz not null default now(),
      unique (merchant_id, channel, bill_date, sha256)
    )`,
    `create table reconcile_bill_lines (
      bill_id text not null references reconcile_bills(id),
      line_no integer not null,
      kind text not null check (kind in ('payment', 'refund')),
      out_no text not null,
      out_trade_no text not null,
      platform_no text not null,
      occurred_at timestamptz not null,
      amount_fen bigint not null,
      status text not null,
      fee_milli bigint not null,
      primary key (bill_id, line_no)
    )`,
    `create table reconcile_runs (
      id text primary key,
      merchant_id text not null references merchants(id),
      channel text not null check (channel in ('wechat', 'alipay')),
      bill_date date not null,
      bill_id text not null references reconcile_bills(id),
      status text not null check (status in ('running', 'done', 'failed')),
      started_by text,
      started_at timestamptz not null,
      finished_at timestamptz,
      result_hash text,
      counts jsonb,
      fee_fen bigint,
      net_fen bigint,
      error text
    )`,
    // The lock: two runs of one merchant × channel × day can never overlap.
    `create unique index reconcile_runs_one_running on reconcile_runs (merchant_id, channel, bill_date) where status = 'running'`,
    `create index reconcile_runs_latest on reconcile_runs (merchant_id, started_at desc)`,
    `create table reconcile_items (
      id bigint generated always as identity primary key,
      run_id text not null references reconcile_runs(id),
      class text not null check (class in ('matched', 'missing_in_bill', 'missing_in_system', 'amount_mismatch', 'status_mismatch', 'fee_difference', 'crossed_midnight')),
      kind text not null check (kind in ('payment', 'refund')),
      out_no text not null,
      payment_id text,
      refund_id text,
      bill_status text,
      system_status text,
      bill_amount_fen bigint,
      system_amount_fen bigint,
      bill_fee_fen bigint,
      expected_fee_fen bigint
    )`,
    `create index reconcile_items_run on reconcile_items (run_id, class)`,
    `create table reconcile_repairs (
      item_id bigint primary key references reconcile_items(id),
      run_id text not null references reconcile_runs(id),
      action text not null check (action in ('settled', 'adjusted', 'exception')),
      detail jsonb not null default '{}',
      created_at timestamptz not null default now()
    )`,
    `create table reconcile_resolutions (
      merchant_id text not null,
      channel text not null,
      bill_date date not null,
      kind text not null,
      out_no text not null,
      class text not null,
      note text not null,
      resolved_by text not null,
      resolved_at timestamptz not null default now(),
      primary key (merchant_id, channel, bill_date, kind, out_no, class)
    )`,
  ],
};
