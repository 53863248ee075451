import type { Selectable } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError, isAppError } from '../_kernel/errors.js';
import { requestHash } from '../_kernel/idempotency.js';
import { assertStoreAccess } from '../_identity/index.js';
import { audit } from '../_audit/index.js';
import { cancelOpenOrder } from '../_sales/index.js';
import { orderViewById } from '../_sales/index.js';
import type { OrderCancelRequest, OrderCancelResponse } from '../../shared/api/payments.js';
import type { TradeState } from './channel.js';
import { applyTrade } from './settle.js';
import { paymentChannelFor } from './merchant-channel.js';
import { bookEnded, endAtPlatform } from './end-attempt.js';

type PaymentRow = Selectable<DB['payments']>;
type CancelOutcome = OrderCancelResponse['outcome'];

/**
 * Rounds of closing the order's pending attempts before it is cancelled. A
 * second round is needed only when another attempt was started while the
 * first round ran; a third finding yet another is refused.
 */
export const order_cancel_close_rounds_max = 3;

const channelLabel = (c: 'wechat' | 'alipay') => (c === 'wechat' ? '微信支付' : '支付宝');

/** What the platform said settles the attempt: anything but a paid trade whose amount or merchant we could not accept. */
async function settle(deps: Deps, p: PaymentRow, trade: TradeState): Promise<void> {
  const { outcome } = await applyTrade(deps, await paymentChannelFor(deps, p.merchant_id, p.channel), trade, 'query');
  if (outcome === 'amount_mismatch' || outcome === 'wrong_merchant' || outcome === 'trade_no_mismatch') {
    throw new AppError('conflict', `${channelLabel(p.channel)}对支付 ${p.id} 的回答与订单不符（${outcome}），已提醒老板核对；订单暂不能取消`);
  }
}

/**
 * Makes sure no money can still arrive for one pending attempt. The platform
 * is asked first: a trade already paid is settled (the order becomes a sale),
 * and a payment code the customer confirmed is never reversed, since a
 * reversal would refund it. An unpaid trade is then ended there (close for a
 * QR or mini-program trade, reverse/cancel for a payment code) as the sweep
 * does. A reversal is final; a closed QR trade is asked about once more, since
 * the customer may have paid a moment before the close.
 */
async function closeAttempt(deps: Deps, p: PaymentRow, actorId: string): Promise<void> {
  const channel = await paymentChannelFor(deps, p.merchant_id, p.channel);
  const first = await channel.query(p.out_trade_no);
  if (first.state === 'succeeded' || first.state === 'closed' || first.state === 'failed') return settle(deps, p, first);
  try {
    await endAtPlatform(deps, channel, p, { source: 'cancel', actorId });
  } catch (e) {
    // A close refused because the trade was paid in the meantime: the platform's word settles it.
    const again = await channel.query(p.out_trade_no);
    if (again.state === 'succeeded') return settle(deps, p, again);
    throw e;
  }
  if (p.mode !== 'code') {
    const after = await channel.query(p.out_trade_no);
    if (after.state === 'succeeded') return settle(deps, p, after);
    if (after.state === 'pending') throw new AppError('platform_error', `${channelLabel(p.channel)}仍显示支付 ${p.id} 待支付，未能关闭`);
  }
  await bookEnded(deps, channel, p, { code: 'CANCELLED', message: p.mode === 'code' ? '订单已取消，已撤销' : '订单已取消，已关闭' });
}

async function closePendingAttempts(deps: Deps, orderId: string, actorId: string): Promise<void> {
  const pending = await deps.db.selectFrom('payments').selectAll().where('order_id', '=', orderId).where('status', '=', 'pending').orderBy('created_at').execute();
  for (const p of pending) {
    try {
      await closeAttempt(deps, p, actorId);
    } catch (e) {
      if (isAppError(e) && e.code === 'conflict') throw e;
      const message = e instanceof Error ? e.message : String(e);
      deps.log.warn('cancel could not close a payment at the platform', { paymentId: p.id, error: message });
      throw new AppError('platform_error', `无法确认${channelLabel(p.channel)}已关闭这笔支付（${message.slice(0, 120)}），订单未取消，顾客的钱不会丢；请稍后再点一次取消`);
    }
  }
}

