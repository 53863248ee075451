import { sql, type Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { CouponView } from '../../shared/api/coupons.js';
import { couponRuleOf, templateSummary } from './rules.js';
import { freeItemNames } from './templates.service.js';
import { member_coupons_list_max } from './limits.js';

function beijingDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * A member's coupons, newest first, each with its state now and its rule in
 * the engine's shape. With a store, only those usable now in that store (the
 * counter's and the shop's chooser); without, all of them (我的优惠券).
 */
export async function memberCoupons(db: Kysely<DB>, input: { merchantId: string; memberId: string; now: Date; usableInStoreId?: string }): Promise<{ items: CouponView[] }> {
  const rows = await db
    .selectFrom('coupons')
    .innerJoin('coupon_templates as t', 't.id', 'coupons.template_id')
    .select(['coupons.id', 'coupons.template_id', 'coupons.status', 'coupons.valid_from', 'coupons.valid_until', 'coupons.used_order_id', 't.name', 't.kind', 't.min_spend_fen', 't.off_fen', 't.off_bp', 't.cap_fen', 't.free_sku_id', 't.category_ids', 't.sku_ids', 't.store_ids'])
    .where('coupons.merchant_id', '=', input.merchantId)
    .where('coupons.member_id', '=', input.memberId)
    .$if(input.usableInStoreId !== undefined, (q) =>
      q
        .where('coupons.status', '=', 'available')
        .where('coupons.valid_from', '<=', input.now)
        .where('coupons.valid_until', '>', input.now)
        .where(sql<boolean>`(jsonb_array_length(t.store_ids) = 0 or t.store_ids ? ${input.usableInStoreId!})`),
    )
    .orderBy('coupons.id', 'desc')
    .limit(member_coupons_list_max)
    .execute();
  const names = await freeItemNames(db, input.merchantId, rows.map((r) => r.free_sku_id));
  const now = input.now.getTime();
  return {
    items: rows.map((r) => {
      const until = new Date(r.valid_until);
      const from = new Date(r.valid_from);
      const state = r.status === 'used' ? 'used' : until.getTime() <= now ? 'expired' : from.getTime() > now ? 'not_yet' : 'available';
      return {
        id: r.id,
        templateId: r.template_id,
        name: r.name,
        summary: templateSummary(r, r.free_sku_id ? names.get(r.free_sku_id) : undefined),
        state,
        validFrom: from.toISOString(),
        validUntil: until.toISOString(),
        storeIds: r.store_ids,
        usedOrderId: r.used_order_id,
        rule: couponRuleOf(r.id, r),
      };
    }),
  };
}

/** What the shop's 领券中心 offers a member: active claimable templates still in date, with how many they hold and whether any are left. */
export async function claimableTemplates(db: Kysely<DB>, input: { merchantId: string; memberId: string; now: Date }) {
  const rows = await db
    .selectFrom('coupon_templates as t')
    .leftJoin('coupon_member_counts as m', (j) => j.onRef('m.template_id', '=', 't.id').on('m.member_id', '=', input.memberId))
    .selectAll('t')
    .select(sql<number>`coalesce(m.issued, 0)::int`.as('claimed'))
    .where('t.merchant_id', '=', input.merchantId)
    .where('t.status', '=', 'active')
    .where('t.claimable', '=', true)
    .where((eb) => eb.or([eb('t.valid_until', 'is', null), eb('t.valid_until', '>', input.now)]))
    .orderBy('t.created_at', 'desc')
    .limit(member_coupons_list_max)
    .execute();
  const names = await freeItemNames(db, input.merchantId, rows.map((r) => r.free_sku_id));
  return {
    items: rows.map((t) => ({
      templateId: t.id,
      name: t.name,
      summary: templateSummary(t, t.free_sku_id ? names.get(t.free_sku_id) : undefined),
      validity: t.valid_days !== null ? `领取后 ${t.valid_days} 天内有效` : `${beijingDate(new Date(t.valid_from!))} 至 ${beijingDate(new Date(t.valid_until!))}`,
      claimed: t.claimed,
      perMemberMax: t.per_member_max,
      soldOut: t.total_max !== null && t.issued_count >= t.total_max,
    })),
  };
}
