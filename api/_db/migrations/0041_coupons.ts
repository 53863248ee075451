import type { Migration } from '../migrator.js';

/**
 * Coupons (优惠券, #17). A template says what a coupon gives, for how long,
 * where, and how many may be issued; each coupon is one member's, issued once
 * per idempotency key. The limits hold in Postgres: the template's
 * issued_count is raised by a conditional update (never past total_max), and a
 * member's count per template likewise (never past per_member_max). A coupon
 * is used by compare-and-set of its status inside the sale's transaction
 * (used_order_id), and every use and every return of it is an event, with a
 * unique index so a coupon comes back from one order at most once.
 */
export const m0041_coupons: Migration = {
  name: '0041_coupons',
  up: [
    `create table coupon_templates (
      id text primary key,
      merchant_id text not null references merchants(id),
      name text not null check (length(name) between 1 and 20),
      kind text not null check (kind in ('amount_off', 'percent_off', 'free_item')),
      min_spend_fen bigint not null check (min_spend_fen >= 0),
      off_fen bigint check (off_fen > 0),
      off_bp integer check (off_bp between 1 and 9999),
      cap_fen bigint check (cap_fen > 0),
      free_sku_id text references skus(id),
      valid_from timestamptz,
      valid_until timestamptz,
      valid_days integer check (valid_days between 1 and 3650),
      store_ids jsonb not null default '[]',
      category_ids jsonb not null default '[]',
      sku_ids jsonb not null default '[]',
      per_member_max integer not null check (per_member_max between 1 and 100),
      total_max integer check (total_max between 1 and 10000000),
      issued_count integer not null default 0 check (issued_count >= 0 and (total_max is null or issued_count <= total_max)),
      claimable boolean not null default false,
      auto_issue text not null default 'none' check (auto_issue in ('none', 'sign_up', 'level_up')),
      auto_level text,
      return_policy text not null check (return_policy in ('never', 'full_return', 'below_threshold')),
      status text not null default 'active' check (status in ('active', 'stopped')),
      created_by text not null references staff(id),
      created_at timestamptz not null default now(),
      stopped_by text references staff(id),
      stopped_at timestamptz,
      check ((kind = 'amount_off') = (off_fen is not null)),
      check ((kind = 'percent_off') = (off_bp is not null)),
      check (kind = 'percent_off' or cap_fen is null),
      check ((kind = 'free_item') = (free_sku_id is not null)),
      check ((valid_days is null) = (valid_from is not null and valid_until is not null and valid_from < valid_until)),
      check ((auto_issue = 'level_up') = (auto_level is not null))
    )`,
    `create index coupon_templates_merchant on coupon_templates (merchant_id, status)`,
    `create table coupons (
      id text primary key,
      merchant_id text not null references merchants(id),
      template_id text not null references coupon_templates(id),
      member_id text not null references members(id),
      source text not null check (source in ('claim', 'counter', 'sign_up', 'level_up', 'referral', 'points_mall')),
      idempotency_key text not null,
      status text not null default 'available' check (status in ('available', 'used')),
      valid_from timestamptz not null,
      valid_until timestamptz not null check (valid_until > valid_from),
      issued_by text references staff(id),
      used_order_id text,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      constraint coupons_key unique (merchant_id, idempotency_key),
      check ((status = 'used') = (used_order_id is not null))
    )`,
    `create index coupons_member on coupons (member_id, status, valid_until)`,
    `create index coupons_template on coupons (template_id, status)`,
    `create table coupon_member_counts (
      template_id text not null references coupon_templates(id),
      member_id text not null references members(id),
      merchant_id text not null references merchants(id),
      issued integer not null check (issued >= 0),
      primary key (template_id, member_id)
    )`,
    `create table coupon_events (
      id text primary key,
      merchant_id text not null references merchants(id),
      coupon_id text not null references coupons(id),
      kind text not null check (kind in ('used', 'given_back', 'released', 'moved')),
      order_id text,
      return_id text,
      discount_fen bigint not null default 0 check (discount_fen >= 0),
      from_member_id text,
      to_member_id text,
      created_at timestamptz not null default now()
    )`,
    // One use per coupon and order, and one way back from that order (a return's give-back or an open order's release), never two.
    `create unique index coupon_events_used on coupon_events (coupon_id, order_id) where kind = 'used'`,
    `create unique index coupon_events_back on coupon_events (coupon_id, order_id) where kind in ('given_back', 'released')`,
    `create index coupon_events_order on coupon_events (order_id)`,
  ],
};
