import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { specLabel } from '../../shared/spec-label.js';
import { sellingPriceColumns } from './store-price.js';

export interface SaleSku {
  id: string;
  productName: string;
  spec: string;
  categoryId: string;
  /** The top-level category categoryId sits under, null for a top-level one: a promotion on the parent covers this SKU. */
  parentCategoryId: string | null;
  retailPriceFen: number;
  memberPriceFen: number;
  costFen: number;
}

/**
 * The SKUs of a sale, from this merchant's catalog only; an unknown or
 * inactive SKU is a 400 naming it. Given the store, the cost is the store's
 * moving-average purchase cost where purchasing has set one, else the
 * catalog cost, and the price is the store's own price where it has one.
 */
export async function skusForSale(db: Kysely<DB> | Transaction<DB>, merchantId: string, skuIds: string[], storeId?: string): Promise<Map<string, SaleSku>> {
  const unique = [...new Set(skuIds)];
  const rows = await db
    .selectFrom('skus')
    .innerJoin('products', 'products.id', 'skus.product_id')
    .innerJoin('categories', (join) => join.onRef('categories.id', '=', 'products.category_id').onRef('categories.merchant_id', '=', 'products.merchant_id'))
    .leftJoin('sku_store_costs as store_cost', (join) => join.onRef('store_cost.sku_id', '=', 'skus.id').on('store_cost.store_id', '=', storeId ?? ''))
    .leftJoin('store_prices as store_price', (join) => join.onRef('store_price.sku_id', '=', 'skus.id').on('store_price.store_id', '=', storeId ?? ''))
    .select(['skus.id', 'skus.spec', ...sellingPriceColumns(), (eb) => eb.fn.coalesce('store_cost.avg_cost_fen', 'skus.cost_fen').as('cost_fen'), 'products.name', 'products.category_id', 'categories.parent_id'])
    .where('skus.merchant_id', '=', merchantId)
    .where('skus.id', 'in', unique)
    .where('skus.active', '=', true)
    .where('products.active', '=', true)
    .execute();
  const found = new Map(rows.map((r) => [r.id, { id: r.id, productName: r.name, spec: specLabel(r.spec), categoryId: r.category_id, parentCategoryId: r.parent_id, retailPriceFen: r.retail_price_fen, memberPriceFen: r.member_price_fen, costFen: r.cost_fen }]));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length > 0) throw new AppError('validation_failed', `商品不存在或已下架：${missing.join('、')}`, missing.map((id) => ({ path: 'lines.skuId', message: `unknown SKU ${id}` })));
  return found;
}
