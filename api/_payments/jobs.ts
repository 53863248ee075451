import type { Deps } from '../_kernel/deps.js';
import { expireOpenOrders } from '../_sales/index.js';
import { applyTrade } from './settle.js';
import { applyRefundState, dispatchRefund } from './refunds.service.js';
import { paymentChannelFor } from './merchant-channel.js';
import { bookEnded, endAtPlatform } from './end-attempt.js';
import { runSplitJobs, type SplitJobResult } from '../_split/index.js';
import { payment_close_grace_ms, payment_job_batch_max, payment_query_after_ms, code_payment_wait_ms_max } from './limits.js';

export interface PaymentJobResult {
  queried: number;
  settled: number;
  closed: number;
  refundsSent: number;
  refundsChecked: number;
  ordersExpired: number;
  splits?: SplitJobResult;
}

/**
 * The scheduled sweep that makes a lost notification harmless: payments
 * still pending a while after they started are asked about at the platform
 * and settled or closed; trades that can no longer be paid are closed there
 * too; refunds waiting to be sent are sent, and those sent without an answer
 * are asked about. Only then are expired unpaid orders cancelled, so an
 * order is never cancelled while its money may still be on the way.
 * With a merchant named, only that merchant's payments, refunds, splits and
 * orders are touched: one queue message's share of the sweep.
 */
export async function runPaymentJobs(deps: Deps, scope: { merchantId?: string } = {}): Promise<PaymentJobResult> {
  const { merchantId } = scope;
  const now = deps.clock();
  const result: PaymentJobResult = { queried: 0, settled: 0, closed: 0, refundsSent: 0, refundsChecked: 0, ordersExpired: 0 };

  const pending = await deps.db
    .selectFrom('payments')
    .innerJoin('orders', 'orders.id', 'payments.order_id')
    .select(['payments.id', 'payments.channel', 'payments.mode', 'payments.out_trade_no', 'payments.created_at', 'payments.merchant_id', 'orders.expires_at', 'orders.status as order_status'])
    .where('payments.status', '=', 'pending')
    .where('payments.created_at', '<=', new Date(now.getTime() - Math.min(payment_query_after_ms, code_payment_wait_ms_max)))
    .$if(merchantId !== undefined, (q) => q.where('payments.merchant_id', '=', merchantId!))
    .orderBy('payments.created_at')
    .limit(payment_job_batch_max)
    .execute();
  for (const p of pending) {
    try {
      const channel = await paymentChannelFor(deps, p.merchant_id, p.channel);
      result.queried++;
      let outcome = (await applyTrade(deps, channel, await channel.query(p.out_trade_no), 'query')).outcome;
      if (outcome === 'applied' || outcome === 'applied_surplus') result.settled++;
      const age = now.getTime() - p.created_at.getTime();
      const unpayable =
        (p.mode === 'code' && age >= code_payment_wait_ms_max) ||
        p.order_status !== 'open' ||
        (p.expires_at !== null && now.getTime() - p.expires_at.getTime() >= payment_close_grace_ms);
      if (outcome === 'still_pending' && unpayable) {
        await endAtPlatform(deps, channel, p, { source: 'job' });
        // A reversed code is final (the platform refunds it if it was paid); a
        // closed QR or mini-program trade is closed here too, and should money
        // still arrive for it later the settlement refunds it as a surplus.
        outcome = (await bookEnded(deps, channel, p, { code: 'CLOSED', message: p.mode === 'code' ? '等待超时，已撤销' : '订单超时未支付，已关闭' })).outcome;
      }
      if (outcome === 'closed' || outcome === 'failed') result.closed++;
    } catch (e) {
      deps.log.warn('payment job could not settle a payment', { paymentId: p.id, error: e instanceof Error ? e.message : String(e) });
    }
  }

  const toSend = await deps.db
    .selectFrom('platform_refunds')
    .select('id')
    .where('status', '=', 'pending')
    .$if(merchantId !== undefined, (q) => q.where('merchant_id', '=', merchantId!))
    .orderBy('created_at').limit(payment_job_batch_max).execute();
  for (const r of toSend) {
    if ((await dispatchRefund(deps, r.id)) !== 'not_pending') result.refundsSent++;
  }
  const unanswered = await deps.db
    .selectFrom('platform_refunds')
    .innerJoin('payments', 'payments.id', 'platform_refunds.payment_id')
    .select(['platform_refunds.id', 'platform_refunds.channel', 'platform_refunds.merchant_id', 'platform_refunds.out_refund_no', 'payments.out_trade_no'])
    .where('platform_refunds.status', '=', 'processing')
    .where('platform_refunds.updated_at', '<=', new Date(now.getTime() - payment_query_after_ms))
    .$if(merchantId !== undefined, (q) => q.where('platform_refunds.merchant_id', '=', merchantId!))
    .limit(payment_job_batch_max)
    .execute();
  for (const r of unanswered) {
    try {
      const channel = await paymentChannelFor(deps, r.merchant_id, r.channel);
      result.refundsChecked++;
      await applyRefundState(deps, channel, await channel.queryRefund(r.out_refund_no, r.out_trade_no), 'query');
    } catch (e) {
      deps.log.warn('refund job could not ask the platform', { refundId: r.id, error: e instanceof Error ? e.message : String(e) });
    }
  }

  // Profit sharing after settlement, before expiry: a split needs only paid payments.
  try {
    result.splits = await runSplitJobs(deps, scope);
  } catch (e) {
    deps.log.warn('split job failed', { error: e instanceof Error ? e.message : String(e) });
  }

  result.ordersExpired = (await expireOpenOrders(deps.db, now, merchantId)).orders;
  return result;
}
