import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../_db/column-types.js';

export type StoredValueKind = 'top_up' | 'spend' | 'return' | 'refund' | 'forfeit' | 'move_out' | 'move_in';

export interface StoredValuePlansTable {
  id: string;
  merchant_id: string;
  name: string;
  pay_fen: number;
  bonus_fen: number;
  status: Generated<'active' | 'stopped'>;
  created_by: string;
  created_at: CreatedAt;
  stopped_at: Timestamp | null;
}

export interface StoredValueSettingsTable {
  merchant_id: string;
  balance_cap_fen: number;
  updated_by: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** One row per member: the balances every movement changes by compare-and-set, and the sequence of the last movement. */
export interface StoredValueAccountsTable {
  member_id: string;
  merchant_id: string;
  principal_fen: Generated<number>;
  bonus_fen: Generated<number>;
  seq: Generated<number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface StoredValueTopUpsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  member_id: string;
  plan_id: string;
  pay_fen: number;
  bonus_fen: number;
  method: 'cash' | 'card' | 'wechat' | 'alipay';
  reference: string | null;
  status: 'pending' | 'credited' | 'failed';
  request_hash: string;
  created_by: string | null;
  created_at: CreatedAt;
  credited_at: Timestamp | null;
}

export interface StoredValueRefundsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  member_id: string;
  principal_fen: number;
  bonus_forfeited_fen: number;
  method: 'cash' | 'bank';
  reference: string | null;
  note: string;
  request_hash: string;
  created_by: string;
  created_at: CreatedAt;
}

/** Append-only: one row per movement, with both balances after it. */
export interface StoredValueLedgerTable {
  id: string;
  merchant_id: string;
  member_id: string;
  seq: number;
  kind: StoredValueKind;
  principal_delta_fen: number;
  bonus_delta_fen: number;
  principal_after_fen: number;
  bonus_after_fen: number;
  store_id: string | null;
  order_id: string | null;
  ref_id: string;
  idempotency_key: string;
  created_by: string | null;
  created_at: CreatedAt;
}

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface StoredValueTables {
  stored_value_plans: StoredValuePlansTable;
  stored_value_settings: StoredValueSettingsTable;
  stored_value_accounts: StoredValueAccountsTable;
  stored_value_top_ups: StoredValueTopUpsTable;
  stored_value_refunds: StoredValueRefundsTable;
  stored_value_ledger: StoredValueLedgerTable;
}
