import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { audit } from '../_audit/index.js';
import { assertStoreAccess } from '../_identity/index.js';
import { product_skus_max, type AddSkusRequest, type ProductDetail, type UpdateProductRequest } from '../../shared/api/products.js';
import { specLabel } from '../../shared/spec-label.js';
import { barcodeConflict, checkSkuInputs, insertSkus, specKey } from './catalog.admin.js';
import { bookOpeningStock, openingValueFen } from './opening-stock.js';

/** The merchant's product, or a 404 that does not tell another merchant's from one that never was. */
export async function productOf(db: Kysely<DB>, merchantId: string, productId: string) {
  const product = await db.selectFrom('products').select(['id', 'name', 'category_id', 'unit', 'active']).where('id', '=', productId).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!product) throw new AppError('not_found', `找不到商品 ${productId}`);
  return product;
}

/** A product with every SKU, the inactive ones too, for the owner's edit screen. */
export async function productDetail(db: Kysely<DB>, merchantId: string, productId: string): Promise<ProductDetail> {
  const p = await productOf(db, merchantId, productId);
  const skus = await db.selectFrom('skus').selectAll().where('merchant_id', '=', merchantId).where('product_id', '=', productId).orderBy('id').execute();
  return {
    product: { id: p.id, name: p.name, categoryId: p.category_id, unit: p.unit, active: p.active },
    skus: skus.map((s) => ({ id: s.id, barcode: s.barcode, spec: s.spec, retailPriceFen: s.retail_price_fen, memberPriceFen: s.member_price_fen, costFen: s.cost_fen, active: s.active })),
  };
}

/**
 * Changes what describes a product (name, category, unit, whether it is
 * sold), audited with the old and new values. Its SKUs are left as they are:
 * sales and stock refer to them.
 */
export async function updateProduct(db: Kysely<DB>, staff: StaffPrincipal, productId: string, u: UpdateProductRequest): Promise<ProductDetail> {
  if (u.categoryId !== undefined) {
    const category = await db.selectFrom('categories').select('id').where('id', '=', u.categoryId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
    if (!category) throw new AppError('not_found', `找不到分类 ${u.categoryId}`, [{ path: 'categoryId', message: `找不到分类 ${u.categoryId}` }]);
  }
  const pinyin = u.name === undefined ? undefined : (await import('../../shared/pinyin.js')).pinyinInitials(u.name);
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('products').select(['name', 'category_id', 'unit', 'active']).where('id', '=', productId).where('merchant_id', '=', staff.merchantId).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found', `找不到商品 ${productId}`);
    const after = await trx
      .updateTable('products')
      .set({ name: u.name ?? before.name, ...(pinyin !== undefined ? { pinyin } : {}), category_id: u.categoryId ?? before.category_id, unit: u.unit ?? before.unit, active: u.active ?? before.active })
      .where('id', '=', productId)
      .returning(['name', 'category_id', 'unit', 'active'])
      .executeTakeFirstOrThrow();
    await audit(trx, {
      merchantId: staff.merchantId,
      actorId: staff.staffId,
      action: 'product.updated',
      subjectId: productId,
      detail: {
        before: { name: before.name, categoryId: before.category_id, unit: before.unit, active: before.active },
        after: { name: after.name, categoryId: after.category_id, unit: after.unit, active: after.active },
      },
    });
  });
  return productDetail(db, staff.merchantId, productId);
}

/**
 * Adds SKUs to a product: a new value of a spec item (a new colour) makes
 * new combinations. Each new spec names exactly the items the product's SKUs
 * have, in a combination none of them has, inactive ones included: a SKU
 * once made keeps its meaning, so a stopped one is started again, not made
 * twice. A product without spec items has one SKU and takes none.
 */
export async function addSkus(deps: Pick<Deps, 'db' | 'clock'>, staff: StaffPrincipal, productId: string, input: AddSkusRequest): Promise<ProductDetail> {
  const db = deps.db;
  await productOf(db, staff.merchantId, productId);
  checkSkuInputs(input.skus);
  openingValueFen(input.skus.map((s) => ({ qty: s.openingQty ?? 0, costFen: s.costFen })));
  if (input.openingStoreId) await assertStoreAccess(db, staff, input.openingStoreId);
  try {
    await db.transaction().execute(async (trx) => {
      // Locks the product so two owners adding the same colour at once make it once.
      await trx.selectFrom('products').select('id').where('id', '=', productId).forUpdate().executeTakeFirstOrThrow();
      const existing = await trx.selectFrom('skus').select(['spec', 'active']).where('merchant_id', '=', staff.merchantId).where('product_id', '=', productId).execute();
      if (existing.length + input.skus.length > product_skus_max) {
        throw new AppError('validation_failed', `一个商品最多 ${product_skus_max} 个规格（product_skus_max），已有 ${existing.length} 个`, [{ path: 'skus', message: `一个商品最多 ${product_skus_max} 个规格（product_skus_max），已有 ${existing.length} 个` }]);
      }
      const axes = Object.keys(existing[0]?.spec ?? {}).sort();
      if (axes.length === 0) throw new AppError('validation_failed', '这个商品没有规格项（单规格），不能再加规格；请另建一个商品', [{ path: 'skus', message: '这个商品没有规格项（单规格），不能再加规格；请另建一个商品' }]);
      const taken = new Map(existing.map((s) => [specKey(s.spec), s.active]));
      for (const [i, s] of input.skus.entries()) {
        const keys = Object.keys(s.spec ?? {}).sort();
        if (keys.join('|') !== axes.join('|')) {
          throw new AppError('validation_failed', `第 ${i + 1} 个新规格应填写：${axes.join('、')}`, [{ path: `skus.${i}.spec`, message: `spec items ${axes.join(',')}` }]);
        }
        const active = taken.get(specKey(s.spec ?? {}));
        if (active !== undefined) {
          const label = specLabel(s.spec ?? {});
          const reason = active ? `规格「${label}」已有` : `规格「${label}」已有但已停售，请重新启用它`;
          throw new AppError('conflict', reason, [{ path: `skus.${i}.spec`, message: reason }]);
        }
      }
      const skuIds = await insertSkus(trx, staff.merchantId, productId, input.skus);
      if (input.openingStoreId) {
        await bookOpeningStock(trx, deps, staff, input.openingStoreId, skuIds[0]!, input.skus.map((s, i) => ({ skuId: skuIds[i]!, qty: s.openingQty ?? 0, costFen: s.costFen })));
      }
      await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'product.skus_added', subjectId: productId, detail: { skus: input.skus.map((s, i) => ({ id: skuIds[i], spec: s.spec ?? {} })) } });
    });
  } catch (e) {
    barcodeConflict(e);
  }
  return productDetail(db, staff.merchantId, productId);
}
