import type { MemberLevelRule } from '../../shared/pricing/member-level.js';
import type { Kysely, Transaction } from 'kysely';
import { audit } from '../_audit/index.js';
import { enforceRate } from '../_kernel/rate-limit.js';
import type { Deps } from '../_kernel/deps.js';
import { sql } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { MemberCard } from '../../shared/api/members.js';
import { newId } from '../../shared/ids.js';
import { maskPhone as maskPhoneText } from '../../shared/phone-mask.js';
import { pointsBalance } from './points.repository.js';
import { memberIdOfCode } from './member-code.js';
import { issueLevelUpCoupons, issueSignUpCoupons } from '../_coupons/index.js';

export function maskPhone(phone: string | null): string | null {
  return phone ? maskPhoneText(phone) : null;
}

export async function memberCard(db: Kysely<DB> | Transaction<DB>, merchantId: string, by: { phone?: string | undefined; memberId?: string | undefined }): Promise<MemberCard> {
  let q = db.selectFrom('members').select(['id', 'name', 'phone', 'level', 'merged_into']).where('merchant_id', '=', merchantId);
  q = by.phone ? q.where('phone', '=', by.phone) : q.where('id', '=', by.memberId ?? '');
  const m = await q.executeTakeFirst();
  if (!m) throw new AppError('not_found', '找不到这位会员');
  // A member absorbed by a merge is now the member it became (merges keep this one hop deep).
  if (m.merged_into) return memberCard(db, merchantId, { memberId: m.merged_into });
  return { id: m.id, name: m.name, phoneMasked: maskPhone(m.phone), level: m.level, points: await pointsBalance(db, m.id) };
}

/**
 * Phone lookups a member of staff may make per minute. A phone number finds
 * a person, so the counter's search must not become a way to test a list of
 * numbers against the membership; a real counter looks up a few a minute.
 */
export const member_lookups_per_minute_max = 20;

/**
 * The counter's member search. A search by phone is rate-limited per member
 * of staff and audited, found or not, with the phone masked in the log; a
 * search by member code (the member's own rotating QR, or the bare id older
 * tools send) is neither, as it needs the member's phone in hand.
 */
export async function lookupMember(deps: Deps, staff: { merchantId: string; staffId: string }, by: { phone?: string | undefined; memberId?: string | undefined; code?: string | undefined }): Promise<MemberCard> {
  if (by.code) return memberCard(deps.db, staff.merchantId, { memberId: memberIdOfCode(deps.config.sessionSecret, by.code, deps.clock()) });
  if (!by.phone) return memberCard(deps.db, staff.merchantId, by);
  await enforceRate(deps, { name: 'member_lookups_per_minute_max', max: member_lookups_per_minute_max, windowSeconds: 60 }, `${staff.merchantId}:${staff.staffId}`, '按手机号查询会员');
  let card: MemberCard | null = null;
  try {
    card = await memberCard(deps.db, staff.merchantId, by);
    return card;
  } finally {
    await audit(deps.db, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'member.phone_lookup', subjectId: card?.id ?? null, detail: { phoneMasked: maskPhone(by.phone), found: card !== null } });
  }
}

/**
 * The counter makes a member by phone. The row and its sign-up coupons (新人券)
 * are written in one transaction, so a member never exists without the
 * coupons the shop promises every new member.
 */
export async function createMember(db: Kysely<DB>, merchantId: string, input: { phone: string; name?: string | undefined }, now: Date): Promise<MemberCard> {
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('members')
      .values({ id: newId('member', now.getTime()), merchant_id: merchantId, phone: input.phone, name: input.name ?? null })
      .onConflict((oc) => oc.columns(['merchant_id', 'phone']).doNothing())
      .returning(['id'])
      .executeTakeFirst();
    if (!row) throw new AppError('conflict', '这个手机号已经是会员');
    await issueSignUpCoupons(trx, { merchantId, memberId: row.id, now });
    return row.id;
  });
  return memberCard(db, merchantId, { memberId: id });
}

/** A level's threshold and what it gives; the same shape the owner saves (shared/api/promotions.ts). */
export type LevelRule = MemberLevelRule;

/**
 * Raises a member to the highest level whose spend or visit threshold they
 * now meet, from their paid orders (net of refunds). Levels only go up
 * automatically; lowering one is an owner's decision. Reaching a level gives
 * its level-up coupons (升级礼券) in the same transaction, so the raise and
 * the gift commit or fail together.
 */
export async function upgradeLevel(trx: Transaction<DB>, merchantId: string, memberId: string, rules: LevelRule[], now: Date): Promise<string | null> {
  if (rules.length === 0) return null;
  const member = await trx.selectFrom('members').select('level').where('id', '=', memberId).executeTakeFirstOrThrow();
  // Already at the top: nothing to earn, and no need to add up a long history.
  if (member.level === rules[rules.length - 1]!.name) return null;
  const stats = await trx
    .selectFrom('orders')
    .select([sql<number>`coalesce(sum(total_fen - refunded_fen), 0)::bigint`.as('spend'), sql<number>`count(*)::bigint`.as('visits')])
    .where('merchant_id', '=', merchantId)
    .where('member_id', '=', memberId)
    .where('status', 'in', ['paid', 'partially_refunded'])
    .executeTakeFirstOrThrow();
  const rank = (name: string) => rules.findIndex((r) => r.name === name);
  const earned = rules.filter((r) => Number(stats.spend) >= r.minSpendFen || (r.minVisits > 0 && Number(stats.visits) >= r.minVisits));
  const best = earned[earned.length - 1];
  if (!best || rank(best.name) <= rank(member.level)) return null;
  await trx.updateTable('members').set({ level: best.name }).where('id', '=', memberId).execute();
  await issueLevelUpCoupons(trx, { merchantId, memberId, level: best.name, now });
  return best.name;
}

/**
 * The member a platform user is at a merchant, made on their first visit:
 * one per merchant and platform id (a unique index), so concurrent first
 * visits find the same member. Only the visit whose insert made the row
 * issues the sign-up coupons (新人券), in the insert's transaction; the
 * others find the member and its coupons already there.
 */
export async function memberForPlatformUser(db: Kysely<DB>, merchantId: string, platform: 'wechat' | 'alipay', userId: string, now: Date): Promise<{ id: string; name: string | null; level: string }> {
  const column = platform === 'wechat' ? 'wechat_openid' : 'alipay_user_id';
  await db.transaction().execute(async (trx) => {
    const made = await trx
      .insertInto('members')
      .values({ id: newId('member', now.getTime()), merchant_id: merchantId, [column]: userId })
      .onConflict((oc) => oc.columns(['merchant_id', column]).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (made) await issueSignUpCoupons(trx, { merchantId, memberId: made.id, now });
  });
  return db.selectFrom('members').select(['id', 'name', 'level']).where('merchant_id', '=', merchantId).where(column, '=', userId).executeTakeFirstOrThrow();
}

/** A member's id, name and level, for the session's own view; it throws when the member is gone. */
export async function memberSummary(db: Kysely<DB>, memberId: string): Promise<{ id: string; name: string | null; level: string }> {
  return db.selectFrom('members').select(['id', 'name', 'level']).where('id', '=', memberId).executeTakeFirstOrThrow();
}
