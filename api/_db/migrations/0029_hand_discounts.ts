import type { Migration } from '../migrator.js';

/**
 * Hand discounts: per-role limits the owner sets, and a manager's one-time
 * code for a sale above them. A code is six digits, unique in its store while
 * unused; using it is a compare-and-set that names the order, so one code
 * discounts one sale.
 */
export const m0029_hand_discounts: Migration = {
  name: '0029_hand_discounts',
  up: [
    `create table discount_limits (
      merchant_id text not null references merchants(id),
      role text not null check (role in ('owner', 'manager', 'assistant')),
      line_bp_max integer not null check (line_bp_max between 0 and 10000),
      order_bp_max integer not null check (order_bp_max between 0 and 10000),
      total_fen_max bigint not null check (total_fen_max >= 0),
      updated_by text not null references staff(id),
      updated_at timestamptz not null default now(),
      primary key (merchant_id, role)
    )`,
    `create table discount_approvals (
      id text primary key,
      merchant_id text not null references merchants(id),
      store_id text not null references stores(id),
      code text not null check (code ~ '^[0-9]{6}$'),
      approved_by text not null references staff(id),
      max_fen bigint not null check (max_fen > 0),
      note text not null,
      expires_at timestamptz not null,
      created_at timestamptz not null default now(),
      used_by_order text unique references orders(id),
      used_at timestamptz,
      check ((used_by_order is null) = (used_at is null))
    )`,
    `create unique index discount_approvals_open_code on discount_approvals (store_id, code) where used_at is null`,
  ],
};
