import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { audit } from '../_audit/index.js';
import type { CreateProductRequest } from '../../shared/api/products.js';
import { ean13, retailBarcodeKind } from '../../shared/barcode.js';
import { newId } from '../../shared/ids.js';
import { productById } from './catalog.repository.js';
import { bookOpeningStock, openingValueFen } from './opening-stock.js';
import { assertStoreAccess } from '../_identity/index.js';
import type { Deps } from '../_kernel/deps.js';

/**
 * A store-printed code: EAN-13 in the in-store range (prefix 2), the
 * merchant's next number, so a handheld scanner reads it like any other.
 */
export async function inStoreBarcodes(trx: Transaction<DB>, merchantId: string, count: number): Promise<string[]> {
  // One merchant's new codes are handed out one transaction at a time.
  await sql`select pg_advisory_xact_lock(hashtext(${`barcodes:${merchantId}`}))`.execute(trx);
  const last = await trx
    .selectFrom('skus')
    .select(sql<string>`max(barcode)`.as('max'))
    .where('merchant_id', '=', merchantId)
    .where('barcode', 'like', '2%')
    .where(sql<boolean>`length(barcode) = 13`)
    .executeTakeFirst();
  let next = last?.max ? Number(last.max.slice(1, 12)) + 1 : 1;
  return Array.from({ length: count }, () => ean13(`2${String(next++).padStart(11, '0')}`));
}

type SkuInput = CreateProductRequest['skus'][number];

/**
 * Checks the SKUs of a request before anything is written: barcodes by
 * their check digit and unique in the request, specs unique in the request.
 */
export function checkSkuInputs(skus: readonly SkuInput[]): void {
  for (const [i, s] of skus.entries()) {
    if (s.barcode !== undefined && !retailBarcodeKind(s.barcode)) {
      throw new AppError('validation_failed', `第 ${i + 1} 个规格的条码 ${s.barcode} 校验位不对`, [{ path: `skus.${i}.barcode`, message: `第 ${i + 1} 个规格的条码 ${s.barcode} 校验位不对` }]);
    }
  }
  const given = skus.map((s) => s.barcode).filter((b): b is string => b !== undefined);
  if (new Set(given).size !== given.length) throw new AppError('validation_failed', '同一商品的条码重复');
  const specs = skus.map((s) => specKey(s.spec ?? {}));
  if (new Set(specs).size !== specs.length) throw new AppError('validation_failed', '有两个规格完全相同');
}

