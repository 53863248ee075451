import type { Deps } from '../_kernel/deps.js';
import { AppError } from '../_kernel/errors.js';
import { newId } from '../../shared/ids.js';
import { openReferralToken, sealReferralToken } from './token.js';
import { referralSettings } from './settings.js';

/**
 * How long after a member is made their arrival by a shared link may still
 * record them as referred: the shop records it right after the first
 * sign-in, so minutes are plenty, and an old member cannot become someone's
 * referral later by opening a link.
 */
export const referral_first_visit_window_minutes = 30;

/** The token a member shares, and the page the shared card opens (the client adds the store). */
export function referralTokenOf(deps: Deps, member: { merchantId: string; memberId: string }): { token: string; path: string } {
  const token = sealReferralToken(deps.config.sessionSecret, member.merchantId, member.memberId);
  return { token, path: `pages/member/welcome?ref=${encodeURIComponent(token)}` };
}

/**
 * Records that a new member arrived by a referrer's link. A token that does
 * not open is a 400 and writes nothing. Otherwise the answer says whether it
 * was recorded: not for oneself, not with the programme off, not for a
 * member who is not new (made within the window, with no order of any kind),
 * not twice (one live referral per referee, a unique index), and not when
 * the two share a phone.
 */
export async function recordArrival(deps: Deps, member: { merchantId: string; memberId: string }, token: string): Promise<{ recorded: boolean; reason: string | null }> {
  const referrerId = openReferralToken(deps.config.sessionSecret, member.merchantId, token);
  if (!referrerId) throw new AppError('bad_request', '邀请链接无效或不属于本店', [{ path: 'token', message: 'token does not open' }]);
  if (referrerId === member.memberId) return { recorded: false, reason: '不能邀请自己' };
  const settings = await referralSettings(deps.db, member.merchantId);
  if (!settings.enabled) return { recorded: false, reason: '本店暂未开启邀请有礼' };
  const now = deps.clock();
  const people = await deps.db.selectFrom('members').select(['id', 'phone', 'created_at']).where('merchant_id', '=', member.merchantId).where('id', 'in', [referrerId, member.memberId]).execute();
  const referrer = people.find((p) => p.id === referrerId);
  const referee = people.find((p) => p.id === member.memberId);
  if (!referrer || !referee) return { recorded: false, reason: '邀请人已不是本店会员' };
  if (referrer.phone && referee.phone && referrer.phone === referee.phone) return { recorded: false, reason: '不能邀请自己' };
  const isNew = now.getTime() - new Date(referee.created_at).getTime() <= referral_first_visit_window_minutes * 60_000;
  const anyOrder = await deps.db.selectFrom('orders').select('id').where('merchant_id', '=', member.merchantId).where('member_id', '=', member.memberId).limit(1).executeTakeFirst();
  if (!isNew || anyOrder) return { recorded: false, reason: '仅新会员首次到访可接受邀请' };
  const inserted = await deps.db
    .insertInto('referrals')
    .values({ id: newId('referral', now.getTime()), merchant_id: member.merchantId, referrer_member_id: referrerId, referee_member_id: member.memberId, status: 'pending', arrived_at: now })
    // The live referral of this referee exists already (the first link wins; a replay changes nothing).
    .onConflict((oc) => oc.columns(['merchant_id', 'referee_member_id']).where('status', '<>', 'void').doNothing())
    .returning('referrer_member_id')
    .executeTakeFirst();
  if (!inserted) {
    const existing = await deps.db.selectFrom('referrals').select('referrer_member_id').where('merchant_id', '=', member.merchantId).where('referee_member_id', '=', member.memberId).where('status', '<>', 'void').executeTakeFirst();
    // The same link opened again answers as the first time did.
    if (existing?.referrer_member_id === referrerId) return { recorded: true, reason: null };
    return { recorded: false, reason: '你已接受过其他会员的邀请' };
  }
  return { recorded: true, reason: null };
}
