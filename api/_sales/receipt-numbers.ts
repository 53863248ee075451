import { sql, type RawBuilder, type Transaction } from 'kysely';
import { preparedSql } from '../_db/prepared-sql.js';
import type { DB } from '../_db/schema.js';
import { newReceiptToken, pickupCodeOffset, pickupCodeSql } from './pickup-code.js';

export const receipts_per_store_day_max = 9999;

/**
 * Numbers an order in one statement: bumps the store's day counter and
 * writes the number onto the order, so the counter row is held for as short
 * a time as possible. The same statement gives the order its receipt token
 * and, for a self-service order, its pickup code, derived from the receipt
 * number so it is unique in the store day without another round trip.
 */
export async function assignReceiptNo(
  trx: Transaction<DB>,
  store: { id: string; code: string },
  businessDate: string,
  orderId: string,
  after?: { ctes: RawBuilder<unknown>; written: RawBuilder<unknown> },
): Promise<{ receiptNo: string; receiptToken: string }> {
  const prefix = `${store.code}-${businessDate.replaceAll('-', '')}-`;
  // `after` runs other writes first in the same statement (a sale's rollups); the counter still comes last.
  const row = await preparedSql<{ receipt_no: string; receipt_token: string; last_no: number }>`with ${after ? sql`${after.ctes},` : sql``} c as (
      insert into receipt_counters (store_id, business_date, last_no) select ${store.id}::text, ${businessDate}::date, 1 where ${after ? after.written : sql`true`}
      on conflict (store_id, business_date) do update set last_no = receipt_counters.last_no + 1
      returning last_no
    )
    update orders set receipt_no = ${prefix} || lpad(c.last_no::text, 4, '0'),
      receipt_token = coalesce(orders.receipt_token, ${newReceiptToken()}::text),
      pickup_code = case when orders.channel = 'self_service' then ${pickupCodeSql(sql<number>`c.last_no`, pickupCodeOffset(store.id, businessDate))} end
    from c where orders.id = ${orderId}
    returning orders.receipt_no, orders.receipt_token, c.last_no`.execute(trx);
  const r = row.rows[0];
  if (!r) throw new Error(`order ${orderId} vanished while being numbered`);
  if (r.last_no > receipts_per_store_day_max) throw new RangeError(`more than ${receipts_per_store_day_max} receipts in one store day`);
  return { receiptNo: r.receipt_no, receiptToken: r.receipt_token };
}
