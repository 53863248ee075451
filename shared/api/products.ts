import { z } from 'zod';
import { fen, idOf, name_length_max } from './common.js';

export const product_skus_max = 100;
/** The most of one SKU a product can be added with as opening stock (期初库存). */
export const opening_qty_max = 99_999;
/** 一亿元: the most opening stock (at cost) one product can bring in; a bigger figure is a typing slip. */
export const opening_stock_value_fen_max = 10_000_000_000;
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
    /** Opening stock of this SKU in the request's openingStoreId, booked at costFen. */
    openingQty: z.number().int('期初库存应是整数').min(0, '期初库存不能为负').max(opening_qty_max, `期初库存最多 ${opening_qty_max}`).optional(),
  })
  .refine((s) => s.memberPriceFen === undefined || s.memberPriceFen <= s.retailPriceFen, { message: '会员价不能高于零售价', path: ['memberPriceFen'] });

const productName = z.string().trim().min(1, '商品名称不能为空').max(name_length_max * 2);
const productUnit = z.string().trim().min(1, '单位不能为空').max(4, '单位最多 4 个字');
const skus = z.array(skuInput).min(1).max(product_skus_max, `一个商品最多 ${product_skus_max} 个规格`);
/** Opening stock needs the store it is in. */
const openingNeedsStore: [(r: { skus: { openingQty?: number | undefined }[]; openingStoreId?: string | undefined }) => boolean, { message: string; path: string[] }] = [
  (r) => r.openingStoreId !== undefined || r.skus.every((s) => !s.openingQty),
  { message: '填写了期初库存，请选择门店', path: ['openingStoreId'] },
];

export const createProductRequest = z
  .strictObject({
    name: productName,
    categoryId: idOf('cat'),
    unit: productUnit,
    skus,
    /** The store the SKUs' openingQty are in. */
    openingStoreId: idOf('sto').optional(),
  })
  .refine(...openingNeedsStore);
export type CreateProductRequest = z.infer<typeof createProductRequest>;

/** Name, category, unit and whether the product is sold; its SKUs keep their meaning. */
export const updateProductRequest = z
  .strictObject({ name: productName.optional(), categoryId: idOf('cat').optional(), unit: productUnit.optional(), active: z.boolean().optional() })
  .refine((u) => Object.keys(u).length > 0, '没有要修改的内容');
export type UpdateProductRequest = z.infer<typeof updateProductRequest>;

/**
 * New SKUs for a product (a new colour): each spec names the same items as
 * the product's SKUs, with a combination it does not have yet.
 */
export const addSkusRequest = z.strictObject({ skus, openingStoreId: idOf('sto').optional() }).refine(...openingNeedsStore);
export type AddSkusRequest = z.infer<typeof addSkusRequest>;

/** A product as the owner edits it: inactive SKUs included, with cost. */
export const productDetail = z.object({
  product: z.object({ id: idOf('prd'), name: z.string(), categoryId: idOf('cat'), unit: z.string(), active: z.boolean() }),
  skus: z.array(
    z.object({ id: idOf('sku'), barcode: z.string(), spec: z.record(z.string(), z.string()), retailPriceFen: fen, memberPriceFen: fen, costFen: fen, active: z.boolean() }),
  ),
});
export type ProductDetail = z.infer<typeof productDetail>;

/** Levels of the category tree: a top-level category (上衣) and its children (T恤); a child has no children. */
export const category_depth_max = 2;
/** Categories under one parent (or at the top), as many as one reorder may name. */
export const categories_per_level_max = 200;
export const category_name_length_max = 20;
const categoryName = z.string().trim().min(1, '分类名称不能为空').max(category_name_length_max, `分类名称最多 ${category_name_length_max} 个字`);

export const createCategoryRequest = z.strictObject({
  name: categoryName,
  sort: z.number().int().min(0).max(9999).optional(),
  /** The top-level category this one goes under; left out for a top-level one. */
  parentId: idOf('cat').optional(),
});

/** Rename, move (parentId null: to the top level) or hide a category; what is left out stays. */
export const updateCategoryRequest = z
  .strictObject({ name: categoryName.optional(), parentId: idOf('cat').nullable().optional(), hidden: z.boolean().optional() })
  .refine((u) => Object.keys(u).length > 0, '没有要修改的内容');
export type UpdateCategoryRequest = z.infer<typeof updateCategoryRequest>;

/** The new order of every category under one parent (null: the top level), first to last. */
export const reorderCategoriesRequest = z.strictObject({
  parentId: idOf('cat').nullable(),
  ids: z
    .array(idOf('cat'))
    .min(1)
    .max(categories_per_level_max, `同一级最多 ${categories_per_level_max} 个分类`)
    .refine((ids) => new Set(ids).size === ids.length, '分类重复'),
});

/** A category as the owner's set-up screen sees it: hidden ones included, with how many products each holds. */
export const adminCategory = z.object({
  id: idOf('cat'),
  name: z.string(),
  sort: z.number().int(),
  parentId: idOf('cat').nullable(),
  hidden: z.boolean(),
  productCount: z.number().int(),
});
export type AdminCategory = z.infer<typeof adminCategory>;
export const adminCategoriesResponse = z.object({ items: z.array(adminCategory) });

export const updateSkuRequest = z
  .strictObject({
    /** A new barcode for the same goods (a relabelled pack); what the SKU is stays. */
    barcode: barcodeInput.optional(),
    retailPriceFen: fen.min(0).optional(),
    memberPriceFen: fen.min(0).optional(),
    costFen: fen.min(0).optional(),
    active: z.boolean().optional(),
  })
  .refine((u) => Object.keys(u).length > 0, '没有要修改的内容');
