import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { ShippingOutcome, ShippingUploadsTable } from './tables.js';
import { shipping_job_batch_max, shipping_lookback_days, shipping_retry_backoff_ms_base, shipping_upload_attempts_max } from './limits.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Outcomes after which nothing is left to upload for the payment. */
export const done_outcomes: readonly ShippingOutcome[] = ['uploaded', 'already_shipped'];

export interface ShippablePayment {
  id: string;
  merchant_id: string;
  store_id: string;
  order_id: string;
  out_trade_no: string;
  transaction_id: string;
  openid: string;
}

/**
 * A payment that needs shipping information: paid in the WeChat mini-program
 * (JSAPI; codes and Native QRs at the counter are not mini-program trades),
 * not money for an order already paid, and not refunded in full.
 */
export async function shippablePayment(db: Db, paymentId: string): Promise<ShippablePayment | undefined> {
  const p = await db
    .selectFrom('payments')
    .select(['id', 'merchant_id', 'store_id', 'order_id', 'out_trade_no', 'platform_trade_no', 'payer_id', 'amount_fen', 'refunded_fen'])
    .where('id', '=', paymentId)
    .where('channel', '=', 'wechat')
    .where('mode', '=', 'jsapi')
    .where('status', '=', 'succeeded')
    .where('surplus', '=', false)
    .executeTakeFirst();
  // A stored-value top-up (#17) ships no goods of an order; its upload as a virtual good is not done yet.
  if (!p || p.order_id === null || !p.platform_trade_no || !p.payer_id || p.refunded_fen >= p.amount_fen) return undefined;
  return { id: p.id, merchant_id: p.merchant_id, store_id: p.store_id, order_id: p.order_id, out_trade_no: p.out_trade_no, transaction_id: p.platform_trade_no, openid: p.payer_id };
}

export async function attemptsOf(db: Db, paymentId: string): Promise<{ count: number; done: boolean }> {
  const rows = await db.selectFrom('shipping_uploads').select(['outcome']).where('payment_id', '=', paymentId).execute();
  return { count: rows.length, done: rows.some((r) => done_outcomes.includes(r.outcome)) };
}

/** The goods of the order, as `name spec*qty`, for `shipping_list[].item_desc`. */
export async function orderGoods(db: Db, orderId: string): Promise<{ name: string; qty: number }[]> {
  const lines = await db.selectFrom('order_lines').select(['product_name', 'spec', 'qty']).where('order_id', '=', orderId).orderBy('line_index').execute();
  return lines.map((l) => ({ name: l.spec ? `${l.product_name} ${l.spec}` : l.product_name, qty: l.qty }));
}

/** Appends one attempt; false when another worker already recorded this attempt number or a finished upload. */
export async function recordAttempt(db: Db, row: Omit<ShippingUploadsTable, 'id' | 'created_at'> & { created_at: Date }): Promise<boolean> {
  const done = await db.insertInto('shipping_uploads').values(row).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
  return done !== undefined;
}

/**
 * Payments the job should try now: shippable, not yet finished, under the
 * attempt limit, and past their backoff (`shipping_retry_backoff_ms_base`
 * doubled for each failed attempt), oldest payment first.
 */
export async function duePayments(db: Db, now: Date, merchantId?: string): Promise<string[]> {
  const rows = await db
    .selectFrom('payments as p')
    .leftJoin('shipping_uploads as u', 'u.payment_id', 'p.id')
    .select('p.id')
    .where('p.channel', '=', 'wechat')
    .$if(merchantId !== undefined, (q) => q.where('p.merchant_id', '=', merchantId!))
    .where('p.mode', '=', 'jsapi')
    .where('p.status', '=', 'succeeded')
    .where('p.surplus', '=', false)
    .where(sql<boolean>`p.refunded_fen < p.amount_fen`)
    .where('p.succeeded_at', '>=', new Date(now.getTime() - shipping_lookback_days * 86_400_000))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('shipping_uploads as d').select('d.id').whereRef('d.payment_id', '=', 'p.id').where('d.outcome', 'in', [...done_outcomes]))))
    .groupBy(['p.id', 'p.succeeded_at'])
    .having(sql<boolean>`count(u.id) < ${shipping_upload_attempts_max}`)
    .having(sql<boolean>`(count(u.id) = 0 or max(u.created_at) + make_interval(secs => ${shipping_retry_backoff_ms_base / 1000}::double precision * power(2, count(u.id) - 1)) <= ${now})`)
    .orderBy('p.succeeded_at')
    .limit(shipping_job_batch_max)
    .execute();
  return rows.map((r) => r.id);
}

/** A payment by WeChat's transaction_id, for the pushes that name only that. */
export async function paymentByTransaction(db: Db, transactionId: string): Promise<{ id: string; merchant_id: string } | undefined> {
  return db.selectFrom('payments').select(['id', 'merchant_id']).where('channel', '=', 'wechat').where('platform_trade_no', '=', transactionId).executeTakeFirst();
}

/** A payment's shipping trail: every upload attempt and every push that named it, oldest first. */
export async function shippingTrail(db: Db, paymentId: string) {
  const [uploads, events] = await Promise.all([
    db.selectFrom('shipping_uploads').selectAll().where('payment_id', '=', paymentId).orderBy('attempt').execute(),
    db.selectFrom('shipping_events').select(['id', 'event', 'confirm_receive_time', 'settlement_time', 'received_at']).where('payment_id', '=', paymentId).orderBy('id').execute(),
  ]);
  return { uploads, events };
}

/**
 * The order's WeChat mini-program payment whose shipping was uploaded, for
 * the shopper's 确认收货 button; undefined when there is none.
 */
export async function confirmableShipment(db: Db, orderId: string): Promise<{ transactionId: string; outTradeNo: string } | undefined> {
  const row = await db
    .selectFrom('payments as p')
    .innerJoin('shipping_uploads as u', 'u.payment_id', 'p.id')
    .select(['p.platform_trade_no', 'p.out_trade_no'])
    .where('p.order_id', '=', orderId)
    .where('p.channel', '=', 'wechat')
    .where('p.mode', '=', 'jsapi')
    .where('p.status', '=', 'succeeded')
    .where('u.outcome', '=', 'uploaded')
    .executeTakeFirst();
  return row?.platform_trade_no ? { transactionId: row.platform_trade_no, outTradeNo: row.out_trade_no } : undefined;
}
