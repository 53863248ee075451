import { sql, type Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';

export const orders_page_default = 30;

/** A store's orders, newest first, optionally one business day or a receipt number fragment. */
export async function listOrders(db: Kysely<DB>, merchantId: string, f: { storeId: string; date?: string | undefined; q?: string | undefined; cursor?: string | undefined; limit?: number | undefined }) {
  const limit = f.limit ?? orders_page_default;
  let q = db
    .selectFrom('orders')
    .leftJoin('staff', 'staff.id', 'orders.staff_id')
    .leftJoin('members', 'members.id', 'orders.member_id')
    .select([
      'orders.id', 'orders.receipt_no', 'orders.status', 'orders.total_fen', 'orders.refunded_fen', 'orders.offline', 'orders.created_at',
      'staff.name as staff_name', 'members.name as member_name',
      sql<number>`(select coalesce(sum(qty), 0)::bigint from order_lines where order_lines.order_id = orders.id)`.as('items'),
      sql<string[]>`(select coalesce(array_agg(method order by line_no), '{}') from order_tenders where order_tenders.order_id = orders.id)`.as('tenders'),
      'orders.pickup_code', 'orders.table_no',
    ])
    .where('orders.merchant_id', '=', merchantId)
    .where('orders.store_id', '=', f.storeId);
  if (f.date) q = q.where('orders.business_date', '=', f.date);
  if (f.q) q = q.where('orders.receipt_no', 'like', `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
  if (f.cursor) q = q.where('orders.id', '<', f.cursor);
  const rows = await q.orderBy('orders.id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      receiptNo: r.receipt_no ?? '',
      status: r.status,
      totalFen: r.total_fen,
      refundedFen: r.refunded_fen,
      itemCount: Number(r.items),
      staffName: r.staff_name,
      memberName: r.member_name,
      offline: r.offline,
      createdAt: new Date(r.created_at).toISOString(),
      tenders: r.tenders,
      pickupCode: r.pickup_code,
      tableNo: r.table_no,
    })),
    nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}
