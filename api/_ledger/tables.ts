import type { ColumnType } from 'kysely';
import type { CreatedAt, BusinessDate } from '../_db/column-types.js';

export type LedgerAccountType = 'asset' | 'liability' | 'equity' | 'revenue' | 'expense' | 'contra_revenue';
export interface LedgerAccountsTable {
  merchant_id: string;
  code: string;
  number: string;
  name: string;
  type: LedgerAccountType;
  normal_side: 'debit' | 'credit';
  created_at: CreatedAt;
}
export interface JournalEntriesTable {
  id: string;
  merchant_id: string;
  store_id: string | null;
  event_key: string;
  content_hash: string;
  memo: string;
  business_date: BusinessDate;
  occurred_at: ColumnType<Date, Date | string | undefined, never>;
  line_count: number;
  total_fen: number;
  created_at: CreatedAt;
}
export interface JournalLinesTable {
  entry_id: string;
  line_no: number;
  merchant_id: string;
  account: string;
  debit_fen: number;
  credit_fen: number;
  memo: string | null;
}

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface LedgerTables {
  ledger_accounts: LedgerAccountsTable;
  journal_entries: JournalEntriesTable;
  journal_lines: JournalLinesTable;
}
