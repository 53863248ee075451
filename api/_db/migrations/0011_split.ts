import type { Migration } from '../migrator.js';

/**
 * Profit sharing (分账): receivers, versioned split rules (a new version is a
 * new row, never an edit), one split per payment with its parts, and the
 * append-only split log. A split's id is its out_order_no at the platform,
 * fixed per payment; statuses move by compare-and-set.
 */
export const m0011_split: Migration = {
  name: '0011_split',
  up: [
    `create table split_receivers (
      id text primary key,
      merchant_id text not null references merchants(id),
      name text not null check (length(name) between 1 and 64),
      kind text not null check (kind in ('brand', 'landlord', 'platform', 'staff')),
      channel text not null check (channel in ('wechat', 'alipay')),
      account_type text not null check (account_type in ('MERCHANT_ID', 'PERSONAL_OPENID', 'loginName', 'userId')),
      account text not null check (length(account) between 1 and 128),
      added_at_platform_at timestamptz,
      created_at timestamptz not null default now(),
      unique (merchant_id, channel, account_type, account)
    )`,
    `create table split_rules (
      id text primary key,
      merchant_id text not null references merchants(id),
      store_id text references stores(id),
      scope text not null,
      version integer not null check (version >= 1),
      effective_from date not null,
      note text not null default '' check (length(note) <= 200),
      request_hash text not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      unique (merchant_id, scope, version),
      check ((store_id is null and scope = '*') or scope = store_id)
    )`,
    `create table split_rule_lines (
      rule_id text not null references split_rules(id),
      line_no integer not null check (line_no >= 0),
      receiver_id text not null references split_receivers(id),
      bp integer check (bp between 1 and 10000),
      fixed_fen bigint check (fixed_fen >= 1),
      description text not null check (length(description) between 1 and 80),
      primary key (rule_id, line_no),
      unique (rule_id, receiver_id),
      check ((bp is null) <> (fixed_fen is null))
    )`,
    `create table payment_splits (
      id text primary key,
      merchant_id text not null references merchants(id),
      store_id text not null,
      payment_id text not null unique references payments(id),
      rule_id text references split_rules(id),
      channel text not null check (channel in ('wechat', 'alipay')),
      paid_fen bigint not null check (paid_fen >= 0),
      split_fen bigint not null check (split_fen >= 0),
      retained_fen bigint not null check (retained_fen >= 0),
      status text not null check (status in ('calculated', 'processing', 'finished', 'unfrozen', 'returned', 'cancelled')),
      platform_order_id text,
      attempts integer not null default 0,
      last_error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (split_fen + retained_fen = paid_fen)
    )`,
    `create table payment_split_parts (
      split_id text not null references payment_splits(id),
      line_no integer not null,
      receiver_id text not null references split_receivers(id),
      amount_fen bigint not null check (amount_fen >= 1),
      status text not null check (status in ('pending', 'success', 'closed')),
      fail_reason text,
      return_status text check (return_status in ('processing', 'success', 'failed')),
      finished_at timestamptz,
      primary key (split_id, line_no),
      unique (split_id, receiver_id)
    )`,
    `create table split_log (
      id bigserial primary key,
      merchant_id text not null references merchants(id),
      event text not null check (event in ('rule_version', 'calculated', 'requested', 'result', 'request_failed', 'return', 'unfreeze', 'cancelled')),
      payment_id text,
      split_id text,
      rule_id text,
      receiver_id text,
      amount_fen bigint,
      status text,
      detail jsonb not null default '{}',
      created_at timestamptz not null default now()
    )`,
    `create index split_log_payment on split_log (merchant_id, payment_id, id)`,
    `create index split_log_receiver on split_log (merchant_id, receiver_id, id)`,
    `create index payment_splits_status on payment_splits (status, updated_at)`,
    `create function split_log_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception 'split_log is append-only';
      end
    $$`,
    `create trigger split_log_append_only before update or delete on split_log
      for each row execute function split_log_refuse_change()`,
  ],
};
