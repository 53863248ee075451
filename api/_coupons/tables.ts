import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../_db/column-types.js';

type JsonIds = ColumnType<string[], string | undefined, string>;

export interface CouponTemplatesTable {
  id: string;
  merchant_id: string;
  name: string;
  kind: 'amount_off' | 'percent_off' | 'free_item';
  min_spend_fen: number;
  off_fen: number | null;
  off_bp: number | null;
  cap_fen: number | null;
  free_sku_id: string | null;
  valid_from: Timestamp | null;
  valid_until: Timestamp | null;
  valid_days: number | null;
  store_ids: JsonIds;
  category_ids: JsonIds;
  sku_ids: JsonIds;
  per_member_max: number;
  total_max: number | null;
  issued_count: Generated<number>;
  claimable: Generated<boolean>;
  auto_issue: Generated<'none' | 'sign_up' | 'level_up'>;
  auto_level: string | null;
  return_policy: 'never' | 'full_return' | 'below_threshold';
  status: Generated<'active' | 'stopped'>;
  created_by: string;
  created_at: CreatedAt;
  stopped_by: string | null;
  stopped_at: Timestamp | null;
}
export interface CouponsTable {
  id: string;
  merchant_id: string;
  template_id: string;
  member_id: string;
  source: 'claim' | 'counter' | 'sign_up' | 'level_up' | 'referral' | 'points_mall';
  idempotency_key: string;
  status: Generated<'available' | 'used'>;
  valid_from: Timestamp;
  valid_until: Timestamp;
  issued_by: string | null;
  used_order_id: string | null;
  used_at: Timestamp | null;
  created_at: CreatedAt;
  /** When the member was told the coupon is about to expire (0047); null until the reminder sweep tells them. */
  expiry_noticed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}
export interface CouponMemberCountsTable {
  template_id: string;
  member_id: string;
  merchant_id: string;
  issued: number;
}
export interface CouponEventsTable {
  id: string;
  merchant_id: string;
  coupon_id: string;
  kind: 'used' | 'given_back' | 'released' | 'moved';
  order_id: string | null;
  return_id: string | null;
  discount_fen: Generated<number>;
  from_member_id: string | null;
  to_member_id: string | null;
  created_at: CreatedAt;
}

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface CouponsTables {
  coupon_templates: CouponTemplatesTable;
  coupons: CouponsTable;
  coupon_member_counts: CouponMemberCountsTable;
  coupon_events: CouponEventsTable;
}
