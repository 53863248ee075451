import { z } from 'zod';
import { fen, idOf, name_length_max } from './common.js';
import { level_discount_bp_max, level_name_length_max, promotion_discount_bp_max, threshold_scope_ids_max } from '../pricing/limits.js';
import { points_level_multiplier_bp_max, points_level_multiplier_bp_one } from '../points/rules.js';

/** Levels a merchant may define. */
export const member_levels_max = 10;

export const promotion_name_length_max = name_length_max;

const window = {
  storeId: idOf('sto').optional(),
  startsAt: z.iso.datetime({ offset: true }).optional(),
  endsAt: z.iso.datetime({ offset: true }).optional(),
};

/** 满减: spend minSpendFen, save offFen; with repeat, 每满…减…, capped. */
export const thresholdPromotion = z.strictObject({
  kind: z.literal('threshold'),
  name: z.string().trim().min(1).max(promotion_name_length_max),
  minSpendFen: fen.min(1),
  offFen: fen.min(1),
  repeat: z.boolean(),
  capFen: fen.min(1).optional(),
  scope: z.strictObject({ skuIds: z.array(idOf('sku')).max(500).optional(), categoryIds: z.array(idOf('cat')).max(500).optional() }).optional(),
  ...window,
});

/**
 * 限时折扣: offBp off the lines in scope (2000 is 八折), everything when no
 * scope is given; the window and store as for the other promotions.
 */
export const discountPromotion = z.strictObject({
  kind: z.literal('discount'),
  name: z.string().trim().min(1, '请填写活动名称').max(promotion_name_length_max, `活动名称最多 ${promotion_name_length_max} 个字`),
  offBp: z
    .number()
    .int('折扣最多精确到 0.001 折')
    .min(1, '折扣须低于 10 折')
    .max(promotion_discount_bp_max, `折扣最低 ${10 - promotion_discount_bp_max / 1000} 折`),
  scope: z
    .strictObject({
      skuIds: z.array(idOf('sku')).max(threshold_scope_ids_max).optional(),
      categoryIds: z.array(idOf('cat')).max(threshold_scope_ids_max).optional(),
    })
    .refine((s) => (s.skuIds?.length ?? 0) + (s.categoryIds?.length ?? 0) > 0, '请选择适用的分类或商品，或去掉范围')
    .optional(),
  ...window,
});

/** 组合套餐: these SKUs together for priceFen. */
export const bundlePromotion = z.strictObject({
  kind: z.literal('bundle'),
  name: z.string().trim().min(1).max(promotion_name_length_max),
  items: z.array(z.strictObject({ skuId: idOf('sku'), qty: z.number().int().min(1).max(99) })).min(2).max(10),
  priceFen: fen.min(0),
  ...window,
});

export const promotionRequest = z.discriminatedUnion('kind', [thresholdPromotion, bundlePromotion, discountPromotion]);
export type PromotionRequest = z.infer<typeof promotionRequest>;

export const promotionView = z.object({
  id: z.string(),
  kind: z.enum(['threshold', 'bundle', 'discount']),
  name: z.string(),
  storeId: z.string().nullable(),
  active: z.boolean(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  definition: z.record(z.string(), z.unknown()),
});
export const promotionsResponse = z.object({ items: z.array(promotionView) });

/**
 * A member level: its threshold (spend or visits, whichever comes first) and
 * what it gives. Omitted benefits give nothing, so a level saved without them
 * behaves as levels did before they gave anything.
 */
export const memberLevel = z.strictObject({
  name: z.string().trim().min(1, '等级名称不能为空').max(level_name_length_max, `等级名称最多 ${level_name_length_max} 个字`),
  minSpendFen: fen.min(0),
  minVisits: z.number().int().min(0),
  discountBp: z.number().int().min(0).max(level_discount_bp_max, `等级折扣最多 ${level_discount_bp_max / 100}%`).default(0),
  pointsMultiplierBp: z
    .number()
    .int()
    .min(0)
    .max(points_level_multiplier_bp_max, `积分倍率最多 ${points_level_multiplier_bp_max / points_level_multiplier_bp_one} 倍`)
    .default(points_level_multiplier_bp_one),
});

export const sellingSettingsRequest = z.strictObject({
  pointsPerYuan: z.number().int().min(0).max(1000).optional(),
  redeemPointsPerFen: z.number().int().min(1).max(10000).optional(),
  pointsRedeemCapBp: z.number().int().min(0).max(10000).optional(),
  memberLevels: z
    .array(memberLevel)
    .max(member_levels_max, `最多 ${member_levels_max} 个会员等级`)
    // Checkout finds a member's level by its name, so two levels may not share one.
    .superRefine((levels, ctx) => {
      levels.forEach((l, i) => {
        if (levels.findIndex((o) => o.name === l.name) < i) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `等级名称“${l.name}”重复` });
      });
    })
    .optional(),
});

/** What the owner sees and edits: the merchant's points rules and levels as they are now. */
export const sellingSettingsResponse = z.object({
  pointsPerYuan: z.number().int(),
  redeemPointsPerFen: z.number().int(),
  pointsRedeemCapBp: z.number().int(),
  memberLevels: z.array(z.object({ name: z.string(), minSpendFen: z.number().int(), minVisits: z.number().int(), discountBp: z.number().int(), pointsMultiplierBp: z.number().int() })),
});

export const storeSettingsRequest = z.strictObject({
  cashRounding: z.enum(['none', 'jiao', 'yuan']).optional(),
  reservationTtlMinutes: z.number().int().min(1).max(1440).optional(),
});
