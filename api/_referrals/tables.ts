import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Touched = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ReferralSettingsTable {
  merchant_id: string;
  enabled: Generated<boolean>;
  referrer_points: Generated<number>;
  referee_points: Generated<number>;
  /** The coupon template each side gets; issuing it is the coupons module's issueCoupon (source 'referral'). */
  referrer_coupon_template_id: string | null;
  referee_coupon_template_id: string | null;
  daily_cap: number;
  updated_by: string | null;
  updated_at: Touched;
}

export type ReferralStatus = 'pending' | 'rewarded' | 'refused' | 'void';

export interface ReferralsTable {
  id: string;
  merchant_id: string;
  referrer_member_id: string;
  referee_member_id: string;
  status: ReferralStatus;
  refused_reason: string | null;
  order_id: string | null;
  referee_phone: string | null;
  referrer_points: Generated<number>;
  referee_points: Generated<number>;
  arrived_at: ColumnType<Date, Date | string | undefined, never>;
  decided_at: Timestamp | null;
  decided_on: ColumnType<string, string, string> | null;
}

export interface ReferralDailyCountsTable {
  merchant_id: string;
  referrer_member_id: string;
  day: ColumnType<string, string, string>;
  rewarded: number;
}

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface ReferralsTables {
  referral_settings: ReferralSettingsTable;
  referrals: ReferralsTable;
  referral_daily_counts: ReferralDailyCountsTable;
}
