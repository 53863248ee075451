import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { JobOutcome } from './tables.js';

/** An error's text kept with its run, cut to this many characters. */
export const job_error_length_max = 500;
/** Rows the operator's failure view and an owner's list return at most. */
export const job_failures_page_max = 200;
/** How far back the operator's failure view looks. */
export const job_failures_lookback_days = 7;

export interface RunRecord {
  runKey: string;
  attempt: number;
  job: string;
  merchantId: string | null;
  slot: string;
  messageId: string | null;
  outcome: JobOutcome;
  startedAt: Date;
  durationMs: number;
  error: string | null;
  detail: unknown;
}

/** One attempt's outcome; the same attempt delivered again (at least once) updates its own row. */
export async function recordRun(db: Kysely<DB>, r: RunRecord): Promise<void> {
  const row = {
    run_key: r.runKey,
    attempt: r.attempt,
    job: r.job,
    merchant_id: r.merchantId,
    slot: r.slot,
    message_id: r.messageId,
    outcome: r.outcome,
    started_at: r.startedAt,
    duration_ms: Math.max(0, Math.round(r.durationMs)),
    error: r.error === null ? null : r.error.slice(0, job_error_length_max),
    detail: r.detail === undefined ? null : JSON.stringify(r.detail),
  };
  await db
    .insertInto('job_runs')
    .values(row)
    .onConflict((oc) => oc.columns(['run_key', 'attempt']).doUpdateSet({ outcome: row.outcome, started_at: row.started_at, duration_ms: row.duration_ms, error: row.error, detail: row.detail, message_id: row.message_id }))
    .execute();
}

export interface LastOutcome {
  job: string;
  slot: string;
  attempt: number;
  outcome: JobOutcome;
  at: string;
  durationMs: number;
  error: string | null;
  /** Failed attempts of this job in the lookback window. */
  failures: number;
}

/** Each job's latest attempt for one merchant, with how many attempts failed lately. */
export async function lastOutcomes(db: Kysely<DB>, merchantId: string, now: Date): Promise<LastOutcome[]> {
  const since = new Date(now.getTime() - job_failures_lookback_days * 86_400_000);
  const rows = await db
    .selectFrom('job_runs')
    .select(['job', 'slot', 'attempt', 'outcome', 'started_at', 'duration_ms', 'error'])
    .distinctOn('job')
    .where('merchant_id', '=', merchantId)
    .orderBy('job')
    .orderBy('started_at', 'desc')
    .orderBy('attempt', 'desc')
    .execute();
  const failed = await db
    .selectFrom('job_runs')
    .select(['job', (eb) => eb.fn.countAll<string>().as('n')])
    .where('merchant_id', '=', merchantId)
    .where('outcome', '=', 'failed')
    .where('started_at', '>=', since)
    .groupBy('job')
    .execute();
  const failures = new Map(failed.map((f) => [f.job, Number(f.n)]));
  return rows.map((r) => ({ job: r.job, slot: r.slot, attempt: r.attempt, outcome: r.outcome, at: r.started_at.toISOString(), durationMs: r.duration_ms, error: r.error, failures: failures.get(r.job) ?? 0 }));
}

export interface FailureRow {
  runKey: string;
  job: string;
  merchantId: string | null;
  slot: string;
  attempt: number;
  messageId: string | null;
  at: string;
  durationMs: number;
  error: string | null;
}

/** Failed attempts across every merchant, newest first, within the lookback window. */
export async function recentFailures(db: Kysely<DB>, now: Date): Promise<FailureRow[]> {
  const rows = await db
    .selectFrom('job_runs')
    .select(['run_key', 'job', 'merchant_id', 'slot', 'attempt', 'message_id', 'started_at', 'duration_ms', 'error'])
    .where('outcome', '=', 'failed')
    .where('started_at', '>=', new Date(now.getTime() - job_failures_lookback_days * 86_400_000))
    .orderBy('started_at', 'desc')
    .limit(job_failures_page_max)
    .execute();
  return rows.map((r) => ({ runKey: r.run_key, job: r.job, merchantId: r.merchant_id, slot: r.slot, attempt: r.attempt, messageId: r.message_id, at: r.started_at.toISOString(), durationMs: r.duration_ms, error: r.error }));
}

/** Every merchant: the nightly and minute jobs enqueue one message each. */
export async function merchantIds(db: Kysely<DB>): Promise<string[]> {
  return (await db.selectFrom('merchants').select('id').orderBy('id').execute()).map((r) => r.id);
}
