import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import type { ProductPage, ProductPhoto, ProductSummary, SkuSummary } from '../../shared/api/catalog.js';
import { page_size_default } from '../../shared/api/common.js';
import { treeOrder } from './categories.admin.js';
import { sellingPriceColumns, sellingPriceColumnsSql, storePriceJoinSql } from './store-price.js';

export interface ProductFilter {
  merchantId: string;
  storeId: string;
  q?: string | undefined;
  categoryId?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
  /** The shop's public catalog: products of hidden categories (or of children of hidden ones) are left out. */
  shopOnly?: boolean | undefined;
  /** The owner's list of stopped products (停售), to start them again: those and every SKU they have. */
  stopped?: boolean | undefined;
}

/** The ids of the merchant's categories the shop does not show: hidden ones and the children of hidden ones. */
function hiddenCategoryIds(db: Kysely<DB>, merchantId: string) {
  return db
    .selectFrom('categories as c')
    .leftJoin('categories as parent', 'parent.id', 'c.parent_id')
    .select('c.id')
    .where('c.merchant_id', '=', merchantId)
    .where((eb) => eb.or([eb('c.hidden', '=', true), eb('parent.hidden', '=', true)]));
}

/** The parent of a product's category, which a promotion on the parent covers (shared/pricing/scope.ts). */
const parentCategoryIdColumn = (eb: ExpressionBuilder<DB, 'products'>) =>
  eb.selectFrom('categories').select('categories.parent_id').whereRef('categories.id', '=', 'products.category_id').whereRef('categories.merchant_id', '=', 'products.merchant_id').as('parent_category_id');

/** Escapes LIKE wildcards so a search for "50%" finds the text "50%". */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * Lists active products (or, for the owner, stopped ones) with their SKUs and the store's available stock.
 * Keyset pagination on the product id keeps deep pages as cheap as the first.
 * A search matches the name, the pinyin initials or a barcode exactly.
 */
export async function listProducts(db: Kysely<DB>, f: ProductFilter): Promise<ProductPage> {
  const limit = f.limit ?? page_size_default;
  let query = db
    .selectFrom('products')
    .select(['id', 'name', 'category_id', 'unit', parentCategoryIdColumn])
    .where('merchant_id', '=', f.merchantId)
    .where('active', '=', !f.stopped);
  // A top-level category holds its children's products too.
  if (f.categoryId) {
    const chosen = f.categoryId;
    query = query.where('category_id', 'in', db.selectFrom('categories').select('id').where('merchant_id', '=', f.merchantId).where((eb) => eb.or([eb('id', '=', chosen), eb('parent_id', '=', chosen)])));
  }
  if (f.shopOnly) query = query.where('category_id', 'not in', hiddenCategoryIds(db, f.merchantId));
  if (f.cursor) query = query.where('id', '>', f.cursor);
  if (f.q) {
    const q = f.q;
    const pattern = likePattern(q);
    query = query.where((eb) =>
      eb.or([
        eb('name', 'ilike', pattern),
        eb('pinyin', 'ilike', likePattern(q.toLowerCase())),
        eb.exists(
          eb
            .selectFrom('skus')
            .select(sql`1`.as('one'))
            .whereRef('skus.product_id', '=', 'products.id')
            .where('skus.barcode', '=', q),
        ),
      ]),
    );
  }
  const rows = await query.orderBy('id').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const ids = page.map((p) => p.id);
  const [skus, photos] = await Promise.all([skusWithStock(db, f.merchantId, f.storeId, ids, f.stopped === true), photosOf(db, f.merchantId, ids)]);
  const items = page.map((p) => toProduct(p, skus.get(p.id) ?? [], photos.get(p.id)?.[0]?.url ?? null));
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > limit && last ? last.id : null };
}

/** The active SKUs of the products, or all of them when `withStopped` (a stopped product's SKUs may have been stopped one by one too). */
async function skusWithStock(db: Kysely<DB>, merchantId: string, storeId: string, productIds: string[], withStopped = false) {
  const bySku = new Map<string, SkuSummary[]>();
  if (productIds.length === 0) return bySku;
  let query = db
    .selectFrom('skus')
    .leftJoin('stock_levels', (join) => join.onRef('stock_levels.sku_id', '=', 'skus.id').on('stock_levels.store_id', '=', storeId))
    .leftJoin('store_prices as store_price', (join) => join.onRef('store_price.sku_id', '=', 'skus.id').on('store_price.store_id', '=', storeId))
    .select([
      'skus.id',
      'skus.product_id',
      'skus.barcode',
      'skus.spec',
      ...sellingPriceColumns(),
      sql<number>`coalesce(stock_levels.on_hand - stock_levels.reserved, 0)`.as('available'),
    ])
    .where('skus.merchant_id', '=', merchantId)
    .where('skus.product_id', 'in', productIds);
  if (!withStopped) query = query.where('skus.active', '=', true);
  const rows = await query.orderBy('skus.id').execute();
  for (const r of rows) {
    const list = bySku.get(r.product_id) ?? [];
    list.push({
      id: r.id,
      barcode: r.barcode,
      spec: r.spec,
      retailPriceFen: r.retail_price_fen,
      memberPriceFen: r.member_price_fen,
      available: Number(r.available),
    });
    bySku.set(r.product_id, list);
  }
  return bySku;
}

