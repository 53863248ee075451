import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';

/** Every store of the merchant with what its printed QR shows, in the order of their codes. */
export async function storesToPrint(db: Kysely<DB>, merchantId: string): Promise<{ id: string; code: string; name: string; address: string | null }[]> {
  return db.selectFrom('stores').select(['id', 'code', 'name', 'address']).where('merchant_id', '=', merchantId).orderBy('code').execute();
}
