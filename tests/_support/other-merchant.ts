import type { Kysely } from 'kysely';
import type { DB } from '../../api/_db/schema';
import { newId } from '../../shared/ids';

/** A second merchant with one store, an owner and one product, for tenancy tests. */
export async function seedOtherMerchant(db: Kysely<DB>) {
  const merchantId = newId('merchant');
  const storeId = newId('store');
  const ownerId = newId('staff');
  const categoryId = newId('category');
  const productId = newId('product');
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('merchants').values({ id: merchantId, name: '别家小店' }).execute();
    await trx.insertInto('stores').values({ id: storeId, merchant_id: merchantId, code: 'OTHER1', name: '别家一店' }).execute();
    await trx.insertInto('staff').values({ id: ownerId, merchant_id: merchantId, name: '别家老板', role: 'owner' }).execute();
    await trx.insertInto('staff_identities').values({ platform: 'wechat', open_id: 'o_other_owner', staff_id: ownerId }).execute();
    await trx.insertInto('categories').values({ id: categoryId, merchant_id: merchantId, name: '杂货' }).execute();
    await trx.insertInto('products').values({ id: productId, merchant_id: merchantId, category_id: categoryId, name: '别家的茶' }).execute();
    await trx
      .insertInto('skus')
      .values({ id: newId('sku'), merchant_id: merchantId, product_id: productId, barcode: '6900000000012', spec: '{}', retail_price_fen: 500, member_price_fen: 500, cost_fen: 300 })
      .execute();
  });
  return { merchantId, storeId, ownerId };
}
