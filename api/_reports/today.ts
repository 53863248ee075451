import { sql, type Kysely } from 'kysely';
import type { DB } from '../_db/schema';
import type { TodayResponse } from '../../shared/api/reports';

/** Orders in these states count towards takings; refunds are subtracted by the selling module's own records. */
const countedStatuses = ['paid', 'partially_refunded'] as const;

/** The day's takings over the given stores, read from the orders and tenders themselves. */
export async function todayTakings(db: Kysely<DB>, merchantId: string, storeIds: string[], date: string, storeId: string | null): Promise<TodayResponse> {
  const empty: TodayResponse = { date, storeId, takingsFen: 0, orderCount: 0, avgTicketFen: 0, byTender: [] };
  if (storeIds.length === 0) return empty;
  const totals = await db
    .selectFrom('orders')
    .select([sql<number>`coalesce(sum(total_fen), 0)::bigint`.as('takings'), sql<number>`count(*)::bigint`.as('orders')])
    .where('merchant_id', '=', merchantId)
    .where('store_id', 'in', storeIds)
    .where('business_date', '=', date)
    .where('status', 'in', countedStatuses)
    .executeTakeFirstOrThrow();
  const tenders = await db
    .selectFrom('order_tenders')
    .innerJoin('orders', 'orders.id', 'order_tenders.order_id')
    .select(['order_tenders.method', sql<number>`sum(order_tenders.amount_fen)::bigint`.as('fen')])
    .where('order_tenders.merchant_id', '=', merchantId)
    .where('order_tenders.store_id', 'in', storeIds)
    .where('order_tenders.business_date', '=', date)
    .where('orders.status', 'in', countedStatuses)
    .groupBy('order_tenders.method')
    .orderBy('order_tenders.method')
    .execute();
  const takingsFen = Number(totals.takings);
  const orderCount = Number(totals.orders);
  return {
    ...empty,
    takingsFen,
    orderCount,
    // 客单价 rounds half up to the fen, in integers.
    avgTicketFen: orderCount === 0 ? 0 : Math.floor((takingsFen * 2 + orderCount) / (orderCount * 2)),
    byTender: tenders.map((t) => ({ tender: t.method, fen: Number(t.fen) })),
  };
}
