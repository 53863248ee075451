import type { Generated } from 'kysely';
import type { CreatedAt, Timestamp, BusinessDate } from '../_db/column-types.js';

export interface ReturnLimitsTable {
  merchant_id: string;
  role: 'owner' | 'manager' | 'assistant';
  per_return_fen: number;
  per_day_fen: number;
}
export interface ReturnsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  order_id: string;
  client_return_id: string;
  request_hash: string;
  status: 'pending_approval' | 'completed' | 'rejected';
  amount_fen: number;
  points_clawback: Generated<number>;
  reason: string;
  requested_by: string;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
  business_date: BusinessDate;
  created_at: CreatedAt;
  /** The shift whose drawer paid the cash part of the refund, if any. */
  shift_id: string | null;
}
export interface ReturnLinesTable {
  return_id: string;
  order_line_id: string;
  qty: number;
  amount_fen: number;
}
export interface ReturnRefundsTable {
  return_id: string;
  line_no: number;
  method: string;
  amount_fen: number;
}

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface ReturnsTables {
  return_limits: ReturnLimitsTable;
  returns: ReturnsTable;
  return_lines: ReturnLinesTable;
  return_refunds: ReturnRefundsTable;
}
