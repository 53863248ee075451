import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';

type Db = Kysely<DB> | Transaction<DB>;
type ReservationStatus = Selectable<DB['customer_reservations']>['status'];

/**
 * The ids of a store's reservations, of one status when given, at most
 * `limit`. Active ones come by the day they are due, the soonest first;
 * otherwise the newest come first.
 */
export async function reservationIdsOfStore(db: Db, merchantId: string, storeId: string, status: ReservationStatus | undefined, limit: number): Promise<{ id: string }[]> {
  let query = db.selectFrom('customer_reservations').select('id').where('merchant_id', '=', merchantId).where('store_id', '=', storeId);
  if (status) query = query.where('status', '=', status);
  return (status === 'active' ? query.orderBy('pickup_by').orderBy('id') : query.orderBy('id', 'desc')).limit(limit).execute();
}

/** The ids of a member's reservations, the newest first, at most `limit`. */
export async function reservationIdsOfMember(db: Db, merchantId: string, memberId: string, limit: number): Promise<{ id: string }[]> {
  return db.selectFrom('customer_reservations').select('id').where('merchant_id', '=', merchantId).where('member_id', '=', memberId).orderBy('id', 'desc').limit(limit).execute();
}
