import type { Migration } from '../migrator.js';

/**
 * Opening a shop from the phone (#15). Stores get the phone and business
 * hours an owner types at sign-up, and can be closed (`active`) without
 * losing their history. `merchant_sign_ups` makes sign-up idempotent: one
 * row per client-made id, holding the hash of what was asked, so a double
 * tap finds the shop the first tap made and a different request under the
 * same id is refused. The row is written first in the sign-up's transaction,
 * so a second tap waits on it instead of racing to bind the same login; its
 * keys are checked at commit, when the merchant and owner exist. `merchant_setup_marks` records the first-run steps the
 * server cannot see happen otherwise (the store QR opened for printing).
 */
export const m0034_shop_setup: Migration = {
  name: '0034_shop_setup',
  up: [
    `alter table stores add column phone text not null default ''`,
    `alter table stores add column business_hours text not null default ''`,
    `alter table stores add column active boolean not null default true`,
    `create table merchant_sign_ups (
      id text primary key check (id ~ '^[A-Za-z0-9_-]{16,64}$'),
      request_hash text not null,
      platform text not null check (platform in ('wechat', 'alipay')),
      open_id text not null,
      merchant_id text not null references merchants(id) deferrable initially deferred,
      owner_id text not null references staff(id) deferrable initially deferred,
      created_at timestamptz not null default now()
    )`,
    `create table merchant_setup_marks (
      merchant_id text not null references merchants(id),
      step text not null check (step in ('store_qr')),
      done_by text not null references staff(id),
      done_at timestamptz not null default now(),
      primary key (merchant_id, step)
    )`,
  ],
};
