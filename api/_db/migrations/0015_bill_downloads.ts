import type { Migration } from '../migrator.js';

/**
 * Every attempt to fetch a day's bill from a platform, with its named
 * outcome: append-only, so the boss page and the cron can tell "reconciled",
 * "no bill for the day", "not ready yet" and "hash mismatch" apart.
 */
export const m0015_bill_downloads: Migration = {
  name: '0015_bill_downloads',
  up: [
    `create table reconcile_downloads (
      id text primary key,
      merchant_id text not null references merchants(id),
      channel text not null check (channel in ('wechat', 'alipay')),
      bill_date date not null,
      outcome text not null check (outcome in ('reconciled', 'already_reconciled', 'no_statement', 'not_ready', 'hash_mismatch', 'malformed', 'failed')),
      bill_id text references reconcile_bills(id),
      run_id text references reconcile_runs(id),
      message text,
      started_by text,
      created_at timestamptz not null default now()
    )`,
    `create index reconcile_downloads_day on reconcile_downloads (merchant_id, channel, bill_date, created_at)`,
  ],
};
