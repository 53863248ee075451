import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Which refunds a manager's list shows: `attention` those a manager must
 * retry or pay in cash, `open` every one not yet settled, `all` every one.
 */
export type RefundListStatus = 'attention' | 'open' | 'all';

/** The newest hundred refunds of the given stores, filtered by status and, when given, by order. */
export async function refundsOfStores(db: Db, f: { merchantId: string; storeIds: string[]; status: RefundListStatus; orderId: string | undefined }): Promise<Selectable<DB['platform_refunds']>[]> {
  // An empty store list must match nothing, and `in ()` is not valid SQL, so it is given an id no store has.
  let query = db.selectFrom('platform_refunds').selectAll().where('merchant_id', '=', f.merchantId).where('store_id', 'in', f.storeIds.length > 0 ? f.storeIds : ['-']);
  if (f.status === 'attention') query = query.where('status', 'in', ['failed', 'abnormal', 'closed']);
  if (f.status === 'open') query = query.where('status', 'in', ['pending', 'processing', 'failed', 'abnormal', 'closed']);
  if (f.orderId) query = query.where('order_id', '=', f.orderId);
  return query.orderBy('created_at', 'desc').limit(100).execute();
}

/** Filters of the owner's payments list, the stores already narrowed to those the caller may see. */
export interface PaymentsListFilter {
  merchantId: string;
  storeIds: readonly string[];
  /** The business day's bounds, [from, to). */
  from?: Date;
  to?: Date;
  channel?: 'wechat' | 'alipay';
  status?: 'pending' | 'succeeded' | 'failed' | 'closed';
  /** A receipt number, an order id or an out_trade_no, matched exactly. */
  q?: string;
  /** The last id of the previous page: ids are ULIDs, so newest first is id descending. */
  cursor?: string;
  limit: number;
}

/** One page of the merchant's payments in the given stores, newest first, with each order's receipt number; one more row than asked tells there is a next page. */
export async function paymentsOfStores(db: Db, f: PaymentsListFilter) {
  let query = db
    .selectFrom('payments')
    .leftJoin('orders', 'orders.id', 'payments.order_id')
    .select(['payments.id', 'payments.order_id', 'payments.store_id', 'payments.channel', 'payments.mode', 'payments.status', 'payments.amount_fen', 'payments.refunded_fen', 'payments.created_at', 'payments.succeeded_at', 'orders.receipt_no'])
    .where('payments.merchant_id', '=', f.merchantId)
    .where('payments.store_id', 'in', f.storeIds.length > 0 ? [...f.storeIds] : ['-']);
  if (f.from) query = query.where('payments.created_at', '>=', f.from);
  if (f.to) query = query.where('payments.created_at', '<', f.to);
  if (f.channel) query = query.where('payments.channel', '=', f.channel);
  if (f.status) query = query.where('payments.status', '=', f.status);
  if (f.q) {
    const q = f.q;
    query = query.where((eb) => eb.or([eb('orders.receipt_no', '=', q), eb('payments.order_id', '=', q), eb('payments.out_trade_no', '=', q)]));
  }
  if (f.cursor) query = query.where('payments.id', '<', f.cursor);
  const rows = await query.orderBy('payments.id', 'desc').limit(f.limit + 1).execute();
  return { rows: rows.slice(0, f.limit), more: rows.length > f.limit };
}

/** One refund by id; it throws when there is none, as the caller has just acted on it. */
export async function refundById(db: Db, refundId: string): Promise<Selectable<DB['platform_refunds']>> {
  return db.selectFrom('platform_refunds').selectAll().where('id', '=', refundId).executeTakeFirstOrThrow();
}

/** One payment of the merchant, or undefined when the merchant has no such payment. */
export async function paymentOfMerchant(db: Db, merchantId: string, paymentId: string): Promise<Selectable<DB['payments']> | undefined> {
  return db.selectFrom('payments').selectAll().where('id', '=', paymentId).where('merchant_id', '=', merchantId).executeTakeFirst();
}

/**
 * A payment's trail: its state changes, every notification the platform sent
 * for its out_trade_no with the outcome, and its refunds, each oldest first.
 */
export async function paymentTrail(db: Db, p: Pick<Selectable<DB['payments']>, 'id' | 'channel' | 'out_trade_no'>) {
  const [events, notifications, refunds] = await Promise.all([
    db.selectFrom('payment_events').selectAll().where('payment_id', '=', p.id).orderBy('id').execute(),
    db.selectFrom('payment_notifications').select(['id', 'kind', 'outcome', 'amount_fen', 'received_at', 'detail']).where('channel', '=', p.channel).where('out_trade_no', '=', p.out_trade_no).orderBy('id').execute(),
    db.selectFrom('platform_refunds').selectAll().where('payment_id', '=', p.id).orderBy('created_at').execute(),
  ]);
  return { events, notifications, refunds };
}

/** The payment attempts of one order, oldest first. */
export async function paymentsOfOrder(db: Db, orderId: string): Promise<Selectable<DB['payments']>[]> {
  return db.selectFrom('payments').selectAll().where('order_id', '=', orderId).orderBy('created_at').execute();
}

/** The platform refunds of one order of the merchant, oldest first. */
export async function refundsOfOrder(db: Db, merchantId: string, orderId: string): Promise<Selectable<DB['platform_refunds']>[]> {
  return db.selectFrom('platform_refunds').selectAll().where('merchant_id', '=', merchantId).where('order_id', '=', orderId).orderBy('created_at').execute();
}
