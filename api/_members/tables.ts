import type { Generated } from 'kysely';
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

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface MembersTables {
  members: MembersTable;
  points_ledger: PointsLedgerTable;
}
