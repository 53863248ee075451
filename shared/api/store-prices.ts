import { z } from 'zod';
import { fen, idOf } from './common.js';
import { bulk_price_amount_fen_max, bulk_price_bp_max, bulk_price_bp_min } from '../pricing/bulk-price.js';

/** The most SKUs one bulk price change may touch: a whole category of a big shop, within one transaction. */
export const bulk_price_skus_max = 5_000;
/** The most overrides one page of a store's price list shows. */
export const store_prices_page_max = 200;

export const storePriceRequest = z
  .strictObject({
    retailPriceFen: fen.min(0, '零售价不能为负'),
    memberPriceFen: fen.min(0, '会员价不能为负').optional(),
  })
  .refine((b) => b.memberPriceFen === undefined || b.memberPriceFen <= b.retailPriceFen, { message: '会员价不能高于零售价', path: ['memberPriceFen'] });
export type StorePriceRequest = z.infer<typeof storePriceRequest>;

export const storePriceView = z.object({
  storeId: z.string(),
  skuId: z.string(),
  productName: z.string(),
  spec: z.string(),
  barcode: z.string(),
  retailPriceFen: z.number(),
  memberPriceFen: z.number(),
  merchantRetailPriceFen: z.number(),
  merchantMemberPriceFen: z.number(),
  updatedAt: z.string(),
});
export type StorePriceView = z.infer<typeof storePriceView>;

export const storePricesQuery = z.object({ q: z.string().trim().max(40).optional() });
export const storePricesResponse = z.object({ items: z.array(storePriceView) });
export const storePriceDeleted = z.object({ storeId: z.string(), skuId: z.string(), removed: z.boolean() });

export const priceChangeRequest = z
  .strictObject({
    id: idOf('pch'),
    storeId: idOf('sto').optional(),
    categoryId: idOf('cat').optional(),
    skuIds: z.array(idOf('sku')).min(1).max(bulk_price_skus_max).optional(),
    change: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('percent'), bp: z.number().int().min(bulk_price_bp_min, '降幅最多 100%').max(bulk_price_bp_max, '涨幅最多 1000%').refine((n) => n !== 0, '调整幅度不能为 0') }),
      z.strictObject({ kind: z.literal('amount'), fen: fen.min(-bulk_price_amount_fen_max).max(bulk_price_amount_fen_max).refine((n) => n !== 0, '调整金额不能为 0') }),
    ]),
    fields: z.array(z.enum(['retail', 'member'])).min(1, '请选择零售价或会员价').max(2),
  })
  .refine((b) => (b.categoryId === undefined) !== (b.skuIds === undefined), { message: '请选择一个分类或一些商品（只选一种）', path: ['categoryId'] });
export type PriceChangeRequest = z.infer<typeof priceChangeRequest>;

export const priceChangeQuery = z.object({ preview: z.enum(['1', 'true']).optional() });

export const priceChangeRow = z.object({
  skuId: z.string(),
  productName: z.string(),
  spec: z.string(),
  costFen: z.number(),
  before: z.object({ retailPriceFen: z.number(), memberPriceFen: z.number() }),
  after: z.object({ retailPriceFen: z.number(), memberPriceFen: z.number() }),
  warnings: z.array(z.enum(['below_cost', 'clamped_at_zero', 'member_lowered_to_retail'])),
});
export const priceChangeResponse = z.object({
  id: z.string(),
  applied: z.boolean(),
  storeId: z.string().nullable(),
  rounding: z.string(),
  rows: z.array(priceChangeRow),
});
export type PriceChangeResponse = z.infer<typeof priceChangeResponse>;
