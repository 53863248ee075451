import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { MemberOrderItem } from '../../shared/api/members.js';
import { member_orders_page_max } from '../../shared/api/members.js';
import type { Receipt } from '../../shared/receipt/model.js';
import { orderViewById } from './order-view.js';
import { receiptOf } from './receipt.js';

/**
 * A member's own orders (#17): from the counter and from the shop, for the
 * member centre, and moving them to another member when two members merge.
 */

/** The orders of a member that reached the till (open and cancelled ones never did), newest first. */
export async function memberOrders(db: Kysely<DB>, me: { merchantId: string; memberId: string }): Promise<MemberOrderItem[]> {
  const rows = await db
    .selectFrom('orders as o')
    .innerJoin('stores as s', 's.id', 'o.store_id')
    .select(['o.id', 'o.receipt_no', 'o.channel', 'o.status', 'o.total_fen', 'o.created_at', 'o.points_earned', 's.name as store_name'])
    .where('o.merchant_id', '=', me.merchantId)
    .where('o.member_id', '=', me.memberId)
    .where('o.status', 'in', ['paid', 'partially_refunded', 'refunded'])
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id', 'desc')
    .limit(member_orders_page_max)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    receiptNo: r.receipt_no,
    channel: r.channel,
    status: r.status,
    totalFen: Number(r.total_fen),
    storeName: r.store_name,
    createdAt: new Date(r.created_at).toISOString(),
    pointsEarned: Number(r.points_earned),
  }));
}

/** The receipt of one of the member's own orders; anyone else's order, or one not paid, is not found. */
export async function memberOrderReceipt(db: Kysely<DB>, me: { merchantId: string; memberId: string }, orderId: string, publicBaseUrl: string): Promise<Receipt> {
  const own = await db
    .selectFrom('orders')
    .select('id')
    .where('id', '=', orderId)
    .where('merchant_id', '=', me.merchantId)
    .where('member_id', '=', me.memberId)
    .where('status', 'in', ['paid', 'partially_refunded', 'refunded'])
    .executeTakeFirst();
  if (!own) throw new AppError('not_found', '找不到这笔订单');
  return receiptOf(db, await orderViewById(db, me.merchantId, orderId), publicBaseUrl);
}

/** Merge mover: the absorbed member's orders become the survivor's, so history, levels and returns follow the person. */
export async function moveOrdersToMember(trx: Transaction<DB>, m: { merchantId: string; fromMemberId: string; toMemberId: string; mergeId: string }): Promise<void> {
  await trx.updateTable('orders').set({ member_id: m.toMemberId }).where('merchant_id', '=', m.merchantId).where('member_id', '=', m.fromMemberId).execute();
}
