import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { endReservation } from '../_stock/index.js';
import { postPoints } from '../_members/index.js';
import { upgradeLevel } from '../_members/index.js';
import { pointsChangedData, queueMemberMessage } from '../_messages/index.js';
import { rewardReferralOnPaidOrder } from '../_referrals/index.js';
import type { SellingSettings } from './settings.js';
import { postSale } from './sale-journal.js';
import { assignReceiptNo } from './receipt-numbers.js';
import { saleRollupCtes } from '../_reports/index.js';
import { newId } from '../../shared/ids.js';
import { releaseCouponsOfOrder } from '../_coupons/index.js';
import { releaseStoredValueOfOrder } from '../_stored-value/index.js';

/** The store's settings and code, read outside the transaction (checkout's short cache). */
export type ContextSource = (merchantId: string, storeId: string) => Promise<{ settings: SellingSettings; store: { id: string; code: string } }>;

export interface PaidTender {
  method: 'wechat' | 'alipay';
  amountFen: number;
  reference: string;
  paymentId: string;
}

/**
 * Turns an open order into a sale once its money has arrived, in the
 * caller's transaction: compare-and-set open→paid first, so however many
 * notifications and queries race only one of them completes it. The held
 * stock becomes the sale, the earned points are given, the journal entry is
 * posted and the receipt number assigned. Returns false when the order was no
 * longer open (already paid by another attempt, or cancelled).
 */
export async function completeOpenOrder(trx: Transaction<DB>, orderId: string, tender: PaidTender, at: Date, context: ContextSource): Promise<boolean> {
  const order = await trx
    .updateTable('orders')
    .set({ status: 'paid', paid_at: at })
    .where('id', '=', orderId)
    .where('status', '=', 'open')
    .returningAll()
    .returning(sql<number>`(select coalesce(sum(cost_fen), 0) from order_lines where order_lines.order_id = orders.id)::bigint`.as('cost_fen'))
    .executeTakeFirst();
  if (!order) return false;
  if (order.total_fen - order.stored_value_fen !== tender.amountFen) throw new Error(`order ${orderId} due ${order.total_fen - order.stored_value_fen} differs from the payment ${tender.amountFen}`);

  await trx
    .insertInto('order_tenders')
    .values({ id: newId('tender'), merchant_id: order.merchant_id, order_id: order.id, store_id: order.store_id, method: tender.method, amount_fen: tender.amountFen, business_date: order.business_date, reference: tender.reference, payment_id: tender.paymentId, line_no: 0 })
    .execute();
  await finishPaidOrder(trx, { ...order, cost_fen: Number(order.cost_fen) }, tender, at, await context(order.merchant_id, order.store_id));
  return true;
}

/**
 * The order's side of settling a platform payment inside the payments
 * module's one statement: `o` sets the order open→paid (compare-and-set) and
 * returns what finishing the sale needs, with its lines' cost; `t` writes the
 * tender when the amounts agree. Both read the payment from the statement's
 * CTE `p` (order_id, id, channel, amount_fen). The SQL lives here because
 * orders and tenders are this module's tables; the caller only places it.
 */
export function settleOrderCtes(at: { paidAt: Date; reference: string }): RawBuilder<unknown> {
  return sql`o as (
        update orders set status = 'paid', paid_at = ${at.paidAt}
        where id = (select order_id from p) and status = 'open'
        returning id, merchant_id, store_id, staff_id, member_id, business_date, total_fen, stored_value_fen, points_multiplier_bp, subtotal_list_fen, discount_fen, points_fen, rounding_fen, points_earned,
          (select coalesce(sum(cost_fen), 0) from order_lines where order_lines.order_id = orders.id)::bigint as cost_fen
      ), t as (
        insert into order_tenders (id, merchant_id, order_id, store_id, method, amount_fen, business_date, reference, payment_id, line_no)
        select ${newId('tender')}, o.merchant_id, o.id, o.store_id, p.channel, p.amount_fen, o.business_date, ${at.reference}, p.id, 0
        from o, p where o.total_fen - o.stored_value_fen = p.amount_fen
      )`;
}

/** What finishing a sale reads of an order that has just been set from open to paid, with its lines' cost. */
export interface PaidOrder {
  id: string;
  merchant_id: string;
  store_id: string;
  staff_id: string | null;
  member_id: string | null;
  business_date: string;
  subtotal_list_fen: number;
  discount_fen: number;
  points_fen: number;
  rounding_fen: number;
  points_earned: number;
  /** The part drawn from the member's stored value when the order was made (0 for most orders). */
  stored_value_fen: number;
  /** The level's multiplier the earned points were priced at, recorded on their ledger row. */
  points_multiplier_bp: number | null;
  cost_fen: number;
}

/**
 * The rest of completing an order, in the caller's transaction, once the
 * caller has won its compare-and-set to paid and written its tender: the
 * journal entry, the held stock into the sale, the points, the rollups and
 * the receipt number. A part paid from stored value becomes a tender of its
 * own here, after the platform's (a return refunds the platform's first);
 * with no platform tender the stored value paid it all.
 */
