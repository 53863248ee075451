import { z } from 'zod';
import { fen, idOf, name_length_max } from './common.js';

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

/** 组合套餐: these SKUs together for priceFen. */
export const bundlePromotion = z.strictObject({
  kind: z.literal('bundle'),
  name: z.string().trim().min(1).max(promotion_name_length_max),
  items: z.array(z.strictObject({ skuId: idOf('sku'), qty: z.number().int().min(1).max(99) })).min(2).max(10),
  priceFen: fen.min(0),
  ...window,
});

export const promotionRequest = z.discriminatedUnion('kind', [thresholdPromotion, bundlePromotion]);
export type PromotionRequest = z.infer<typeof promotionRequest>;

export const promotionView = z.object({
  id: z.string(),
  kind: z.enum(['threshold', 'bundle']),
  name: z.string(),
  storeId: z.string().nullable(),
  active: z.boolean(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  definition: z.record(z.string(), z.unknown()),
});
export const promotionsResponse = z.object({ items: z.array(promotionView) });

export const sellingSettingsRequest = z.strictObject({
  pointsPerYuan: z.number().int().min(0).max(1000).optional(),
  redeemPointsPerFen: z.number().int().min(1).max(10000).optional(),
  pointsRedeemCapBp: z.number().int().min(0).max(10000).optional(),
  memberLevels: z
    .array(z.strictObject({ name: z.string().trim().min(1).max(20), minSpendFen: fen.min(0), minVisits: z.number().int().min(0) }))
    .max(10)
    .optional(),
});

export const storeSettingsRequest = z.strictObject({
  cashRounding: z.enum(['none', 'jiao', 'yuan']).optional(),
  reservationTtlMinutes: z.number().int().min(1).max(1440).optional(),
});
