import { z } from 'zod';
import { fen, idOf, name_length_max } from './common.js';

export const product_skus_max = 100;
export const spec_axes_max = 3;

/**
 * A barcode as printed on the goods (EAN-13, EAN-8, UPC-A, checked by their
 * check digit), or left out for a store-printed code, which the server makes
 * in the EAN-13 in-store range (prefix 2).
 */
export const barcodeInput = z.string().regex(/^\d{8}$|^\d{12,13}$/, '条码应为 8、12 或 13 位数字');

export const skuInput = z
  .strictObject({
    barcode: barcodeInput.optional(),
    spec: z.record(z.string().trim().min(1).max(10), z.string().trim().min(1).max(20)).refine((r) => Object.keys(r).length <= spec_axes_max, '规格最多 3 项').optional(),
    retailPriceFen: fen.min(0),
    memberPriceFen: fen.min(0).optional(),
    costFen: fen.min(0),
  })
  .refine((s) => s.memberPriceFen === undefined || s.memberPriceFen <= s.retailPriceFen, { message: '会员价不能高于零售价', path: ['memberPriceFen'] });

export const createProductRequest = z.strictObject({
  name: z.string().trim().min(1).max(name_length_max * 2),
  categoryId: idOf('cat'),
  unit: z.string().trim().min(1).max(4),
  skus: z.array(skuInput).min(1).max(product_skus_max),
});
export type CreateProductRequest = z.infer<typeof createProductRequest>;

export const createCategoryRequest = z.strictObject({ name: z.string().trim().min(1).max(20), sort: z.number().int().min(0).max(9999).optional() });

export const updateSkuRequest = z
  .strictObject({
    retailPriceFen: fen.min(0).optional(),
    memberPriceFen: fen.min(0).optional(),
    costFen: fen.min(0).optional(),
    active: z.boolean().optional(),
  })
  .refine((u) => Object.keys(u).length > 0, '没有要修改的内容');
