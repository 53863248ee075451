import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type SplitChannel = 'wechat' | 'alipay';
export type ReceiverKind = 'brand' | 'landlord' | 'platform' | 'staff';
export type ReceiverAccountType = 'MERCHANT_ID' | 'PERSONAL_OPENID' | 'loginName' | 'userId';
export type SplitStatus = 'calculated' | 'processing' | 'finished' | 'unfrozen' | 'returned' | 'cancelled';
export type SplitLogEvent = 'rule_version' | 'calculated' | 'requested' | 'result' | 'request_failed' | 'return' | 'unfreeze' | 'cancelled';

export interface SplitReceiversTable {
  id: string;
  merchant_id: string;
  name: string;
  kind: ReceiverKind;
  channel: SplitChannel;
  account_type: ReceiverAccountType;
  account: string;
  added_at_platform_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface SplitRulesTable {
  id: string;
  merchant_id: string;
  store_id: string | null;
  scope: string;
  version: number;
  effective_from: string;
  note: Generated<string>;
  request_hash: string;
  created_by: string;
  created_at: CreatedAt;
}

export interface SplitRuleLinesTable {
  rule_id: string;
  line_no: number;
  receiver_id: string;
  bp: number | null;
  fixed_fen: number | null;
  description: string;
}

export interface PaymentSplitsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  payment_id: string;
  rule_id: string | null;
  channel: SplitChannel;
  paid_fen: number;
  split_fen: number;
  retained_fen: number;
  status: SplitStatus;
  platform_order_id: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PaymentSplitPartsTable {
  split_id: string;
  line_no: number;
  receiver_id: string;
  amount_fen: number;
  status: 'pending' | 'success' | 'closed';
  fail_reason: string | null;
  return_status: 'processing' | 'success' | 'failed' | null;
  finished_at: Timestamp | null;
}

export interface SplitLogTable {
  id: Generated<number>;
  merchant_id: string;
  event: SplitLogEvent;
  payment_id: string | null;
  split_id: string | null;
  rule_id: string | null;
  receiver_id: string | null;
  amount_fen: number | null;
  status: string | null;
  detail: ColumnType<unknown, string | undefined, never>;
  created_at: CreatedAt;
}

export interface SplitTables {
  split_receivers: SplitReceiversTable;
  split_rules: SplitRulesTable;
  split_rule_lines: SplitRuleLinesTable;
  payment_splits: PaymentSplitsTable;
  payment_split_parts: PaymentSplitPartsTable;
  split_log: SplitLogTable;
}
