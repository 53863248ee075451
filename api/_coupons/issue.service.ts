import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { newId } from '../../shared/ids.js';

export type CouponSource = 'claim' | 'counter' | 'sign_up' | 'level_up' | 'referral' | 'points_mall';

export interface IssueCouponInput {
  merchantId: string;
  memberId: string;
  templateId: string;
  source: CouponSource;
  idempotencyKey: string;
  now: Date;
  /** The member of staff who issued it at the counter, for the record. */
  issuedBy?: string;
}

const day_ms = 86_400_000;

/**
 * Issues one coupon of a template to a member, in the caller's transaction.
 * The template's row is locked first, so every issue of one template is
 * serialised: the total and per-member limits are read and raised under that
 * lock (and the total is backed by a check constraint), and the idempotency
 * key is looked at again once the lock is held, so a repeat that raced the
 * first sees it. The same key again answers with the first coupon; the same
 * key for another member or template is a 409. A refusal (stopped, sold out,
 * over the member's limit, expired) is returned with its reason and writes
 * nothing.
 */
export async function issueCoupon(trx: Transaction<DB>, input: IssueCouponInput): Promise<{ couponId: string } | { refused: string }> {
  const { merchantId, memberId, templateId, idempotencyKey, now } = input;
  const replay = async () => {
    const found = await trx.selectFrom('coupons').select(['id', 'member_id', 'template_id']).where('merchant_id', '=', merchantId).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
    if (!found) return null;
    if (found.member_id !== memberId || found.template_id !== templateId) throw new AppError('idempotency_mismatch', `防重复键 ${idempotencyKey} 已用于另一张优惠券`);
    return { couponId: found.id };
  };
  const before = await replay();
  if (before) return before;

  const t = await trx.selectFrom('coupon_templates').selectAll().where('id', '=', templateId).where('merchant_id', '=', merchantId).forUpdate().executeTakeFirst();
  if (!t) return { refused: '找不到这种优惠券' };
  const after = await replay();
  if (after) return after;
  if (t.status !== 'active') return { refused: `优惠券「${t.name}」已停止发放` };
  if (t.valid_until !== null && new Date(t.valid_until).getTime() <= now.getTime()) return { refused: `优惠券「${t.name}」已过有效期` };
  if (t.total_max !== null && t.issued_count >= t.total_max) return { refused: `优惠券「${t.name}」已发完（共 ${t.total_max} 张）` };
  const member = await trx.selectFrom('members').select('id').where('id', '=', memberId).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!member) return { refused: '找不到这位会员' };
  const held = await trx.selectFrom('coupon_member_counts').select('issued').where('template_id', '=', templateId).where('member_id', '=', memberId).executeTakeFirst();
  if ((held?.issued ?? 0) >= t.per_member_max) return { refused: `优惠券「${t.name}」每人限领 ${t.per_member_max} 张，已领完` };

  const validFrom = t.valid_from === null ? now : new Date(t.valid_from);
  const validUntil = t.valid_until === null ? new Date(now.getTime() + (t.valid_days ?? 1) * day_ms) : new Date(t.valid_until);
  const couponId = newId('coupon', now.getTime());
  const inserted = await trx
    .insertInto('coupons')
    .values({ id: couponId, merchant_id: merchantId, template_id: templateId, member_id: memberId, source: input.source, idempotency_key: idempotencyKey, valid_from: validFrom, valid_until: validUntil, issued_by: input.issuedBy ?? null })
    .onConflict((oc) => oc.constraint('coupons_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  // The key was taken meanwhile by an issue of another template (one of this template would have waited for the lock).
  if (!inserted) throw new AppError('idempotency_mismatch', `防重复键 ${idempotencyKey} 已用于另一张优惠券`);
  await trx.updateTable('coupon_templates').set((eb) => ({ issued_count: eb('issued_count', '+', 1) })).where('id', '=', templateId).execute();
  await trx
    .insertInto('coupon_member_counts')
    .values({ template_id: templateId, member_id: memberId, merchant_id: merchantId, issued: 1 })
    .onConflict((oc) => oc.columns(['template_id', 'member_id']).doUpdateSet((eb) => ({ issued: eb('coupon_member_counts.issued', '+', 1) })))
    .execute();
  return { couponId };
}

async function autoTemplates(trx: Transaction<DB>, merchantId: string, on: 'sign_up' | 'level_up', level?: string) {
  return trx
    .selectFrom('coupon_templates')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('status', '=', 'active')
    .where('auto_issue', '=', on)
    .$if(level !== undefined, (q) => q.where('auto_level', '=', level!))
    .orderBy('id')
    .execute();
}

/**
 * 新人券: every active template set to be issued on sign-up, to a member just
 * made (the members module calls this where it creates a member on a first
 * visit). Keyed by member and template, so calling it twice issues nothing
 * more; a template over its limits is skipped, as a shopper who came late.
 */
export async function issueSignUpCoupons(trx: Transaction<DB>, input: { merchantId: string; memberId: string; now: Date }): Promise<{ couponIds: string[] }> {
  const couponIds: string[] = [];
  for (const t of await autoTemplates(trx, input.merchantId, 'sign_up')) {
    const r = await issueCoupon(trx, { ...input, templateId: t.id, source: 'sign_up', idempotencyKey: `sign_up:${input.memberId}:${t.id}` });
    if ('couponId' in r) couponIds.push(r.couponId);
  }
  return { couponIds };
}

/**
 * 升级礼券: every active template set to be issued on reaching this level, to
 * a member who has just reached it (the caller is where the level changes:
 * upgradeLevel's new level). Keyed by member, level and template: reaching
 * the same level again issues nothing more.
 */
export async function issueLevelUpCoupons(trx: Transaction<DB>, input: { merchantId: string; memberId: string; level: string; now: Date }): Promise<{ couponIds: string[] }> {
  const couponIds: string[] = [];
  for (const t of await autoTemplates(trx, input.merchantId, 'level_up', input.level)) {
    const r = await issueCoupon(trx, { merchantId: input.merchantId, memberId: input.memberId, now: input.now, templateId: t.id, source: 'level_up', idempotencyKey: `level_up:${input.memberId}:${input.level}:${t.id}` });
    if ('couponId' in r) couponIds.push(r.couponId);
  }
  return { couponIds };
}

/**
 * 领券: a shopper claims a template the shop offers for claiming (the others
 * are given at the counter or by events, and are "not found" here). The
 * client's key is scoped to the member, so a double tap claims one coupon.
 */
export async function claimCoupon(db: Kysely<DB>, input: { merchantId: string; memberId: string; templateId: string; idempotencyKey: string; now: Date }): Promise<{ couponId: string } | { refused: string }> {
  return db.transaction().execute(async (trx) => {
    const offered = await trx.selectFrom('coupon_templates').select('id').where('id', '=', input.templateId).where('merchant_id', '=', input.merchantId).where('claimable', '=', true).executeTakeFirst();
    if (!offered) return { refused: '找不到这种优惠券' };
    return issueCoupon(trx, { merchantId: input.merchantId, memberId: input.memberId, templateId: input.templateId, source: 'claim', idempotencyKey: `claim:${input.memberId}:${input.idempotencyKey}`, now: input.now });
  });
}

/** 柜台发券: a member of staff gives a member a coupon of any active template; its limits still hold. */
export async function issueAtCounter(db: Kysely<DB>, input: { merchantId: string; memberId: string; templateId: string; idempotencyKey: string; now: Date; staffId: string }): Promise<{ couponId: string } | { refused: string }> {
  return db.transaction().execute((trx) =>
    issueCoupon(trx, { merchantId: input.merchantId, memberId: input.memberId, templateId: input.templateId, source: 'counter', idempotencyKey: `counter:${input.idempotencyKey}`, now: input.now, issuedBy: input.staffId }),
  );
}
