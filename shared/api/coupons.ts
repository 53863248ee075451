import { z } from 'zod';
import { fen, idOf } from './common.js';
import { fen_amount_max } from '../money.js';

/**
 * The coupons API (优惠券, #17). Limits are named so the owner's form and the
 * server refuse the same things.
 */
export const coupon_name_length_max = 20;
/** A template may let one member hold at most this many of it. */
export const coupon_per_member_max = 100;
/** A template may issue at most this many coupons in all. */
export const coupon_total_max = 10_000_000;
/** Validity counted from receipt: at most ten years. */
export const coupon_valid_days_max = 3650;
/** Stores, categories and SKUs in one template's scope, each list. */
export const coupon_scope_ids_max = 500;
export { coupons_per_order_max } from '../pricing/limits.js';
export const coupon_idempotency_key_length_max = 80;

const ids = (prefix: string) => z.array(idOf(prefix)).max(coupon_scope_ids_max);
const idempotencyKey = z.string().trim().min(8).max(coupon_idempotency_key_length_max);

export const couponKind = z.enum(['amount_off', 'percent_off', 'free_item']);
export const couponReturnPolicy = z.enum(['never', 'full_return', 'below_threshold']);
export const couponReturnPolicyLabels: Record<z.infer<typeof couponReturnPolicy>, string> = {
  never: '退货不退券',
  full_return: '整单退货时退回',
  below_threshold: '退货后不满门槛时退回',
};

export const couponTemplateRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(coupon_name_length_max),
    kind: couponKind,
    minSpendFen: fen.min(0).max(fen_amount_max),
    offFen: fen.min(1).max(fen_amount_max).optional(),
    /** percent_off: basis points off (1500 is 15% off, 八五折). */
    offBp: z.number().int().min(1).max(9999).optional(),
    capFen: fen.min(1).max(fen_amount_max).optional(),
    freeSkuId: idOf('sku').optional(),
    validity: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('fixed'), from: z.iso.datetime(), until: z.iso.datetime() }),
      z.strictObject({ kind: z.literal('days'), days: z.number().int().min(1).max(coupon_valid_days_max) }),
    ]),
    storeIds: ids('sto').default([]),
    categoryIds: ids('cat').default([]),
    skuIds: ids('sku').default([]),
    perMemberMax: z.number().int().min(1).max(coupon_per_member_max),
    totalMax: z.number().int().min(1).max(coupon_total_max).optional(),
    claimable: z.boolean().default(false),
    autoIssue: z.enum(['none', 'sign_up', 'level_up']).default('none'),
    autoLevel: z.string().trim().min(1).max(20).optional(),
    returnPolicy: couponReturnPolicy,
  })
  .refine((t) => (t.kind === 'amount_off') === (t.offFen !== undefined), { message: '满减券须填写减免金额（且只有满减券填写）', path: ['offFen'] })
  .refine((t) => (t.kind === 'percent_off') === (t.offBp !== undefined), { message: '折扣券须填写折扣（且只有折扣券填写）', path: ['offBp'] })
  .refine((t) => t.kind === 'percent_off' || t.capFen === undefined, { message: '只有折扣券可以设置封顶金额', path: ['capFen'] })
  .refine((t) => (t.kind === 'free_item') === (t.freeSkuId !== undefined), { message: '赠品券须选择赠送的商品（且只有赠品券选择）', path: ['freeSkuId'] })
  .refine((t) => t.kind !== 'amount_off' || t.offFen === undefined || t.minSpendFen === 0 || t.offFen <= t.minSpendFen, { message: '减免金额不能超过门槛', path: ['offFen'] })
  .refine((t) => t.validity.kind !== 'fixed' || Date.parse(t.validity.from) < Date.parse(t.validity.until), { message: '有效期的结束须晚于开始', path: ['validity', 'until'] })
  .refine((t) => (t.autoIssue === 'level_up') === (t.autoLevel !== undefined), { message: '升级发券须选择等级（且只有升级发券选择）', path: ['autoLevel'] })
  .refine((t) => t.totalMax === undefined || t.perMemberMax <= t.totalMax, { message: '每人限领不能超过发放总量', path: ['perMemberMax'] });
