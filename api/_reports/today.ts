import { sql, type Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { TodayResponse } from '../../shared/api/reports.js';

/** Sales in these states were paid; a later refund is subtracted on the day it is made. */
export const sold_statuses = ['paid', 'partially_refunded', 'refunded'] as const;

/**
 * The day's takings over the given stores, from the orders, tenders and
 * refunds themselves: money taken in by tender, minus money given back that
 * day by the same tender.
 */
export async function todayTakings(db: Kysely<DB>, merchantId: string, storeIds: string[], date: string, storeId: string | null): Promise<TodayResponse> {
  const empty: TodayResponse = { date, storeId, takingsFen: 0, orderCount: 0, avgTicketFen: 0, byTender: [] };
  if (storeIds.length === 0) return empty;
  const orders = await db
    .selectFrom('orders')
    .select([sql<number>`count(*)::bigint`.as('orders'), sql<number>`coalesce(sum(total_fen), 0)::bigint`.as('sales')])
    .where('merchant_id', '=', merchantId)
    .where('store_id', 'in', storeIds)
    .where('business_date', '=', date)
    .where('status', 'in', sold_statuses)
    .executeTakeFirstOrThrow();
  const taken = await db
    .selectFrom('order_tenders')
    .innerJoin('orders', 'orders.id', 'order_tenders.order_id')
    .select(['order_tenders.method', sql<number>`sum(order_tenders.amount_fen)::bigint`.as('fen')])
    .where('order_tenders.merchant_id', '=', merchantId)
    .where('order_tenders.store_id', 'in', storeIds)
    .where('order_tenders.business_date', '=', date)
    .where('orders.status', 'in', sold_statuses)
    .groupBy('order_tenders.method')
    .execute();
  const given = await db
    .selectFrom('return_refunds')
    .innerJoin('returns', 'returns.id', 'return_refunds.return_id')
    .select(['return_refunds.method', sql<number>`sum(return_refunds.amount_fen)::bigint`.as('fen')])
    .where('returns.merchant_id', '=', merchantId)
    .where('returns.store_id', 'in', storeIds)
    .where('returns.business_date', '=', date)
    .where('returns.status', '=', 'completed')
    .groupBy('return_refunds.method')
    .execute();
  const byMethod = new Map<string, number>();
  for (const t of taken) byMethod.set(t.method, (byMethod.get(t.method) ?? 0) + Number(t.fen));
  for (const g of given) byMethod.set(g.method, (byMethod.get(g.method) ?? 0) - Number(g.fen));
  const byTender = [...byMethod].sort(([a], [b]) => (a < b ? -1 : 1)).map(([tender, fen]) => ({ tender, fen }));
  const takingsFen = byTender.reduce((s, t) => s + t.fen, 0);
  const orderCount = Number(orders.orders);
  const salesFen = Number(orders.sales);
  return {
    ...empty,
    takingsFen,
    orderCount,
    // 客单价 is the average sale before refunds, rounded half up to the fen in integers.
    avgTicketFen: orderCount === 0 ? 0 : Math.floor((salesFen * 2 + orderCount) / (orderCount * 2)),
    byTender,
  };
}
