import type { Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { newId } from '../../shared/ids.js';
import { recordPaymentEvent } from './events.js';

type PaymentRow = Pick<Selectable<DB['payments']>, 'id' | 'merchant_id' | 'store_id' | 'order_id' | 'channel' | 'amount_fen'>;

/**
 * Records a platform refund to be sent, in the caller's transaction. The
 * payment's refunded total goes up by a conditional update that only matches
 * while it stays within what was paid, so no sequence of returns and retries
 * can refund more than the payment took. Its id is the out_refund_no, fixed
 * for every retry.
 */
export async function reserveRefund(
  trx: Transaction<DB>,
  r: { payment: PaymentRow; amountFen: number; reason: string; returnId: string | null; createdBy: string | null; at: Date },
): Promise<string> {
  const taken = await trx
    .updateTable('payments')
    .set({ refunded_fen: sql`refunded_fen + ${r.amountFen}` })
    .where('id', '=', r.payment.id)
    .where('status', '=', 'succeeded')
    .where(sql<boolean>`refunded_fen + ${r.amountFen} <= amount_fen`)
    .executeTakeFirst();
  if (taken.numUpdatedRows !== 1n) throw new AppError('conflict', `退款 ${r.amountFen} 分超过支付 ${r.payment.id} 可退的金额`);
  // A stored-value top-up's payment (#17) is not an order's: its money is refunded through the stored-value refund.
  if (r.payment.order_id === null) throw new Error(`payment ${r.payment.id} pays a top-up, not an order`);
  const orderId = r.payment.order_id;
  const id = newId('refund');
  await trx
    .insertInto('platform_refunds')
    .values({
      id,
      merchant_id: r.payment.merchant_id,
      store_id: r.payment.store_id,
      payment_id: r.payment.id,
      order_id: orderId,
      return_id: r.returnId,
      channel: r.payment.channel,
      out_refund_no: id,
      amount_fen: r.amountFen,
      reason: r.reason,
      status: 'pending',
      created_by: r.createdBy,
      created_at: r.at,
      updated_at: r.at,
    })
    .execute();
  await recordPaymentEvent(trx, { merchantId: r.payment.merchant_id, paymentId: r.payment.id, refundId: id, event: 'refund_requested', source: r.returnId ? 'return' : 'surplus', actorId: r.createdBy, detail: { amountFen: r.amountFen, returnId: r.returnId } });
  return id;
}

/**
 * The platform part of a return: for each WeChat or Alipay share of the
 * refund, reserve a refund against the order's payment on that channel.
 */
export async function reserveReturnRefunds(trx: Transaction<DB>, r: { orderId: string; returnId: string; shares: { method: string; amountFen: number }[]; createdBy: string | null; at: Date }): Promise<string[]> {
  const ids: string[] = [];
  for (const share of r.shares) {
    if (share.method !== 'wechat' && share.method !== 'alipay') continue;
    const payment = await trx
      .selectFrom('payments')
      .select(['id', 'merchant_id', 'store_id', 'order_id', 'channel', 'amount_fen'])
      .where('order_id', '=', r.orderId)
      .where('channel', '=', share.method)
      .where('status', '=', 'succeeded')
      .where('surplus', '=', false)
      .executeTakeFirst();
    if (!payment) throw new Error(`order ${r.orderId} has a ${share.method} tender but no succeeded payment`);
    ids.push(await reserveRefund(trx, { payment, amountFen: share.amountFen, reason: '退货退款', returnId: r.returnId, createdBy: r.createdBy, at: r.at }));
  }
  return ids;
}
