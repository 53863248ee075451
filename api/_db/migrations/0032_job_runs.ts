import type { Migration } from '../migrator.js';

/**
 * What became of each scheduled job message (#18): the crons enqueue one
 * message per merchant (and per merchant × channel for bills) and each
 * delivery records its attempt here. `run_key` names the job, the merchant
 * and the time slot (the queue's deduplication id), so a delivery repeated by
 * the queue's at-least-once promise updates its own row instead of adding
 * one. Owners read their merchant's last outcomes; the deployment's operator
 * reads failures across merchants. `merchant_id` is null for the one global
 * job (notification retention).
 */
export const m0032_job_runs: Migration = {
  name: '0032_job_runs',
  up: [
    `create table job_runs (
      id bigint generated always as identity primary key,
      run_key text not null check (length(run_key) between 1 and 200),
      attempt integer not null check (attempt >= 1),
      job text not null check (job ~ '^[a-z][a-z-]*$'),
      merchant_id text references merchants(id),
      slot text not null,
      message_id text,
      outcome text not null check (outcome in ('ok', 'failed')),
      started_at timestamptz not null,
      duration_ms integer not null check (duration_ms >= 0),
      error text,
      detail jsonb,
      unique (run_key, attempt)
    )`,
    `create index job_runs_merchant on job_runs (merchant_id, job, started_at desc)`,
    `create index job_runs_failed on job_runs (started_at desc) where outcome = 'failed'`,
  ],
};
