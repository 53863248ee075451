import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';

/**
 * A store outside the caller's merchant is "not found" (its existence is
 * nobody else's business); a store of the same merchant that the caller is
 * not assigned to is "forbidden".
 */
export async function assertStoreAccess(db: Kysely<DB>, principal: StaffPrincipal, storeId: string): Promise<void> {
  if (principal.storeIds.includes(storeId)) return;
  const store = await db
    .selectFrom('stores')
    .select('id')
    .where('id', '=', storeId)
    .where('merchant_id', '=', principal.merchantId)
    .executeTakeFirst();
  if (!store) throw new AppError('not_found', `找不到门店 ${storeId}`);
  throw new AppError('forbidden', `你不属于门店 ${storeId}`);
}

/** An order of the caller's merchant in a store they work in: another merchant's is "not found". */
export async function assertOrderAccess(db: Kysely<DB>, principal: StaffPrincipal, orderId: string): Promise<void> {
  const order = await db.selectFrom('orders').select('store_id').where('id', '=', orderId).where('merchant_id', '=', principal.merchantId).executeTakeFirst();
  if (!order) throw new AppError('not_found', `找不到订单 ${orderId}`);
  await assertStoreAccess(db, principal, order.store_id);
}
