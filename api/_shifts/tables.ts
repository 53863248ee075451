import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp, BusinessDate } from '../_db/column-types.js';

export type ShiftStatus = 'open' | 'closed' | 'confirmed';
export type CashMoveKind = 'change_fund_in' | 'change_fund_out' | 'petty_cash' | 'bank_deposit';

export interface ShiftsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  device_id: string;
  business_date: BusinessDate;
  request_hash: string;
  status: Generated<ShiftStatus>;
  opened_by: string;
  opened_at: Timestamp;
  opening_float_fen: number;
  closed_by: string | null;
  closed_at: Timestamp | null;
  close_hash: string | null;
  counts: ColumnType<unknown, string | null, string | null> | null;
  counted_fen: number | null;
  expected_fen: number | null;
  variance_fen: number | null;
  close_note: string | null;
  confirmed_by: string | null;
  confirmed_at: Timestamp | null;
  confirm_note: string | null;
}
export interface ShiftCashMovesTable {
  id: string;
  merchant_id: string;
  shift_id: string;
  kind: CashMoveKind;
  amount_fen: number;
  reason: string;
  request_hash: string;
  created_by: string;
  created_at: CreatedAt;
}
export interface ShiftSettingsTable {
  store_id: string;
  merchant_id: string;
  closes_at: string;
}
export interface DayClosesTable {
  merchant_id: string;
  store_id: string;
  business_date: BusinessDate;
  closed_by: string;
  closed_at: Timestamp;
  summary: ColumnType<unknown, string, string>;
}

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface ShiftsTables {
  shifts: ShiftsTable;
  shift_cash_moves: ShiftCashMovesTable;
  shift_settings: ShiftSettingsTable;
  day_closes: DayClosesTable;
}
