import type { ColumnType, Generated } from 'kysely';

export type JobOutcome = 'ok' | 'failed';

export interface JobRunsTable {
  id: Generated<string>;
  run_key: string;
  attempt: number;
  job: string;
  merchant_id: string | null;
  slot: string;
  message_id: string | null;
  outcome: JobOutcome;
  started_at: ColumnType<Date, Date | string, Date | string>;
  duration_ms: number;
  error: string | null;
  detail: ColumnType<unknown, string | null, string | null> | null;
}

export interface JobsTables {
  job_runs: JobRunsTable;
}
