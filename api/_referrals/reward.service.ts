import { sql, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { issueCoupon } from '../_coupons/index.js';
import { postPoints } from '../_members/index.js';
import { referralSettings } from './settings.js';

export interface PaidOrderOfMember {
  merchantId: string;
  memberId: string;
  orderId: string;
  businessDate: string;
  at: Date;
}

/** Why a referral was refused, as the owner's list shows it. */
export const referral_refusals = {
  off: '奖励时邀请有礼已关闭',
  daily_cap: '邀请人当日奖励已达上限',
  same_phone: '邀请人与新会员是同一手机号',
  phone_rewarded: '这个手机号已领过邀请奖励',
  self: '邀请人与新会员已合并为同一人',
} as const;

/**
 * Rewards a referral on the referee's first paid purchase, in the
 * transaction that makes the order paid (the counter's checkout and the
 * shop's payment settlement both call it). The referral leaves 'pending' by
 * compare-and-set, so it is decided once: the first paid order rewards it,
 * and no later order can. It is recorded only for a member with no order at
 * all (see recordArrival), so the order deciding it is their first paid one.
 * A refusal (cap, phone) is recorded, never thrown: it must not undo the sale.
 */
export async function rewardReferralOnPaidOrder(trx: Transaction<DB>, o: PaidOrderOfMember): Promise<void> {
  // The common case, a member nobody referred or already decided, costs this one indexed read.
  const pending = await trx
    .selectFrom('referrals')
    .select(['id', 'referrer_member_id'])
    .where('merchant_id', '=', o.merchantId)
    .where('referee_member_id', '=', o.memberId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (!pending) return;
  const settings = await referralSettings(trx, o.merchantId);
  const people = await trx.selectFrom('members').select(['id', 'phone']).where('merchant_id', '=', o.merchantId).where('id', 'in', [pending.referrer_member_id, o.memberId]).execute();
  const refereePhone = people.find((p) => p.id === o.memberId)?.phone ?? null;
  const referrerPhone = people.find((p) => p.id === pending.referrer_member_id)?.phone ?? null;

  let refusal: keyof typeof referral_refusals | null = null;
  if (!settings.enabled) refusal = 'off';
  else if (pending.referrer_member_id === o.memberId) refusal = 'self';
  else if (refereePhone && refereePhone === referrerPhone) refusal = 'same_phone';
  else if (refereePhone) {
    const before = await trx.selectFrom('referrals').select('id').where('merchant_id', '=', o.merchantId).where('referee_phone', '=', refereePhone).where('status', '=', 'rewarded').executeTakeFirst();
    if (before) refusal = 'phone_rewarded';
  }
  if (!refusal) {
    // The cap: the referrer's count for the day goes up only while under it, in one statement, so racing rewards cannot pass it.
    const counted = await trx
      .insertInto('referral_daily_counts')
      .values({ merchant_id: o.merchantId, referrer_member_id: pending.referrer_member_id, day: o.businessDate, rewarded: 1 })
      .onConflict((oc) =>
        oc
          .columns(['referrer_member_id', 'day'])
          .doUpdateSet({ rewarded: sql`referral_daily_counts.rewarded + 1` })
          .where('referral_daily_counts.rewarded', '<', settings.dailyCap),
      )
      .returning('rewarded')
      .executeTakeFirst();
    if (!counted) refusal = 'daily_cap';
  }

  const decided = await trx
    .updateTable('referrals')
    .set({
      status: refusal ? 'refused' : 'rewarded',
      refused_reason: refusal ? referral_refusals[refusal] : null,
      order_id: o.orderId,
      referee_phone: refusal ? null : refereePhone,
      referrer_points: refusal ? 0 : settings.referrerPoints,
      referee_points: refusal ? 0 : settings.refereePoints,
      decided_at: o.at,
      decided_on: o.businessDate,
    })
    .where('id', '=', pending.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (decided.numUpdatedRows !== 1n || refusal) return;
  // The referee first: their row is already locked by this order's own points, so locks are taken in the same order as a sale takes them.
  if (settings.refereePoints > 0) {
    await postPoints(trx, { merchantId: o.merchantId, memberId: o.memberId, delta: settings.refereePoints, reason: 'referral_reward', refId: pending.id, idempotencyKey: `referral_reward:${pending.id}:referee` });
  }
  if (settings.referrerPoints > 0) {
    await postPoints(trx, { merchantId: o.merchantId, memberId: pending.referrer_member_id, delta: settings.referrerPoints, reason: 'referral_reward', refId: pending.id, idempotencyKey: `referral_reward:${pending.id}:referrer` });
  }
  // Coupon rewards, the referee first as with points. A refusal (the template stopped, sold out, over the
  // member's limit) is returned by issueCoupon, not thrown, and is let go: the points above and the sale stand.
  const coupons = [
    { side: 'referee', memberId: o.memberId, templateId: settings.refereeCouponTemplateId },
    { side: 'referrer', memberId: pending.referrer_member_id, templateId: settings.referrerCouponTemplateId },
  ] as const;
  for (const c of coupons) {
    if (!c.templateId) continue;
    await issueCoupon(trx, { merchantId: o.merchantId, memberId: c.memberId, templateId: c.templateId, source: 'referral', idempotencyKey: `referral_coupon:${pending.id}:${c.side}`, now: o.at });
  }
}
