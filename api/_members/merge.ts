import { sql, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { audit } from '../_audit/index.js';
import { AppError } from '../_kernel/errors.js';
import { newId } from '../../shared/ids.js';
import type { MemberLevelRule } from '../../shared/pricing/member-level.js';
import { pointsBalance, postPoints } from './points.repository.js';

/**
 * Merging two members of one merchant into one (#17): the survivor keeps its
 * id and phone and takes the other's points (a merge-out and a merge-in on
 * the append-only ledger, so the sum over all members is unchanged), the
 * higher of the two levels, the platform ids, and whatever the other modules
 * hold for the member (orders, reservations, coupons, stored value…), each
 * moved by its owner's mover in this same transaction. The absorbed member is
 * kept, marked merged_into, and one member_merges row and one audit row say
 * what happened.
 */

/** What every module's `move<Thing>ToMember` is called with; it moves its rows and nothing else. */
export interface MemberMoveInput {
  merchantId: string;
  fromMemberId: string;
  toMemberId: string;
  mergeId: string;
}
export type MemberMover = (trx: Transaction<DB>, input: MemberMoveInput) => Promise<void>;

/** A named mover, so the merge record can say what was moved. */
export interface NamedMemberMover {
  name: string;
  move: MemberMover;
}

export interface MergeRequest {
  merchantId: string;
  fromMemberId: string;
  toMemberId: string;
  /** The merchant's level rules, lowest first, to keep the higher level. */
  levels: readonly MemberLevelRule[];
  movers: readonly NamedMemberMover[];
  now: Date;
  /** Who asked for it: the member binding a phone, or a member of staff. */
  actorId: string;
}

export interface MergeResult {
  mergeId: string;
  survivorId: string;
  pointsMoved: number;
  /** False when this pair was already merged (a repeat, or the loser of a race): nothing was done twice. */
  created: boolean;
}

interface LockedMember {
  id: string;
  phone: string | null;
  wechat_openid: string | null;
  alipay_user_id: string | null;
  level: string;
  merged_into: string | null;
}

/**
 * Locks two members of a merchant, always in id order, so that two merges of
 * the same pair (or of overlapping pairs) queue behind each other instead of
 * deadlocking, and the second sees what the first did.
 */
export async function lockMembers(trx: Transaction<DB>, merchantId: string, ids: readonly string[]): Promise<Map<string, LockedMember>> {
  const sorted = [...new Set(ids)].sort();
  const rows = await sql<LockedMember>`select id, phone, wechat_openid, alipay_user_id, level, merged_into from members
    where merchant_id = ${merchantId} and id in (${sql.join(sorted)}) order by id for update`.execute(trx);
  return new Map(rows.rows.map((r) => [r.id, r]));
}

/** The higher of two levels by the merchant's rules (lowest first); a level no rule names ranks below every named one. */
export function higherLevel(levels: readonly MemberLevelRule[], survivor: string, absorbed: string): string {
  const rank = (name: string) => levels.findIndex((l) => l.name === name);
  return rank(absorbed) > rank(survivor) ? absorbed : survivor;
}

/** Merges `fromMemberId` into `toMemberId` inside the caller's transaction. */
export async function mergeMembers(trx: Transaction<DB>, r: MergeRequest): Promise<MergeResult> {
  if (r.fromMemberId === r.toMemberId) throw new AppError('bad_request', '不能把会员与自己合并');
  const locked = await lockMembers(trx, r.merchantId, [r.fromMemberId, r.toMemberId]);
  const from = locked.get(r.fromMemberId);
  const to = locked.get(r.toMemberId);
  // Another merchant's member is not found here: merges never cross merchants.
  if (!from || !to) throw new AppError('not_found', '找不到要合并的会员');
  if (from.merged_into === to.id) {
    const done = await trx.selectFrom('member_merges').select(['id', 'points_moved']).where('merchant_id', '=', r.merchantId).where('from_member_id', '=', from.id).executeTakeFirstOrThrow();
    return { mergeId: done.id, survivorId: to.id, pointsMoved: Number(done.points_moved), created: false };
  }
  if (from.merged_into || to.merged_into) throw new AppError('conflict', '其中一位会员已合并到别的会员，请重新查找');
  // Two different accounts of one platform cannot become one member: which one would sign in as it?
  if (from.wechat_openid && to.wechat_openid) throw new AppError('conflict', '这两位会员各自绑定了不同的微信账号，不能合并');
  if (from.alipay_user_id && to.alipay_user_id) throw new AppError('conflict', '这两位会员各自绑定了不同的支付宝账号，不能合并');
  if (from.phone && to.phone && from.phone !== to.phone) throw new AppError('conflict', '这两位会员的手机号不同，不能合并');

  const mergeId = newId('merge', r.now.getTime());
  const points = await pointsBalance(trx, from.id);
  const level = higherLevel(r.levels, to.level, from.level);
  await trx
    .insertInto('member_merges')
    .values({
      id: mergeId,
      merchant_id: r.merchantId,
      from_member_id: from.id,
      to_member_id: to.id,
      reason: 'phone_binding',
      points_moved: points,
      level_before: to.level,
      level_after: level,
      moved: JSON.stringify({ movers: r.movers.map((m) => m.name), platformIds: [from.wechat_openid ? 'wechat' : null, from.alipay_user_id ? 'alipay' : null].filter(Boolean) }),
    })
    .execute();
  if (points > 0) {
    await postPoints(trx, { merchantId: r.merchantId, memberId: from.id, delta: -points, reason: 'merge_out', refId: mergeId, idempotencyKey: `merge_out:${mergeId}` });
    await postPoints(trx, { merchantId: r.merchantId, memberId: to.id, delta: points, reason: 'merge_in', refId: mergeId, idempotencyKey: `merge_in:${mergeId}` });
  }
  // The absorbed member lets go of its phone and platform ids first: each is unique per merchant.
  await trx.updateTable('members').set({ phone: null, wechat_openid: null, alipay_user_id: null, merged_into: to.id, merged_at: r.now }).where('id', '=', from.id).where('merchant_id', '=', r.merchantId).execute();
  await trx
    .updateTable('members')
    .set({ phone: to.phone ?? from.phone, wechat_openid: to.wechat_openid ?? from.wechat_openid, alipay_user_id: to.alipay_user_id ?? from.alipay_user_id, level })
    .where('id', '=', to.id)
    .where('merchant_id', '=', r.merchantId)
    .execute();
  // Members absorbed earlier by the one absorbed now lead straight to the survivor, so a session is one hop from its member.
  await trx.updateTable('members').set({ merged_into: to.id }).where('merchant_id', '=', r.merchantId).where('merged_into', '=', from.id).execute();
  for (const mover of r.movers) await mover.move(trx, { merchantId: r.merchantId, fromMemberId: from.id, toMemberId: to.id, mergeId });
  await audit(trx, {
    merchantId: r.merchantId,
    actorId: r.actorId,
    action: 'member.merged',
    subjectId: to.id,
    detail: { mergeId, from: from.id, to: to.id, pointsMoved: points, levelBefore: to.level, levelAfter: level, movers: r.movers.map((m) => m.name) },
  });
  return { mergeId, survivorId: to.id, pointsMoved: points, created: true };
}