/** A spec as a key that does not depend on the order its items were typed in. */
export function specKey(spec: Record<string, string>): string {
  return JSON.stringify(Object.entries(spec).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Inserts a product's SKUs, printing in-store codes for those without a barcode; the new ids in the order given. */
export async function insertSkus(trx: Transaction<DB>, merchantId: string, productId: string, skus: readonly SkuInput[]): Promise<string[]> {
  const generated = await inStoreBarcodes(trx, merchantId, skus.filter((s) => !s.barcode).length);
  const ids = skus.map(() => newId('sku'));
  await trx
    .insertInto('skus')
    .values(
      skus.map((s, i) => ({
        id: ids[i]!,
        merchant_id: merchantId,
        product_id: productId,
        barcode: s.barcode ?? generated.shift()!,
        spec: JSON.stringify(s.spec ?? {}),
        retail_price_fen: s.retailPriceFen,
        member_price_fen: s.memberPriceFen ?? s.retailPriceFen,
        cost_fen: s.costFen,
      })),
    )
    .execute();
  return ids;
}

/** A unique violation of a barcode, as the owner should read it. */
export function barcodeConflict(e: unknown): never {
  if ((e as { code?: string }).code === '23505') throw new AppError('conflict', '条码已被本店其他商品使用');
  throw e;
}

/**
 * Adds a product and its SKUs, and, when the owner typed quantities, its
 * opening stock in one store, all in one transaction.
 */
export async function createProduct(deps: Pick<Deps, 'db' | 'clock'>, staff: StaffPrincipal, input: CreateProductRequest) {
  const db = deps.db;
  const category = await db.selectFrom('categories').select('id').where('id', '=', input.categoryId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
  if (!category) throw new AppError('not_found', `找不到分类 ${input.categoryId}`);
  checkSkuInputs(input.skus);
  openingValueFen(input.skus.map((s) => ({ qty: s.openingQty ?? 0, costFen: s.costFen })));
  if (input.openingStoreId) await assertStoreAccess(db, staff, input.openingStoreId);
  // pinyin-pro's dictionary is half a megabyte: it is loaded when a product is
  // first created, not on every cold start, and before the transaction opens
  // so no lock waits on reading it.
  const { pinyinInitials } = await import('../../shared/pinyin.js');
  const productId = newId('product');
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('products').values({ id: productId, merchant_id: staff.merchantId, category_id: input.categoryId, name: input.name, pinyin: pinyinInitials(input.name), unit: input.unit }).execute();
      const skuIds = await insertSkus(trx, staff.merchantId, productId, input.skus);
      const opening = input.skus.map((s, i) => ({ skuId: skuIds[i]!, qty: s.openingQty ?? 0, costFen: s.costFen }));
      if (input.openingStoreId) await bookOpeningStock(trx, deps, staff, input.openingStoreId, productId, opening);
      await audit(trx, {
        merchantId: staff.merchantId,
        actorId: staff.staffId,
        action: 'product.created',
        subjectId: productId,
        detail: { name: input.name, skus: input.skus.length, ...(input.openingStoreId ? { openingStoreId: input.openingStoreId, openingQty: opening.reduce((n, o) => n + o.qty, 0) } : {}) },
      });
    });
  } catch (e) {
    barcodeConflict(e);
  }
  const storeId = input.openingStoreId ?? staff.storeIds[0];
  return { product: storeId ? await productById(db, staff.merchantId, storeId, productId) : null, productId };
}

/** Price and status changes are audited with the old and new values. */
export async function updateSku(db: Kysely<DB>, staff: StaffPrincipal, skuId: string, u: { barcode?: string | undefined; retailPriceFen?: number | undefined; memberPriceFen?: number | undefined; costFen?: number | undefined; active?: boolean | undefined }) {
  if (u.barcode !== undefined && !retailBarcodeKind(u.barcode)) throw new AppError('validation_failed', `条码 ${u.barcode} 校验位不对`, [{ path: 'barcode', message: `条码 ${u.barcode} 校验位不对` }]);
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('skus').selectAll().where('id', '=', skuId).where('merchant_id', '=', staff.merchantId).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found', `找不到商品规格 ${skuId}`);
    const retail = u.retailPriceFen ?? before.retail_price_fen;
    const member = u.memberPriceFen ?? Math.min(before.member_price_fen, retail);
    if (member > retail) throw new AppError('validation_failed', '会员价不能高于零售价', [{ path: 'memberPriceFen', message: '会员价不能高于零售价' }]);
    const after = await trx
      .updateTable('skus')
      .set({ barcode: u.barcode ?? before.barcode, retail_price_fen: retail, member_price_fen: member, cost_fen: u.costFen ?? before.cost_fen, active: u.active ?? before.active })
      .where('id', '=', skuId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, {
      merchantId: staff.merchantId,
      actorId: staff.staffId,
      action: 'sku.updated',
      subjectId: skuId,
      detail: {
        before: { barcode: before.barcode, retail: before.retail_price_fen, member: before.member_price_fen, cost: before.cost_fen, active: before.active },
        after: { barcode: after.barcode, retail: after.retail_price_fen, member: after.member_price_fen, cost: after.cost_fen, active: after.active },
      },
    });
    return { id: after.id, barcode: after.barcode, retailPriceFen: after.retail_price_fen, memberPriceFen: after.member_price_fen, costFen: after.cost_fen, active: after.active };
  }).catch(barcodeConflict);
}
