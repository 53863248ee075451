import { z } from 'zod';

/**
 * Referral (老带新): a member shares the shop with a signed token in the
 * link; a new member who arrives by it is recorded as referred, and their
 * first paid purchase rewards both. Every limit has a name.
 */

/** Rewards one referrer may earn in a business day unless the owner sets another cap: past it, a referral is refused. */
export const referral_daily_cap_default = 5;
/** The highest daily cap an owner may set. */
export const referral_daily_cap_max = 100;
/** The most points one side of a referral may be given. */
export const referral_reward_points_max = 1_000_000;
/** A referral token as a share link carries it (the sealed form is about 90 characters). */
export const referral_token_length_max = 200;
export const referrals_list_max = 200;

export const referralTokenResponse = z.object({
  token: z.string(),
  /** The page a shared card opens, with the store and the token in its query. */
  path: z.string(),
});

export const arrivalRequest = z.strictObject({
  token: z.string().min(1, '缺少邀请参数').max(referral_token_length_max, '邀请参数过长'),
});
export const arrivalResponse = z.object({
  recorded: z.boolean(),
  /** Why an arrival was not recorded, in words for the member; null when it was. */
  reason: z.string().nullable(),
});

const couponTemplateId = z.string().trim().min(1).max(64).nullable();

export const referralSettingsRequest = z.strictObject({
  enabled: z.boolean(),
  referrerPoints: z.number().int().min(0, '邀请人积分不能为负').max(referral_reward_points_max, `邀请人积分最多 ${referral_reward_points_max}`),
  refereePoints: z.number().int().min(0, '新会员积分不能为负').max(referral_reward_points_max, `新会员积分最多 ${referral_reward_points_max}`),
  /** Coupon rewards: the coupons module's template each side gets (issued through its issueCoupon, source 'referral'). */
  referrerCouponTemplateId: couponTemplateId,
  refereeCouponTemplateId: couponTemplateId,
  dailyCap: z.number().int().min(1, '每日上限至少 1').max(referral_daily_cap_max, `每日上限最多 ${referral_daily_cap_max}`),
});
export type ReferralSettingsRequest = z.infer<typeof referralSettingsRequest>;
export const referralSettingsView = referralSettingsRequest;
export type ReferralSettingsView = ReferralSettingsRequest;

export const referralStatus = z.enum(['pending', 'rewarded', 'refused', 'void']);

const party = z.object({ id: z.string(), name: z.string().nullable(), phoneMasked: z.string().nullable() });

export const referralView = z.object({
  id: z.string(),
  referrer: party,
  referee: party,
  status: referralStatus,
  refusedReason: z.string().nullable(),
  orderId: z.string().nullable(),
  referrerPoints: z.number().int(),
  refereePoints: z.number().int(),
  arrivedAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type ReferralView = z.infer<typeof referralView>;

export const referralsResponse = z.object({
  items: z.array(referralView),
  totals: z.object({ referred: z.number().int(), rewarded: z.number().int(), pointsGiven: z.number().int() }),
});
