import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Whether the merchant has the store a shopper orders from: its id, or undefined. */
export async function storeOfMerchant(db: Db, merchantId: string, storeId: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('stores').select('id').where('id', '=', storeId).where('merchant_id', '=', merchantId).executeTakeFirst();
}

/** The member an order of the merchant was sold to, so a shopper sees only their own orders; undefined when there is no such order. */
export async function orderMember(db: Db, merchantId: string, orderId: string): Promise<{ member_id: string | null } | undefined> {
  return db.selectFrom('orders').select('member_id').where('id', '=', orderId).where('merchant_id', '=', merchantId).executeTakeFirst();
}
