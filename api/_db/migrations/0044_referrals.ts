import type { Migration } from '../migrator.js';

/**
 * Referral (老带新, #17). The owner's settings say what a referral gives;
 * a referral is recorded when a new member arrives by a shared link (one per
 * referee, by the unique key), and is rewarded on the referee's first paid
 * purchase by a compare-and-set from 'pending'. One reward per phone is a
 * partial unique index; the daily cap per referrer is a counter row updated
 * only while under the cap, so racing rewards cannot pass it.
 */
export const m0044_referrals: Migration = {
  name: '0044_referrals',
  up: [
    `create table referral_settings (
      merchant_id text primary key references merchants(id),
      enabled boolean not null default false,
      referrer_points integer not null default 0 check (referrer_points between 0 and 1000000),
      referee_points integer not null default 0 check (referee_points between 0 and 1000000),
      referrer_coupon_template_id text,
      referee_coupon_template_id text,
      daily_cap integer not null check (daily_cap between 1 and 100),
      updated_by text references staff(id),
      updated_at timestamptz not null default now()
    )`,
    `create table referrals (
      id text primary key check (id ~ '^ref_[0-9A-HJKMNP-TV-Z]{26}$'),
      merchant_id text not null references merchants(id),
      referrer_member_id text not null,
      referee_member_id text not null,
      status text not null check (status in ('pending', 'rewarded', 'refused', 'void')),
      refused_reason text,
      order_id text,
      referee_phone text,
      referrer_points integer not null default 0,
      referee_points integer not null default 0,
      arrived_at timestamptz not null default now(),
      decided_at timestamptz,
      decided_on date,
      foreign key (merchant_id, referrer_member_id) references members(merchant_id, id),
      foreign key (merchant_id, referee_member_id) references members(merchant_id, id),
      check ((status = 'pending') = (decided_at is null))
    )`,
    // One live referral per referee; a merge voids the merged-away member's duplicate, which then no longer counts.
    `create unique index referrals_one_per_referee on referrals (merchant_id, referee_member_id) where status <> 'void'`,
    `create unique index referrals_rewarded_phone on referrals (merchant_id, referee_phone) where status = 'rewarded' and referee_phone is not null`,
    `create index referrals_referrer on referrals (referrer_member_id, arrived_at)`,
    `create index referrals_merchant on referrals (merchant_id, arrived_at)`,
    `create table referral_daily_counts (
      merchant_id text not null references merchants(id),
      referrer_member_id text not null,
      day date not null,
      rewarded integer not null check (rewarded >= 0),
      primary key (referrer_member_id, day)
    )`,
  ],
};
