import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { activeTemplateExists } from '../_coupons/index.js';
import { AppError } from '../_kernel/errors.js';
import { referral_daily_cap_default, type ReferralSettingsRequest, type ReferralSettingsView } from '../../shared/api/referrals.js';

/** A merchant that has not set referral up: off, nothing given, the default cap. */
export const default_referral_settings: ReferralSettingsView = {
  enabled: false,
  referrerPoints: 0,
  refereePoints: 0,
  referrerCouponTemplateId: null,
  refereeCouponTemplateId: null,
  dailyCap: referral_daily_cap_default,
};

export async function referralSettings(db: Kysely<DB> | Transaction<DB>, merchantId: string): Promise<ReferralSettingsView> {
  const row = await db.selectFrom('referral_settings').selectAll().where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!row) return default_referral_settings;
  return {
    enabled: row.enabled,
    referrerPoints: row.referrer_points,
    refereePoints: row.referee_points,
    referrerCouponTemplateId: row.referrer_coupon_template_id,
    refereeCouponTemplateId: row.referee_coupon_template_id,
    dailyCap: row.daily_cap,
  };
}

/** The owner's settings; a referral already rewarded keeps what it was given. */
export async function saveReferralSettings(db: Kysely<DB>, merchantId: string, staffId: string, s: ReferralSettingsRequest): Promise<ReferralSettingsView> {
  // A coupon reward must name a template of this shop that is still issued; otherwise every reward would be refused unseen.
  for (const [field, label] of [['referrerCouponTemplateId', '邀请人'], ['refereeCouponTemplateId', '新会员']] as const) {
    const id = s[field];
    if (id !== null && !(await activeTemplateExists(db, merchantId, id))) {
      throw new AppError('validation_failed', `${label}奖励的优惠券不存在或已停止发放`, [{ path: field, message: 'not an active coupon template' }]);
    }
  }
  const values = {
    enabled: s.enabled,
    referrer_points: s.referrerPoints,
    referee_points: s.refereePoints,
    referrer_coupon_template_id: s.referrerCouponTemplateId,
    referee_coupon_template_id: s.refereeCouponTemplateId,
    daily_cap: s.dailyCap,
    updated_by: staffId,
    updated_at: new Date(),
  };
  await db
    .insertInto('referral_settings')
    .values({ merchant_id: merchantId, ...values })
    .onConflict((oc) => oc.column('merchant_id').doUpdateSet(values))
    .execute();
  return referralSettings(db, merchantId);
}
