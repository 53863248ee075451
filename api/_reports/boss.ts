import { sql, type Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { sold_statuses } from './today.js';
import { salesFiguresBy } from './figures.js';

export const daily_days_default = 14;
export const best_sellers_default = 10;

/**
 * The day's figures per assistant (`shared/figures.ts`): 实收 is net sales
 * with the day's returns against the assistant's sales, 客单价 the day's
 * sales before returns ÷ the day's sales count, as 业绩与提成 shows them.
 */
export async function takingsByAssistant(db: Kysely<DB>, merchantId: string, storeIds: string[], date: string) {
  const by = await salesFiguresBy(db, { merchantId, storeIds, from: date, to: date }, 'staff');
  const ids = [...by.keys()].filter((id) => id !== '');
  if (ids.length === 0) return [];
  const staff = await db.selectFrom('staff').select(['id', 'name']).where('merchant_id', '=', merchantId).where('id', 'in', ids).execute();
  return staff
    .map((s) => {
      const f = by.get(s.id)!;
      return { staffId: s.id, name: s.name, takingsFen: f.netSalesFen, orderCount: f.orderCount, avgTicketFen: f.avgTicketFen };
    })
    .sort((a, b) => b.takingsFen - a.takingsFen || (a.staffId < b.staffId ? -1 : 1));
}

/** One row per business day, days without sales included, oldest first: each day's 实收 and 单数 as on the boss home. */
export async function dailyTakings(db: Kysely<DB>, merchantId: string, storeIds: string[], lastDate: string, days: number) {
  const dates: string[] = [];
  const end = new Date(`${lastDate}T00:00:00Z`);
  for (let i = days - 1; i >= 0; i--) dates.push(new Date(end.getTime() - i * 86_400_000).toISOString().slice(0, 10));
  const byDate = await salesFiguresBy(db, { merchantId, storeIds, from: dates[0]!, to: lastDate }, 'day');
  return dates.map((date) => ({ date, takingsFen: byDate.get(date)?.netSalesFen ?? 0, orderCount: byDate.get(date)?.orderCount ?? 0 }));
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
