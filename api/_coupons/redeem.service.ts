import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { newId } from '../../shared/ids.js';
import type { CouponRule, PricingResult } from '../../shared/pricing/types.js';
import { couponRuleOf } from './rules.js';
import { checkCouponRule } from '../../shared/pricing/coupon-check.js';
import { isPricingError } from '../../shared/pricing/errors.js';

export interface CouponsForOrder {
  rules: CouponRule[];
  /** Coupon id → its template's name, for the order's adjustment labels. */
  names: Map<string, string>;
}

function dateOf(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The engine's rules for the coupons an order asks to use, checked for
 * everything the engine cannot see: each coupon is the merchant's (another
 * merchant's is not found), the member's, not used, within its dates, and for
 * this store. The engine then checks scope and threshold on the cart. Read
 * before the sale's transaction; the use itself is a compare-and-set inside it.
 */
export async function couponsForOrder(db: Kysely<DB>, input: { merchantId: string; memberId: string | undefined; storeId: string; couponIds: readonly string[]; at: Date }): Promise<CouponsForOrder> {
  if (input.couponIds.length === 0) return { rules: [], names: new Map() };
  if (input.memberId === undefined) throw new AppError('validation_failed', '使用优惠券须先选会员', [{ path: 'couponIds', message: 'member required' }]);
  const rows = await db
    .selectFrom('coupons')
    .innerJoin('coupon_templates as t', 't.id', 'coupons.template_id')
    .select(['coupons.id', 'coupons.member_id', 'coupons.status', 'coupons.valid_from', 'coupons.valid_until', 't.name', 't.kind', 't.min_spend_fen', 't.off_fen', 't.off_bp', 't.cap_fen', 't.free_sku_id', 't.category_ids', 't.sku_ids', 't.store_ids'])
    .where('coupons.merchant_id', '=', input.merchantId)
    .where('coupons.id', 'in', [...input.couponIds])
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const rules: CouponRule[] = [];
  const names = new Map<string, string>();
  input.couponIds.forEach((id, i) => {
    const path = `couponIds.${i}`;
    const c = byId.get(id);
    if (!c) throw new AppError('not_found', `找不到优惠券 ${id}`, [{ path, message: 'not found' }]);
    if (c.member_id !== input.memberId) throw new AppError('validation_failed', `优惠券「${c.name}」不属于这位会员`, [{ path, message: 'other member' }]);
    if (c.status === 'used') throw new AppError('conflict', `优惠券「${c.name}」已经用过了`, [{ path, message: 'used' }]);
    if (new Date(c.valid_until).getTime() <= input.at.getTime()) throw new AppError('validation_failed', `优惠券「${c.name}」已过期（有效期至 ${dateOf(new Date(c.valid_until))}）`, [{ path, message: 'expired' }]);
    if (new Date(c.valid_from).getTime() > input.at.getTime()) throw new AppError('validation_failed', `优惠券「${c.name}」${dateOf(new Date(c.valid_from))} 起才能使用`, [{ path, message: 'not yet valid' }]);
    if (c.store_ids.length > 0 && !c.store_ids.includes(input.storeId)) throw new AppError('validation_failed', `优惠券「${c.name}」不适用于本门店`, [{ path, message: 'other store' }]);
    const rule = couponRuleOf(c.id, c);
    // The template's row passed its check constraints; this is the engine's own shape check, which the engine leaves to the server.
    try {
      checkCouponRule(rule, path);
    } catch (e) {
      if (isPricingError(e)) throw new AppError('validation_failed', e.message, [{ path, message: e.code }]);
      throw e;
    }
    rules.push(rule);
    names.set(c.id, c.name);
  });
  return { rules, names };
}

/**
 * Uses an order's coupons, in the sale's transaction: each by compare-and-set
 * from available to used with the order's id, so of two orders racing for
 * one coupon exactly one commits, and the other is refused and rolls back
 * whole. The order's own key makes a repeat of the sale a replay that never
 * gets here. Each use is an event with what the coupon took off.
 */
export async function useCoupons(trx: Transaction<DB>, input: { merchantId: string; memberId: string; orderId: string; couponIds: readonly string[]; result: PricingResult; at: Date }): Promise<void> {
  for (const couponId of input.couponIds) {
    const used = await trx
      .updateTable('coupons')
      .set({ status: 'used', used_order_id: input.orderId, used_at: input.at })
      .where('id', '=', couponId)
      .where('merchant_id', '=', input.merchantId)
      .where('member_id', '=', input.memberId)
      .where('status', '=', 'available')
      .where('valid_until', '>', input.at)
      .returning('id')
      .executeTakeFirst();
    if (!used) throw new AppError('conflict', `优惠券 ${couponId} 刚刚已被使用或已失效，请重新选择`, [{ path: 'couponIds', message: 'taken' }]);
    const discountFen = input.result.adjustments.filter((a) => a.source.kind === 'coupon' && a.source.ruleId === couponId).reduce((s, a) => s + a.fen, 0);
    await trx.insertInto('coupon_events').values({ id: newId('couponEvent', input.at.getTime()), merchant_id: input.merchantId, coupon_id: couponId, kind: 'used', order_id: input.orderId, discount_fen: discountFen }).execute();
  }
}

/**
 * An unpaid order that is cancelled (or expires) gives its coupons back as
 * they were, in the cancelling transaction: by compare-and-set on the order
 * they are held by, and an event whose unique index allows one way back per
 * coupon and order.
 */
export async function releaseCouponsOfOrder(trx: Transaction<DB>, input: { orderId: string; at: Date }): Promise<number> {
  const released = await trx
    .updateTable('coupons')
    .set({ status: 'available', used_order_id: null, used_at: null })
    .where('used_order_id', '=', input.orderId)
    .where('status', '=', 'used')
    .returning(['id', 'merchant_id'])
    .execute();
  for (const c of released) {
    await trx.insertInto('coupon_events').values({ id: newId('couponEvent', input.at.getTime()), merchant_id: c.merchant_id, coupon_id: c.id, kind: 'released', order_id: input.orderId }).execute();
  }
  return released.length;
}
