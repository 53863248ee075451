import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';

/** Whether the merchant has the store a shopper asks prices for: its id, or undefined. */
export async function storeIdOfMerchant(db: Kysely<DB>, merchantId: string, storeId: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('stores').select('id').where('id', '=', storeId).where('merchant_id', '=', merchantId).executeTakeFirst();
}
