import { sql, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';

/**
 * Moves a merged-away member's referrals to the surviving member, in the
 * merge's transaction (the members module calls every module's mover), so
 * that nothing is counted twice:
 * - a pending referral between the two (one person referring themself on
 *   two platforms) is voided and never rewards;
 * - when both were referred, the merged-away member's live referral is
 *   voided if still pending (one reward per person), else the survivor's;
 *   a referral already rewarded stays as it was, as its points were given;
 * - the referrer's daily counts are added together under the survivor.
 * Running it again changes nothing: no row names the merged-away member.
 */
export async function moveReferralsToMember(trx: Transaction<DB>, m: { merchantId: string; fromMemberId: string; toMemberId: string; mergeId: string }): Promise<void> {
  if (m.fromMemberId === m.toMemberId) return;
  const both = [m.fromMemberId, m.toMemberId];
  const now = new Date();
  // Between the two: the person referred themself.
  await trx
    .updateTable('referrals')
    .set({ status: 'void', refused_reason: '邀请人与新会员已合并为同一人', decided_at: now })
    .where('merchant_id', '=', m.merchantId)
    .where('status', '=', 'pending')
    .where('referrer_member_id', 'in', both)
    .where('referee_member_id', 'in', both)
    .execute();
  // Both referred: only one live referral may remain for the survivor; a pending one gives way to the other.
  const live = await trx
    .selectFrom('referrals')
    .select(['id', 'referee_member_id', 'status'])
    .where('merchant_id', '=', m.merchantId)
    .where('referee_member_id', 'in', both)
    .where('status', '<>', 'void')
    .orderBy('arrived_at')
    .execute();
  if (live.length === 2) {
    const loser = live.find((r) => r.status === 'pending' && r.referee_member_id === m.fromMemberId) ?? live.find((r) => r.status === 'pending') ?? live[1]!;
    await trx.updateTable('referrals').set({ status: 'void', refused_reason: '会员合并后重复的邀请', decided_at: now }).where('id', '=', loser.id).execute();
  }
  await trx.updateTable('referrals').set({ referee_member_id: m.toMemberId }).where('merchant_id', '=', m.merchantId).where('referee_member_id', '=', m.fromMemberId).execute();
  await trx.updateTable('referrals').set({ referrer_member_id: m.toMemberId }).where('merchant_id', '=', m.merchantId).where('referrer_member_id', '=', m.fromMemberId).execute();
  await sql`insert into referral_daily_counts (merchant_id, referrer_member_id, day, rewarded)
    select merchant_id, ${m.toMemberId}, day, rewarded from referral_daily_counts where referrer_member_id = ${m.fromMemberId} and merchant_id = ${m.merchantId}
    on conflict (referrer_member_id, day) do update set rewarded = referral_daily_counts.rewarded + excluded.rewarded`.execute(trx);
  await trx.deleteFrom('referral_daily_counts').where('merchant_id', '=', m.merchantId).where('referrer_member_id', '=', m.fromMemberId).execute();
}
