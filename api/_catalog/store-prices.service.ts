import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { audit } from '../_audit/index.js';
import { specLabel } from '../../shared/spec-label.js';
import { store_prices_page_max, type StorePriceRequest, type StorePriceView } from '../../shared/api/store-prices.js';

/** Escapes LIKE wildcards so a search for "50%" finds the text "50%". */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function overrides(db: Kysely<DB> | Transaction<DB>, merchantId: string, storeId: string) {
  return db
    .selectFrom('store_prices as sp')
    .innerJoin('skus', 'skus.id', 'sp.sku_id')
    .innerJoin('products', 'products.id', 'skus.product_id')
    .select(['sp.store_id', 'sp.sku_id', 'sp.retail_price_fen', 'sp.member_price_fen', 'sp.updated_at', 'skus.barcode', 'skus.spec', 'skus.retail_price_fen as merchant_retail', 'skus.member_price_fen as merchant_member', 'products.name'])
    .where('sp.merchant_id', '=', merchantId)
    .where('sp.store_id', '=', storeId);
}

type OverrideRow = Awaited<ReturnType<ReturnType<typeof overrides>['executeTakeFirstOrThrow']>>;

function toView(r: OverrideRow): StorePriceView {
  return {
    storeId: r.store_id,
    skuId: r.sku_id,
    productName: r.name,
    spec: specLabel(r.spec),
    barcode: r.barcode,
    retailPriceFen: Number(r.retail_price_fen),
    memberPriceFen: Number(r.member_price_fen),
    merchantRetailPriceFen: Number(r.merchant_retail),
    merchantMemberPriceFen: Number(r.merchant_member),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** A store's own prices, with the merchant price beside each; a search matches the name, pinyin initials or the barcode. */
export async function listStorePrices(db: Kysely<DB>, merchantId: string, storeId: string, q?: string): Promise<StorePriceView[]> {
  let query = overrides(db, merchantId, storeId);
  if (q) query = query.where((eb) => eb.or([eb('products.name', 'ilike', likePattern(q)), eb('products.pinyin', 'ilike', likePattern(q.toLowerCase())), eb('skus.barcode', '=', q)]));
  const rows = await query.orderBy('products.name').orderBy('sp.sku_id').limit(store_prices_page_max).execute();
  return rows.map(toView);
}

/**
 * Sets a store's price of a SKU. Without a member price the store keeps the
 * merchant's member price, lowered to the new retail price if above it.
 * Audited with the prices before (the override, or null) and after.
 */
export async function setStorePrice(db: Kysely<DB>, staff: StaffPrincipal, storeId: string, skuId: string, body: StorePriceRequest): Promise<StorePriceView> {
  return db.transaction().execute(async (trx) => {
    const sku = await trx.selectFrom('skus').select(['id', 'member_price_fen']).where('id', '=', skuId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
    if (!sku) throw new AppError('not_found', `找不到商品规格 ${skuId}`);
    const before = await trx.selectFrom('store_prices').select(['retail_price_fen', 'member_price_fen']).where('store_id', '=', storeId).where('sku_id', '=', skuId).forUpdate().executeTakeFirst();
    const member = body.memberPriceFen ?? Math.min(Number(sku.member_price_fen), body.retailPriceFen);
    await trx
      .insertInto('store_prices')
      .values({ merchant_id: staff.merchantId, store_id: storeId, sku_id: skuId, retail_price_fen: body.retailPriceFen, member_price_fen: member, updated_by: staff.staffId })
      .onConflict((oc) => oc.columns(['store_id', 'sku_id']).doUpdateSet({ retail_price_fen: body.retailPriceFen, member_price_fen: member, updated_by: staff.staffId, updated_at: sql`now()` }))
      .execute();
    await audit(trx, {
      merchantId: staff.merchantId,
      actorId: staff.staffId,
      action: 'store_price.set',
      subjectId: skuId,
      detail: { storeId, before: before ? { retail: Number(before.retail_price_fen), member: Number(before.member_price_fen) } : null, after: { retail: body.retailPriceFen, member } },
    });
    return toView(await overrides(trx, staff.merchantId, storeId).where('sp.sku_id', '=', skuId).executeTakeFirstOrThrow());
  });
}

/** Removes a store's price: the store sells at the merchant price again. Removing what is not there is not an error. */
export async function removeStorePrice(db: Kysely<DB>, staff: StaffPrincipal, storeId: string, skuId: string): Promise<{ storeId: string; skuId: string; removed: boolean }> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.deleteFrom('store_prices').where('merchant_id', '=', staff.merchantId).where('store_id', '=', storeId).where('sku_id', '=', skuId).returning(['retail_price_fen', 'member_price_fen']).executeTakeFirst();
    if (before) {
      await audit(trx, {
        merchantId: staff.merchantId,
        actorId: staff.staffId,
        action: 'store_price.removed',
        subjectId: skuId,
        detail: { storeId, before: { retail: Number(before.retail_price_fen), member: Number(before.member_price_fen) }, after: null },
      });
    }
    return { storeId, skuId, removed: Boolean(before) };
  });
}
