import { sql, type Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { sold_statuses } from './today.js';

export const daily_days_default = 14;
export const best_sellers_default = 10;

export async function takingsByAssistant(db: Kysely<DB>, merchantId: string, storeIds: string[], date: string) {
  if (storeIds.length === 0) return [];
  const rows = await db
    .selectFrom('orders')
    .innerJoin('staff', 'staff.id', 'orders.staff_id')
    .select(['staff.id', 'staff.name', sql<number>`sum(orders.total_fen - orders.refunded_fen)::bigint`.as('fen'), sql<number>`sum(orders.total_fen)::bigint`.as('gross'), sql<number>`count(*)::bigint`.as('n')])
    .where('orders.merchant_id', '=', merchantId)
    .where('orders.store_id', 'in', storeIds)
    .where('orders.business_date', '=', date)
    .where('orders.status', 'in', sold_statuses)
    .groupBy(['staff.id', 'staff.name'])
    .orderBy('fen', 'desc')
    .execute();
  return rows.map((r) => {
    const gross = Number(r.gross);
    const n = Number(r.n);
    // As on the day's figures, 客单价 is the average sale before refunds.
    return { staffId: r.id, name: r.name, takingsFen: Number(r.fen), orderCount: n, avgTicketFen: n === 0 ? 0 : Math.floor((gross * 2 + n) / (n * 2)) };
  });
}

/** One row per business day, days without sales included, oldest first. */
export async function dailyTakings(db: Kysely<DB>, merchantId: string, storeIds: string[], lastDate: string, days: number) {
  const dates: string[] = [];
  const end = new Date(`${lastDate}T00:00:00Z`);
  for (let i = days - 1; i >= 0; i--) dates.push(new Date(end.getTime() - i * 86_400_000).toISOString().slice(0, 10));
  if (storeIds.length === 0) return dates.map((date) => ({ date, takingsFen: 0, orderCount: 0 }));
  const rows = await db
    .selectFrom('orders')
    .select(['business_date', sql<number>`sum(total_fen - refunded_fen)::bigint`.as('fen'), sql<number>`count(*)::bigint`.as('n')])
    .where('merchant_id', '=', merchantId)
    .where('store_id', 'in', storeIds)
    .where('business_date', '>=', dates[0]!)
    .where('business_date', '<=', lastDate)
    .where('status', 'in', sold_statuses)
    .groupBy('business_date')
    .execute();
  const byDate = new Map(rows.map((r) => [r.business_date, r]));
  return dates.map((date) => ({ date, takingsFen: Number(byDate.get(date)?.fen ?? 0), orderCount: Number(byDate.get(date)?.n ?? 0) }));
}

export async function bestSellers(db: Kysely<DB>, merchantId: string, storeIds: string[], date: string, limit: number) {
  if (storeIds.length === 0) return [];
  const rows = await db
    .selectFrom('order_lines')
    .innerJoin('orders', 'orders.id', 'order_lines.order_id')
    .select([
      'order_lines.sku_id',
      sql<string>`min(order_lines.product_name)`.as('name'),
      sql<string>`min(order_lines.spec)`.as('spec'),
      sql<number>`sum(order_lines.qty - order_lines.returned_qty)::bigint`.as('qty'),
      sql<number>`sum(order_lines.net_fen - order_lines.returned_fen)::bigint`.as('fen'),
    ])
    .where('orders.merchant_id', '=', merchantId)
    .where('orders.store_id', 'in', storeIds)
    .where('orders.business_date', '=', date)
    .where('orders.status', 'in', sold_statuses)
    .groupBy('order_lines.sku_id')
    .having(sql`sum(order_lines.qty - order_lines.returned_qty)`, '>', 0)
    .orderBy('qty', 'desc')
    .orderBy('fen', 'desc')
    .orderBy('order_lines.sku_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ skuId: r.sku_id, name: r.name, spec: r.spec, qty: Number(r.qty), netFen: Number(r.fen) }));
}

export async function flaggedOrders(db: Kysely<DB>, merchantId: string, storeIds: string[]) {
  if (storeIds.length === 0) return [];
  const rows = await db
    .selectFrom('orders')
    .select(['id', 'receipt_no', 'store_id', 'business_date', 'total_fen', 'created_at', 'stock_flagged', 'price_diff_fen'])
    .where('merchant_id', '=', merchantId)
    .where('store_id', 'in', storeIds)
    .where((eb) => eb.or([eb('stock_flagged', '=', true), eb('price_diff_fen', '!=', 0)]))
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({ orderId: r.id, receiptNo: r.receipt_no ?? '', storeId: r.store_id, businessDate: r.business_date, totalFen: r.total_fen, createdAt: new Date(r.created_at).toISOString(), stockFlagged: r.stock_flagged, priceDiffFen: r.price_diff_fen }));
}