/** Cancels the order if nothing is pending any more; otherwise says how it ended. `retry` when a new attempt appeared. */
async function cancelIfSettled(deps: Deps, row: Selectable<DB['order_cancellations']>, actorId: string): Promise<CancelOutcome | 'retry'> {
  return deps.db.transaction().execute(async (trx) => {
    const pending = await trx.selectFrom('payments').select('id').where('order_id', '=', row.order_id).where('status', '=', 'pending').executeTakeFirst();
    if (pending) return 'retry';
    let outcome: CancelOutcome;
    if (await cancelOpenOrder(trx, row.order_id, actorId)) {
      const order = await trx.selectFrom('orders').select(['total_fen', 'points_redeemed', 'member_id']).where('id', '=', row.order_id).executeTakeFirstOrThrow();
      const attempts = await trx.selectFrom('payments').select(['id', 'channel', 'mode', 'status']).where('order_id', '=', row.order_id).orderBy('created_at').execute();
      await audit(trx, {
        merchantId: row.merchant_id,
        actorId,
        action: 'order.cancel',
        subjectId: row.order_id,
        detail: { storeId: row.store_id, reason: row.reason, cancelId: row.id, totalFen: order.total_fen, memberId: order.member_id, pointsReturned: order.points_redeemed, attempts },
      });
      outcome = 'cancelled';
    } else {
      const order = await trx.selectFrom('orders').select('status').where('id', '=', row.order_id).executeTakeFirstOrThrow();
      outcome = order.status === 'cancelled' ? 'cancelled' : 'already_paid';
    }
    await trx.updateTable('order_cancellations').set({ status: outcome, finished_at: deps.clock() }).where('id', '=', row.id).where('status', '=', 'closing').execute();
    return outcome;
  });
}

/**
 * The counter cancels an order that waits for a platform payment, for
 * instance because the customer pays cash instead. No money may still be on
 * its way when the order is cancelled: every pending attempt is first ended
 * at the platform, and if the platform says one was paid, the order is
 * settled as a sale and the answer says `already_paid`. A payment that still
 * arrives after the cancellation (an Alipay QR scanned after its close, which
 * Alipay cannot close before it is scanned) is booked as owed and refunded by
 * the settlement (`applied_surplus`). The client's key is written before the
 * platform is called, so a repeat after a failed close finishes the job.
 */
export async function cancelCounterOrder(deps: Deps, staff: StaffPrincipal, orderId: string, input: OrderCancelRequest): Promise<OrderCancelResponse> {
  const order = await deps.db.selectFrom('orders').select(['id', 'store_id', 'channel']).where('id', '=', orderId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
  if (!order) throw new AppError('not_found', `找不到订单 ${orderId}`);
  await assertStoreAccess(deps.db, staff, order.store_id);
  const hash = requestHash({ orderId, reason: input.reason });

  let row = await deps.db.selectFrom('order_cancellations').selectAll().where('id', '=', input.clientCancelId).executeTakeFirst();
  if (!row) {
    if (order.channel !== 'counter') throw new AppError('invalid_state', '顾客在商城下的单由顾客自己支付，未付会到期自动取消；柜台不能取消');
    row = await deps.db
      .insertInto('order_cancellations')
      .values({ id: input.clientCancelId, merchant_id: staff.merchantId, store_id: order.store_id, order_id: orderId, reason: input.reason, request_hash: hash, status: 'closing', created_by: staff.staffId, created_at: deps.clock() })
      .onConflict((oc) => oc.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
    row ??= await deps.db.selectFrom('order_cancellations').selectAll().where('id', '=', input.clientCancelId).executeTakeFirstOrThrow();
  }
  if (row.merchant_id !== staff.merchantId || row.order_id !== orderId || row.request_hash !== hash) {
    throw new AppError('idempotency_mismatch', `取消号 ${input.clientCancelId} 已用于另一次取消`);
  }
  if (row.status !== 'closing') return { outcome: row.status, order: await orderViewById(deps.db, staff.merchantId, orderId), replayed: true };

  for (let round = 0; round < order_cancel_close_rounds_max; round++) {
    await closePendingAttempts(deps, orderId, staff.staffId);
    const outcome = await cancelIfSettled(deps, row, staff.staffId);
    if (outcome !== 'retry') return { outcome, order: await orderViewById(deps.db, staff.merchantId, orderId), replayed: false };
  }
  throw new AppError('conflict', `取消期间又发起了新的支付（order_cancel_close_rounds_max = ${order_cancel_close_rounds_max}），请先停止收款再取消`);
}