export type CouponTemplateRequest = z.input<typeof couponTemplateRequest>;

export const couponTemplateView = z.object({
  id: z.string(),
  name: z.string(),
  kind: couponKind,
  minSpendFen: fen,
  offFen: fen.nullable(),
  offBp: z.number().int().nullable(),
  capFen: fen.nullable(),
  freeSkuId: z.string().nullable(),
  /** What the coupon gives, in words: 满100减10, 八五折 最多减20元, 赠 可乐 1件. */
  summary: z.string(),
  validFrom: z.string().nullable(),
  validUntil: z.string().nullable(),
  validDays: z.number().int().nullable(),
  storeIds: z.array(z.string()),
  categoryIds: z.array(z.string()),
  skuIds: z.array(z.string()),
  perMemberMax: z.number().int(),
  totalMax: z.number().int().nullable(),
  claimable: z.boolean(),
  autoIssue: z.enum(['none', 'sign_up', 'level_up']),
  autoLevel: z.string().nullable(),
  returnPolicy: couponReturnPolicy,
  status: z.enum(['active', 'stopped']),
  createdAt: z.string(),
});
export type CouponTemplateView = z.infer<typeof couponTemplateView>;

export const couponTemplatesResponse = z.object({
  items: z.array(couponTemplateView.extend({ issued: z.number().int(), used: z.number().int(), expired: z.number().int() })),
});
export const couponTemplateResponse = z.object({ template: couponTemplateView });

/** The engine's own shape of a coupon (shared/pricing CouponRule), so a client previews exactly as the server prices. */
export const couponRuleView = z.union([
  z.object({ id: z.string(), name: z.string().optional(), minSpendFen: fen, scope: z.object({ skuIds: z.array(z.string()).optional(), categoryIds: z.array(z.string()).optional() }).optional(), kind: z.literal('amount_off'), offFen: fen }),
  z.object({ id: z.string(), name: z.string().optional(), minSpendFen: fen, scope: z.object({ skuIds: z.array(z.string()).optional(), categoryIds: z.array(z.string()).optional() }).optional(), kind: z.literal('percent_off'), bp: z.number().int(), capFen: fen.optional() }),
  z.object({ id: z.string(), name: z.string().optional(), minSpendFen: fen, scope: z.object({ skuIds: z.array(z.string()).optional(), categoryIds: z.array(z.string()).optional() }).optional(), kind: z.literal('free_item'), skuId: z.string() }),
]);

export const couponView = z.object({
  id: z.string(),
  templateId: z.string(),
  name: z.string(),
  summary: z.string(),
  /** available: can be used now; used; expired; not_yet: valid from a later date. */
  state: z.enum(['available', 'used', 'expired', 'not_yet']),
  validFrom: z.string(),
  validUntil: z.string(),
  storeIds: z.array(z.string()),
  usedOrderId: z.string().nullable(),
  rule: couponRuleView,
});
export type CouponView = z.infer<typeof couponView>;
export const couponsResponse = z.object({ items: z.array(couponView) });

export const claimableResponse = z.object({
  items: z.array(z.object({ templateId: z.string(), name: z.string(), summary: z.string(), validity: z.string(), claimed: z.number().int(), perMemberMax: z.number().int(), soldOut: z.boolean() })),
});

export const claimCouponRequest = z.strictObject({ templateId: idOf('cpt'), idempotencyKey });
export const issueCouponRequest = z.strictObject({ templateId: idOf('cpt'), memberId: idOf('mbr'), idempotencyKey });
export const issueCouponResponse = z.object({ couponId: z.string() });

export const storeCouponsQuery = z.strictObject({ memberId: idOf('mbr') });
