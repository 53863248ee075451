import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type ReconcileClass = 'matched' | 'missing_in_bill' | 'missing_in_system' | 'amount_mismatch' | 'status_mismatch' | 'fee_difference' | 'crossed_midnight';

export interface ReconcileSettingsTable {
  merchant_id: string;
  tolerance_fen: number;
  fee_rate_ppm: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
export interface ReconcileBillsTable {
  id: string;
  /** The number the bill's lines name it by. */
  line_key: ColumnType<number, never, never>;
  merchant_id: string;
  channel: 'wechat' | 'alipay';
  bill_date: string;
  sha256: string;
  byte_count: number;
  line_count: number;
  /** Null for bills stored before it was counted. */
  refund_line_count: ColumnType<number | null, number | undefined, number>;
  payment_fen: number;
  refund_fen: number;
  fee_milli: number;
  uploaded_by: string | null;
  /** Uploaded by hand, or downloaded from the platform; a downloaded bill of the day takes precedence. */
  source: ColumnType<'upload' | 'download', 'upload' | 'download' | undefined, 'download'>;
  created_at: CreatedAt;
}
/** What bills booked for a merchant × channel × day: the day's fees (subject '') or one payment's adjustment (subject = payment id). */
export interface ReconcilePostingsTable {
  merchant_id: string;
  channel: 'wechat' | 'alipay';
  bill_date: string;
  kind: 'fees' | 'adjust';
  subject: string;
  bill_id: string | null;
  run_id: string | null;
  /** This entry's amount: the difference from what the day's earlier postings of the subject booked. */
  amount_fen: ColumnType<string, number, never>;
  event_key: string;
  created_at: CreatedAt;
}
export interface ReconcileBillLinesTable {
  bill_key: number;
  line_no: number;
  kind: 'payment' | 'refund';
  out_no: string;
  /** A refund line's payment; null on a payment line (it is out_no). */
  out_trade_no: string | null;
  platform_no: string;
  occurred_at: Timestamp;
  amount_fen: number;
  status: string;
  fee_milli: number;
}
export interface ReconcileRunsTable {
  id: string;
  merchant_id: string;
  channel: 'wechat' | 'alipay';
  bill_date: string;
  bill_id: string;
  status: 'running' | 'done' | 'failed';
  started_by: string | null;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  result_hash: string | null;
  counts: Json<Record<string, number>> | null;
  fee_fen: number | null;
  net_fen: number | null;
  error: string | null;
}
export interface ReconcileItemsTable {
  id: Generated<number>;
  run_id: string;
  class: ReconcileClass;
  kind: 'payment' | 'refund';
  out_no: string;
  payment_id: string | null;
  refund_id: string | null;
  bill_status: string | null;
  system_status: string | null;
  bill_amount_fen: number | null;
  system_amount_fen: number | null;
  bill_fee_fen: number | null;
  expected_fee_fen: number | null;
}
/** One per run × kind × class that has records: how many, and the sums of both sides (null sides count as 0). */
export interface ReconcileClassTotalsTable {
  run_id: string;
  kind: 'payment' | 'refund';
  class: ReconcileClass;
  n: number;
  bill_amount_fen: number;
  system_amount_fen: number;
}
export interface ReconcileRepairsTable {
  item_id: number;
  run_id: string;
  action: 'settled' | 'adjusted' | 'exception';
  detail: ColumnType<unknown, string | undefined, never>;
  created_at: CreatedAt;
}
export interface ReconcileResolutionsTable {
  merchant_id: string;
  channel: string;
  bill_date: string;
  kind: string;
  out_no: string;
  class: string;
  note: string;
  resolved_by: string;
  resolved_at: CreatedAt;
}

export type ReconcileDownloadOutcome = 'reconciled' | 'already_reconciled' | 'no_statement' | 'not_ready' | 'hash_mismatch' | 'malformed' | 'failed';
export interface ReconcileDownloadsTable {
  id: string;
  merchant_id: string;
  channel: 'wechat' | 'alipay';
  bill_date: string;
  outcome: ReconcileDownloadOutcome;
  bill_id: string | null;
  run_id: string | null;
  message: string | null;
  started_by: string | null;
  created_at: CreatedAt;
}
export interface ReconcileTables {
  reconcile_downloads: ReconcileDownloadsTable;
  reconcile_settings: ReconcileSettingsTable;
  reconcile_bills: ReconcileBillsTable;
  reconcile_bill_lines: ReconcileBillLinesTable;
  reconcile_runs: ReconcileRunsTable;
  reconcile_items: ReconcileItemsTable;
  reconcile_class_totals: ReconcileClassTotalsTable;
  reconcile_repairs: ReconcileRepairsTable;
  reconcile_resolutions: ReconcileResolutionsTable;
  reconcile_postings: ReconcilePostingsTable;
}