export async function finishPaidOrder(trx: Transaction<DB>, order: PaidOrder, tender: PaidTender | null, at: Date, { settings, store }: Awaited<ReturnType<ContextSource>>): Promise<void> {
  const storedValueFen = Number(order.stored_value_fen);
  if (storedValueFen > 0) {
    await trx
      .insertInto('order_tenders')
      .values({ id: newId('tender'), merchant_id: order.merchant_id, order_id: order.id, store_id: order.store_id, method: 'stored_value', amount_fen: storedValueFen, business_date: order.business_date, reference: null, line_no: tender ? 1 : 0 })
      .execute();
  }
  const tenders = [...(tender ? [{ method: tender.method, amountFen: tender.amountFen }] : []), ...(storedValueFen > 0 ? [{ method: 'stored_value' as const, amountFen: storedValueFen }] : [])];
  await postSale(trx, {
    merchantId: order.merchant_id,
    storeId: order.store_id,
    orderId: order.id,
    businessDate: order.business_date,
    occurredAt: at,
    subtotalListFen: order.subtotal_list_fen,
    discountFen: order.discount_fen,
    pointsFen: order.points_fen,
    roundingFen: order.rounding_fen,
    tenders,
    costFen: order.cost_fen,
    pointsEarnedValueFen: Math.floor(order.points_earned / settings.redeemPointsPerFen),
    priceDiffFen: 0,
  });
  // The rows many sales share are locked last, so they are held only until commit:
  // the held stock, the member's points, then the store's receipt counter.
  await endReservation(trx, order.id, 'consume', order.staff_id);
  if (order.member_id && order.points_earned > 0) {
    const posted = await postPoints(trx, { merchantId: order.merchant_id, memberId: order.member_id, delta: order.points_earned, reason: 'earn', refId: order.id, idempotencyKey: `earn:${order.id}`, ...(order.points_multiplier_bp ? { multiplierBp: order.points_multiplier_bp } : {}) });
    // The member hears of it only with their consent (#17); a replayed posting queues nothing new.
    if (posted.created) {
      const data = pointsChangedData({ delta: order.points_earned, balance: posted.balance, reason: 'earn', at });
      await queueMemberMessage(trx, { merchantId: order.merchant_id, memberId: order.member_id, topic: 'points_changed', data, idempotencyKey: `points_changed:earn:${order.id}`, now: at });
    }
  }
  if (order.member_id) await upgradeLevel(trx, order.merchant_id, order.member_id, settings.memberLevels, at);
  // A referred member's first paid purchase rewards the referral (老带新), in this same transaction.
  if (order.member_id) await rewardReferralOnPaidOrder(trx, { merchantId: order.merchant_id, memberId: order.member_id, orderId: order.id, businessDate: order.business_date, at });
  await assignReceiptNo(trx, store, order.business_date, order.id, saleRollupCtes(order.id));
}

/**
 * Finishes a shop order that the member's stored value paid in full, in the
 * transaction that made it (after the draw): compare-and-set open→paid, then
 * the same finishing as a platform payment's, with no platform tender.
 */
export async function completeStoredValueOrder(trx: Transaction<DB>, orderId: string, at: Date, context: Awaited<ReturnType<ContextSource>>): Promise<void> {
  const order = await trx
    .updateTable('orders')
    .set({ status: 'paid', paid_at: at })
    .where('id', '=', orderId)
    .where('status', '=', 'open')
    .whereRef('stored_value_fen', '=', 'total_fen')
    .returningAll()
    .returning(sql<number>`(select coalesce(sum(cost_fen), 0) from order_lines where order_lines.order_id = orders.id)::bigint`.as('cost_fen'))
    .executeTakeFirst();
  if (!order) throw new Error(`order ${orderId} is not an open order paid in full from stored value`);
  await finishPaidOrder(trx, { ...order, cost_fen: Number(order.cost_fen) }, null, at, context);
}

/**
 * Cancels an unpaid order in the caller's transaction, by compare-and-set
 * open→cancelled: its held stock goes back on the shelf and redeemed points
 * and coupons go back to the member. Returns false when it was no longer open.
 */
export async function cancelOpenOrder(trx: Transaction<DB>, orderId: string, by: string | null): Promise<boolean> {
  const order = await trx
    .updateTable('orders')
    .set({ status: 'cancelled' })
    .where('id', '=', orderId)
    .where('status', '=', 'open')
    .returning(['id', 'merchant_id', 'store_id', 'member_id', 'points_redeemed', 'stored_value_fen'])
    .executeTakeFirst();
  if (!order) return false;
  // The stored value drawn for it goes back to the parts it came from.
  if (order.stored_value_fen > 0) await releaseStoredValueOfOrder(trx, { merchantId: order.merchant_id, storeId: order.store_id, orderId: order.id, createdBy: by, at: new Date() });
  await endReservation(trx, order.id, 'release', by);
  if (order.member_id && order.points_redeemed > 0) {
    await postPoints(trx, { merchantId: order.merchant_id, memberId: order.member_id, delta: order.points_redeemed, reason: 'redeem_cancel', refId: order.id, idempotencyKey: `redeem_cancel:${order.id}` });
  }
  if (order.member_id) await releaseCouponsOfOrder(trx, { orderId: order.id, at: new Date() });
  return true;
}
