import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../_db/schema.js';

type ReturnStatus = Selectable<DB['returns']>['status'];

/** The ids of the returns of the given stores, of one status when given, the newest first, at most `limit`. */
export async function returnIdsOf(db: Kysely<DB>, merchantId: string, storeIds: string[], status: ReturnStatus | undefined, limit: number): Promise<string[]> {
  let query = db.selectFrom('returns').select('id').where('merchant_id', '=', merchantId).where('store_id', 'in', storeIds);
  if (status) query = query.where('status', '=', status);
  return (await query.orderBy('id', 'desc').limit(limit).execute()).map((r) => r.id);
}
