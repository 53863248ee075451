import { sql, type Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { endReservation } from '../_stock/index.js';
import { cancelOpenOrder } from './complete-order.js';

export const reservations_release_batch_max = 200;

/**
 * The scheduled job: cancels unpaid orders whose hold has expired, a batch at
 * a time, giving their stock and points back. An order with a platform
 * payment still pending is left alone: the payment job asks the platform
 * first, because the customer may have paid a moment ago. With a merchant
 * named, only that merchant's orders (one queue message's share).
 */
export async function expireOpenOrders(db: Kysely<DB>, now: Date, merchantId?: string): Promise<{ orders: number }> {
  const due = await db
    .selectFrom('stock_reservations')
    .select('order_id')
    .distinct()
    .where('status', '=', 'active')
    .where('expires_at', '<=', now)
    .$if(merchantId !== undefined, (q) => q.where('merchant_id', '=', merchantId!))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('payments').select(sql`1`.as('one')).whereRef('payments.order_id', '=', 'stock_reservations.order_id').where('payments.status', '=', 'pending'))))
    .limit(reservations_release_batch_max)
    .execute();
  let orders = 0;
  for (const { order_id } of due) {
    const cancelled = await db.transaction().execute(async (trx) => {
      if (await cancelOpenOrder(trx, order_id, null)) return true;
      // A hold whose order is no longer open has nothing left to wait for.
      await endReservation(trx, order_id, 'release', null);
      return false;
    });
    if (cancelled) orders++;
  }
  return { orders };
}
