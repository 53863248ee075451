import type { Migration } from '../migrator.js';

/**
 * Stored value (储值, #17): top-up plans, one balance row per member that
 * every movement updates by compare-and-set, and an append-only ledger of
 * movements with principal (the member's own money, a liability: 预收账款)
 * and bonus (the shop's gift, a discount when spent) kept apart. Each ledger
 * row records both balances after it, and the constraints keep them at or
 * above zero and each movement's signs those of its kind.
 */
export const m0042_stored_value: Migration = {
  name: '0042_stored_value',
  up: [
    `create table stored_value_plans (
      id text primary key,
      merchant_id text not null references merchants(id),
      name text not null check (length(name) between 1 and 40),
      pay_fen bigint not null check (pay_fen > 0),
      bonus_fen bigint not null check (bonus_fen >= 0),
      status text not null default 'active' check (status in ('active', 'stopped')),
      created_by text not null,
      created_at timestamptz not null default now(),
      stopped_at timestamptz,
      unique (merchant_id, id)
    )`,
    `create table stored_value_settings (
      merchant_id text primary key references merchants(id),
      balance_cap_fen bigint not null check (balance_cap_fen > 0),
      updated_by text not null,
      updated_at timestamptz not null default now()
    )`,
    `create table stored_value_accounts (
      member_id text primary key,
      merchant_id text not null,
      principal_fen bigint not null default 0 check (principal_fen >= 0),
      bonus_fen bigint not null default 0 check (bonus_fen >= 0),
      seq bigint not null default 0 check (seq >= 0),
      updated_at timestamptz not null default now(),
      foreign key (merchant_id, member_id) references members(merchant_id, id)
    )`,
    `create table stored_value_top_ups (
      id text primary key,
      merchant_id text not null,
      store_id text not null,
      member_id text not null,
      plan_id text not null,
      pay_fen bigint not null check (pay_fen > 0),
      bonus_fen bigint not null check (bonus_fen >= 0),
      method text not null check (method in ('cash', 'card', 'wechat', 'alipay')),
      reference text,
      status text not null check (status in ('pending', 'credited', 'failed')),
      request_hash text not null,
      created_by text,
      created_at timestamptz not null default now(),
      credited_at timestamptz,
      check (status <> 'credited' or credited_at is not null),
      unique (merchant_id, id),
      foreign key (merchant_id, member_id) references members(merchant_id, id),
      foreign key (merchant_id, store_id) references stores(merchant_id, id),
      foreign key (merchant_id, plan_id) references stored_value_plans(merchant_id, id)
    )`,
    `create table stored_value_refunds (
      id text primary key,
      merchant_id text not null,
      store_id text not null,
      member_id text not null,
      principal_fen bigint not null check (principal_fen > 0),
      bonus_forfeited_fen bigint not null check (bonus_forfeited_fen >= 0),
      method text not null check (method in ('cash', 'bank')),
      reference text,
      note text not null,
      request_hash text not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      unique (merchant_id, id),
      foreign key (merchant_id, member_id) references members(merchant_id, id),
      foreign key (merchant_id, store_id) references stores(merchant_id, id)
    )`,
    `create table stored_value_ledger (
      id text primary key,
      merchant_id text not null,
      member_id text not null,
      seq bigint not null check (seq > 0),
      kind text not null check (kind in ('top_up', 'spend', 'return', 'refund', 'forfeit', 'move_out', 'move_in')),
      principal_delta_fen bigint not null,
      bonus_delta_fen bigint not null,
      principal_after_fen bigint not null check (principal_after_fen >= 0),
      bonus_after_fen bigint not null check (bonus_after_fen >= 0),
      store_id text,
      order_id text,
      ref_id text not null,
      idempotency_key text not null,
      created_by text,
      created_at timestamptz not null default now(),
      check (principal_delta_fen <> 0 or bonus_delta_fen <> 0),
      check (principal_after_fen - principal_delta_fen >= 0 and bonus_after_fen - bonus_delta_fen >= 0),
      check (case when kind in ('top_up', 'return', 'move_in') then principal_delta_fen >= 0 and bonus_delta_fen >= 0
                  else principal_delta_fen <= 0 and bonus_delta_fen <= 0 end),
      check (kind <> 'refund' or bonus_delta_fen = 0),
      check (kind <> 'forfeit' or principal_delta_fen = 0),
      check (kind not in ('spend', 'return') or order_id is not null),
      unique (merchant_id, idempotency_key),
      unique (member_id, seq),
      foreign key (merchant_id, member_id) references members(merchant_id, id)
    )`,
    `create index stored_value_ledger_order on stored_value_ledger (order_id) where order_id is not null`,
    `create index stored_value_top_ups_member on stored_value_top_ups (member_id, created_at)`,
    // A shopper's top-up is paid with WeChat Pay or Alipay through the same payments as an order: a payment pays
    // exactly one of an open order or a top-up, and is settled by the same verified notification or query.
    `alter table payments alter column order_id drop not null`,
    `alter table payments add column top_up_id text`,
    `alter table payments add constraint payments_top_up foreign key (merchant_id, top_up_id) references stored_value_top_ups(merchant_id, id)`,
    `alter table payments add constraint payments_pays_one check ((order_id is null) <> (top_up_id is null))`,
    `create index payments_top_up on payments (top_up_id) where top_up_id is not null`,
  ],
};
