import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { requestHash } from '../_kernel/idempotency.js';
import { audit } from '../_audit/index.js';
import { assertStoreAccess } from '../_identity/index.js';
import { specLabel } from '../../shared/spec-label.js';
import { bulk_price_rounding, bulkPriceRows } from '../../shared/pricing/bulk-price.js';
import { bulk_price_skus_max, type PriceChangeRequest, type PriceChangeResponse } from '../../shared/api/store-prices.js';
import { sellingPriceColumns } from './store-price.js';

/**
 * The SKUs a bulk change touches with the prices they sell at in its scope:
 * the merchant price, or for one store the store's price where it has one.
 * Locked when applying, so the "before" written to the audit is what was changed.
 */
async function targets(db: Kysely<DB> | Transaction<DB>, merchantId: string, body: PriceChangeRequest, lock: boolean) {
  const storeId = body.storeId ?? '';
  let query = db
    .selectFrom('skus')
    .innerJoin('products', 'products.id', 'skus.product_id')
    .leftJoin('store_prices as store_price', (join) => join.onRef('store_price.sku_id', '=', 'skus.id').on('store_price.store_id', '=', storeId))
    .select(['skus.id', 'skus.spec', 'skus.cost_fen', 'products.name', ...sellingPriceColumns()])
    .where('skus.merchant_id', '=', merchantId)
    .where('skus.active', '=', true);
  if (body.categoryId) query = query.where('products.category_id', '=', body.categoryId);
  if (body.skuIds) query = query.where('skus.id', 'in', body.skuIds);
  query = query.orderBy('products.name').orderBy('skus.id').limit(bulk_price_skus_max + 1);
  const rows = await (lock ? query.forUpdate('skus') : query).execute();
  if (body.skuIds) {
    const found = new Set(rows.map((r) => r.id));
    const missing = [...new Set(body.skuIds)].filter((id) => !found.has(id));
    if (missing.length > 0) throw new AppError('validation_failed', `商品不存在或已下架：${missing.join('、')}`, missing.map((id) => ({ path: 'skuIds', message: `unknown SKU ${id}` })));
  }
  if (rows.length === 0) throw new AppError('validation_failed', '这个分类下没有在售的商品', [{ path: 'categoryId', message: '没有商品' }]);
  if (rows.length > bulk_price_skus_max) throw new AppError('validation_failed', `一次调价最多 ${bulk_price_skus_max} 个规格（bulk_price_skus_max），请分批`, [{ path: 'categoryId', message: 'too many SKUs' }]);
  return rows;
}

async function priceRows(db: Kysely<DB> | Transaction<DB>, merchantId: string, body: PriceChangeRequest, lock: boolean) {
  const rows = await targets(db, merchantId, body, lock);
  const priced = bulkPriceRows(
    rows.map((r) => ({ skuId: r.id, retailPriceFen: Number(r.retail_price_fen), memberPriceFen: Number(r.member_price_fen), costFen: Number(r.cost_fen) })),
    body.change.kind === 'percent' ? { kind: 'percent', bp: body.change.bp } : { kind: 'amount', fen: body.change.fen },
    body.fields,
  );
  return priced.map((p, i) => ({ ...p, productName: rows[i]!.name, spec: specLabel(rows[i]!.spec), costFen: Number(rows[i]!.cost_fen) }));
}

/** A store-scoped change needs a store of the caller's merchant (404 otherwise) that the caller may manage. */
async function checkStore(db: Kysely<DB>, staff: StaffPrincipal, storeId: string | undefined) {
  if (storeId) await assertStoreAccess(db, staff, storeId);
}

/** What a bulk change would do, writing nothing: the same arithmetic as `applyPriceChange`. */
export async function previewPriceChange(db: Kysely<DB>, staff: StaffPrincipal, body: PriceChangeRequest): Promise<PriceChangeResponse> {
  await checkStore(db, staff, body.storeId);
  const rows = await priceRows(db, staff.merchantId, body, false);
  return { id: body.id, applied: false, storeId: body.storeId ?? null, rounding: bulk_price_rounding, rows };
}

async function replay(db: Kysely<DB> | Transaction<DB>, merchantId: string, id: string, hash: string): Promise<PriceChangeResponse | null> {
  const prior = await db.selectFrom('price_changes').select(['request_hash', 'result']).where('id', '=', id).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!prior) return null;
  if (prior.request_hash !== hash) throw new AppError('idempotency_mismatch', `调价 ${id} 已用另一组条件应用过；请重新预览`);
  return prior.result as PriceChangeResponse;
}

/**
 * Applies a bulk change in one transaction: the merchant prices on the SKUs,
 * or one store's prices as overrides. The id the client made replays the
 * first answer for the same request and refuses another (409), and one
 * audit entry holds every SKU's before and after.
 */
export async function applyPriceChange(db: Kysely<DB>, staff: StaffPrincipal, body: PriceChangeRequest): Promise<{ response: PriceChangeResponse; replayed: boolean }> {
  const hash = requestHash(body);
  const prior = await replay(db, staff.merchantId, body.id, hash);
  if (prior) return { response: prior, replayed: true };
  await checkStore(db, staff, body.storeId);
  try {
    const response = await db.transaction().execute(async (trx) => {
      const rows = await priceRows(trx, staff.merchantId, body, true);
      const result: PriceChangeResponse = { id: body.id, applied: true, storeId: body.storeId ?? null, rounding: bulk_price_rounding, rows };
      // The id goes in first, so a concurrent repeat waits on it and then replays instead of changing prices twice.
      await trx.insertInto('price_changes').values({ id: body.id, merchant_id: staff.merchantId, request_hash: hash, result: JSON.stringify(result), created_by: staff.staffId }).execute();
      for (const r of rows) {
        if (body.storeId) {
          await trx
            .insertInto('store_prices')
            .values({ merchant_id: staff.merchantId, store_id: body.storeId, sku_id: r.skuId, retail_price_fen: r.after.retailPriceFen, member_price_fen: r.after.memberPriceFen, updated_by: staff.staffId })
            .onConflict((oc) => oc.columns(['store_id', 'sku_id']).doUpdateSet({ retail_price_fen: r.after.retailPriceFen, member_price_fen: r.after.memberPriceFen, updated_by: staff.staffId, updated_at: new Date() }))
            .execute();
        } else {
          await trx.updateTable('skus').set({ retail_price_fen: r.after.retailPriceFen, member_price_fen: r.after.memberPriceFen }).where('id', '=', r.skuId).where('merchant_id', '=', staff.merchantId).execute();
        }
      }
      await audit(trx, {
        merchantId: staff.merchantId,
        actorId: staff.staffId,
        action: 'price_change.applied',
        subjectId: body.id,
        detail: {
          storeId: body.storeId ?? null,
          change: body.change,
          fields: body.fields,
          rounding: bulk_price_rounding,
          skus: rows.map((r) => ({ skuId: r.skuId, before: { retail: r.before.retailPriceFen, member: r.before.memberPriceFen }, after: { retail: r.after.retailPriceFen, member: r.after.memberPriceFen } })),
        },
      });
      return result;
    });
    return { response, replayed: false };
  } catch (e) {
    const again = await replay(db, staff.merchantId, body.id, hash);
    if (again) return { response: again, replayed: true };
    throw e;
  }
}
