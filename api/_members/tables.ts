import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from '../_db/column-types.js';

export interface MembersTable {
  id: string;
  merchant_id: string;
  name: string | null;
  phone: string | null;
  wechat_openid: string | null;
  alipay_user_id: string | null;
  level: Generated<string>;
  created_at: CreatedAt;
  /** The member this one became in a merge (#17); its history stays here, its session leads there. */
  merged_into: Generated<string | null>;
  merged_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}
export interface PointsLedgerTable {
  id: string;
  merchant_id: string;
  member_id: string;
  delta: number;
  balance_after: number;
  reason: string;
  ref_id: string | null;
  idempotency_key: string;
  created_at: CreatedAt;
  seq: Generated<number>;
  /** The level's points multiplier an earning was made at (10000 is the plain rate); null for other postings. */
  multiplier_bp: Generated<number | null>;
}

export interface MemberMergesTable {
  id: string;
  merchant_id: string;
  from_member_id: string;
  to_member_id: string;
  reason: 'phone_binding';
  points_moved: number;
  level_before: string;
  level_after: string;
  /** What each mover moved, by name, for the audit trail. */
  moved: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: CreatedAt;
}

export interface MemberPhoneBindingsTable {
  id: string;
  merchant_id: string;
  member_id: string;
  platform: 'wechat' | 'alipay';
  /** SHA-256 of the platform's one-time code or encrypted answer: the binding's idempotency key. */
  code_hash: string;
  phone: string;
  survivor_id: string;
  merge_id: string | null;
  created_at: CreatedAt;
}

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface MembersTables {
  members: MembersTable;
  points_ledger: PointsLedgerTable;
  member_merges: MemberMergesTable;
  member_phone_bindings: MemberPhoneBindingsTable;
}
