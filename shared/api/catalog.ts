import { z } from 'zod';
import { fen, idOf, pageQuery, search_query_length_max } from './common.js';

/** A category the shop shows; a child names its top-level parent, and the list puts it right after that parent. */
export const category = z.object({ id: idOf('cat'), name: z.string(), sort: z.number().int(), parentId: idOf('cat').nullable() });
export type Category = z.infer<typeof category>;
export const categoriesResponse = z.object({ items: z.array(category) });

export const skuSummary = z.object({
  id: idOf('sku'),
  barcode: z.string(),
  /** Variant attributes such as {颜色: 红, 尺码: M}; empty for a single-SKU product. */
  spec: z.record(z.string(), z.string()),
  retailPriceFen: fen,
  memberPriceFen: fen,
  /** On hand minus reserved in the store asked about. */
  available: z.number().int(),
});
export type SkuSummary = z.infer<typeof skuSummary>;

/** A product photo as the shop shows it; the URL is public and never changes meaning. */
export const productPhoto = z.object({ id: idOf('pho'), url: z.string(), width: z.number().int(), height: z.number().int() });
export type ProductPhoto = z.infer<typeof productPhoto>;

export const productSummary = z.object({
  id: idOf('prd'),
  name: z.string(),
  categoryId: idOf('cat'),
  /** The top-level category categoryId sits under, left out for a top-level one: the counter and the shop price a promotion on the parent over this product too. */
  parentCategoryId: idOf('cat').optional(),
  unit: z.string(),
  /** Lowest retail price over the product's SKUs, for list display. */
  priceFen: fen,
  skus: z.array(skuSummary),
  /** The first photo, for lists; null when the product has none. */
  photoUrl: z.string().nullable(),
  /** Every photo in order: given by the product's own page, left out of lists. */
  photos: z.array(productPhoto).optional(),
});
export type ProductSummary = z.infer<typeof productSummary>;

export const productsQuery = pageQuery.extend({
  q: z.string().trim().max(search_query_length_max).optional(),
  categoryId: idOf('cat').optional(),
});
export type ProductsQuery = z.infer<typeof productsQuery>;

export const productPage = z.object({
  items: z.array(productSummary),
  nextCursor: z.string().nullable(),
});
export type ProductPage = z.infer<typeof productPage>;

export const barcodeLookupResponse = z.object({ product: productSummary, sku: skuSummary });