/**
 * The photos of a page of products in one query, in their order; at most
 * product_photos_max each, so a page of 20 reads at most 120 short rows.
 */
export async function photosOf(db: Kysely<DB>, merchantId: string, productIds: string[]): Promise<Map<string, ProductPhoto[]>> {
  const byProduct = new Map<string, ProductPhoto[]>();
  if (productIds.length === 0) return byProduct;
  const rows = await db
    .selectFrom('product_photos')
    .select(['id', 'product_id', 'url', 'width', 'height'])
    .where('merchant_id', '=', merchantId)
    .where('product_id', 'in', productIds)
    .orderBy('product_id')
    .orderBy('sort')
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const list = byProduct.get(r.product_id) ?? [];
    list.push({ id: r.id, url: r.url, width: r.width, height: r.height });
    byProduct.set(r.product_id, list);
  }
  return byProduct;
}

function toProduct(p: { id: string; name: string; category_id: string; parent_category_id: string | null; unit: string }, skus: SkuSummary[], photoUrl: string | null): ProductSummary {
  const priceFen = skus.length ? Math.min(...skus.map((s) => s.retailPriceFen)) : 0;
  return { id: p.id, name: p.name, categoryId: p.category_id, ...(p.parent_category_id ? { parentCategoryId: p.parent_category_id } : {}), unit: p.unit, priceFen, skus, photoUrl };
}

/**
 * The categories the shop shows, in tree order: each top-level category,
 * then its children. Hidden ones and the children of hidden ones are left out.
 */
export async function listCategories(db: Kysely<DB>, merchantId: string) {
  const rows = await db
    .selectFrom('categories')
    .select(['id', 'name', 'sort', 'parent_id'])
    .where('merchant_id', '=', merchantId)
    .where('hidden', '=', false)
    .orderBy('sort')
    .orderBy('id')
    .execute();
  return { items: treeOrder(rows).map((r) => ({ id: r.id, name: r.name, sort: r.sort, parentId: r.parent_id })) };
}

export async function productById(db: Kysely<DB>, merchantId: string, storeId: string, productId: string, shopOnly = false): Promise<ProductSummary | undefined> {
  let query = db
    .selectFrom('products')
    .select(['id', 'name', 'category_id', 'unit', parentCategoryIdColumn])
    .where('id', '=', productId)
    .where('merchant_id', '=', merchantId)
    .where('active', '=', true);
  if (shopOnly) query = query.where('category_id', 'not in', hiddenCategoryIds(db, merchantId));
  const product = await query.executeTakeFirst();
  if (!product) return undefined;
  const [skus, photos] = await Promise.all([skusWithStock(db, merchantId, storeId, [product.id]), photosOf(db, merchantId, [product.id])]);
  const list = photos.get(product.id) ?? [];
  return { ...toProduct(product, skus.get(product.id) ?? [], list[0]?.url ?? null), photos: list };
}

const barcode_lookup_sql = `select p.id as product_id, p.name, p.category_id, c.parent_id as parent_category_id, p.unit, s.id, s.barcode, s.spec,
    ${sellingPriceColumnsSql('s', 'sp')}, t.id as target_id, coalesce(l.on_hand - l.reserved, 0) as available,
    (select ph.url from product_photos ph where ph.product_id = p.id order by ph.sort, ph.id limit 1) as photo_url
  from skus t
  join products p on p.id = t.product_id
  join categories c on c.id = p.category_id and c.merchant_id = p.merchant_id
  join skus s on s.product_id = p.id and s.active
  left join stock_levels l on l.sku_id = s.id and l.store_id = $3
  ${storePriceJoinSql('s', 'sp', '$3')}
  where t.merchant_id = $1 and t.barcode = $2 and t.active and p.active
  order by s.id`;

/**
 * The counter's scan: the product of a barcode with all its SKUs and their
 * stock in the store, in one prepared statement, since this runs on every
 * beep and planning the four-table join costs more than running it.
 */
export async function productByBarcodePrepared(prepared: Deps['prepared'], merchantId: string, storeId: string, barcode: string) {
  const rows = await prepared<{ product_id: string; name: string; category_id: string; parent_category_id: string | null; unit: string; photo_url: string | null; id: string; barcode: string; spec: Record<string, string>; retail_price_fen: number; member_price_fen: number; target_id: string; available: number }>('barcode_lookup_v4', barcode_lookup_sql, [merchantId, barcode, storeId]);
  const first = rows[0];
  if (!first) return undefined;
  const skus: SkuSummary[] = rows.map((r) => ({ id: r.id, barcode: r.barcode, spec: r.spec, retailPriceFen: Number(r.retail_price_fen), memberPriceFen: Number(r.member_price_fen), available: Number(r.available) }));
  const sku = skus.find((x) => x.id === first.target_id);
  if (!sku) return undefined;
  return { product: toProduct({ id: first.product_id, name: first.name, category_id: first.category_id, parent_category_id: first.parent_category_id, unit: first.unit }, skus, first.photo_url ?? null), sku };
}
