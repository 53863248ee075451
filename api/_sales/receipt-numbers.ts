import { sql, type RawBuilder, type Transaction } from 'kysely';
import { preparedSql } from '../_db/prepared-sql.js';
import type { DB } from '../_db/schema.js';
import { newReceiptToken, pickupCodeOffset, pickupCodeSql } from './pickup-code.js';

/**
 * Receipt numbers are padded to this many digits and grow past them: a busy
 * store day must never run out of numbers, and truncating a longer number
 * would collide with an earlier receipt on the unique index.
 */
export const receipt_no_digits_min = 4;

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
  const row = await preparedSql<{ receipt_no: string; receipt_token: string }>`with ${after ? sql`${after.ctes},` : sql``} c as (
      insert into receipt_counters (store_id, business_date, last_no) select ${store.id}::text, ${businessDate}::date, 1 where ${after ? after.written : sql`true`}
      on conflict (store_id, business_date) do update set last_no = receipt_counters.last_no + 1
      returning last_no
    )
    update orders set receipt_no = ${prefix} || lpad(c.last_no::text, greatest(${sql.lit(receipt_no_digits_min)}, length(c.last_no::text)), '0'),
      receipt_token = coalesce(orders.receipt_token, ${newReceiptToken()}::text),
      pickup_code = case when orders.channel = 'self_service' then ${pickupCodeSql(sql<number>`c.last_no`, pickupCodeOffset(store.id, businessDate))} end
    from c where orders.id = ${orderId}
    returning orders.receipt_no, orders.receipt_token`.execute(trx);
  const r = row.rows[0];
  if (!r) throw new Error(`order ${orderId} vanished while being numbered`);
  return { receiptNo: r.receipt_no, receiptToken: r.receipt_token };
}
