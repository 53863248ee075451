import type { Deps } from '../_runtime/deps';
import { completeOpenOrder } from '../_sales/complete-order';
import { cachedStoreContext } from '../_sales/checkout.service';
import { postEntry } from '../_ledger/journal.repository';
import { businessDate } from '../_runtime/clock';
import type { PaymentChannel, TradeState } from './channel';
import { raiseAlert, recordPaymentEvent } from './events';
import { reserveRefund } from './refunds.repository';
import { tenderAccount } from '../_sales/tender-accounts';
import { formatFen } from '../../shared/money';

/**
 * What applying a platform's word about a trade did, decided in a fixed
 * order: the merchant first, then whether we know the trade, then
 * duplicates, then the amount. Only `applied` and `applied_surplus` change
 * money; everything else leaves the books as they were.
 */
export type SettleOutcome =
  | 'applied'
  | 'applied_surplus'
  | 'duplicate'
  | 'wrong_merchant'
  | 'unknown_order'
  | 'amount_mismatch'
  | 'trade_no_mismatch'
  | 'still_pending'
  | 'closed'
  | 'failed'
  | 'already_final';

export interface SettleResult {
  outcome: SettleOutcome;
  paymentId?: string;
  merchantId?: string;
}

export type SettleSource = 'notify' | 'query' | 'code';

export async function applyTrade(deps: Deps, channel: PaymentChannel, trade: TradeState, source: SettleSource): Promise<SettleResult> {
  if ((trade.merchantNo !== undefined && trade.merchantNo !== channel.merchantNo) || (trade.appId !== undefined && trade.appId !== channel.appId)) {
    return { outcome: 'wrong_merchant' };
  }
  const p = await deps.db.selectFrom('payments').selectAll().where('channel', '=', channel.name).where('out_trade_no', '=', trade.outTradeNo).executeTakeFirst();
  if (!p) return { outcome: 'unknown_order' };
  const ids = { paymentId: p.id, merchantId: p.merchant_id };

  if (trade.state === 'pending') return { outcome: 'still_pending', ...ids };
  if (trade.state !== 'succeeded') {
    if (p.status !== 'pending') return { outcome: 'already_final', ...ids };
    const final = trade.state === 'failed' ? 'failed' : 'closed';
    const changed = await deps.db.transaction().execute(async (trx) => {
      const done = await trx
        .updateTable('payments')
        .set({ status: final, closed_at: deps.clock(), failure_code: trade.failure?.code ?? null, failure_message: trade.failure?.message ?? null })
        .where('id', '=', p.id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (done.numUpdatedRows !== 1n) return false;
      await recordPaymentEvent(trx, { merchantId: p.merchant_id, paymentId: p.id, event: final, source, detail: { platformState: trade.state, failure: trade.failure ?? null } });
      return true;
    });
    return { outcome: changed ? final : 'already_final', ...ids };
  }

  if (p.status === 'succeeded') {
    if (trade.platformTradeNo && p.platform_trade_no !== trade.platformTradeNo) {
      await raiseAlert(deps.db, { merchantId: p.merchant_id, storeId: p.store_id, kind: 'trade_no_mismatch', subjectId: p.id, message: `支付 ${p.out_trade_no} 的平台单号与已记录的不同`, detail: { recorded: p.platform_trade_no, notified: trade.platformTradeNo }, dedupeKey: `trade_no_mismatch:${p.id}:${trade.platformTradeNo}` });
      return { outcome: 'trade_no_mismatch', ...ids };
    }
    return { outcome: 'duplicate', ...ids };
  }
  // Never trust an amount we did not compute: a difference is an alert, never a payment.
  if (trade.amountFen !== p.amount_fen || !trade.platformTradeNo) {
    await deps.db.transaction().execute(async (trx) => {
      await raiseAlert(trx, {
        merchantId: p.merchant_id,
        storeId: p.store_id,
        kind: 'amount_mismatch',
        subjectId: p.id,
        message: `支付 ${p.out_trade_no} 金额不符：应收 ${formatFen(p.amount_fen)}，平台通知 ${trade.amountFen === undefined ? '无金额' : formatFen(trade.amountFen)}，未入账`,
        detail: { expectedFen: p.amount_fen, notifiedFen: trade.amountFen ?? null, source },
        dedupeKey: `amount_mismatch:${p.id}:${trade.amountFen ?? 'none'}`,
      });
      await recordPaymentEvent(trx, { merchantId: p.merchant_id, paymentId: p.id, event: 'amount_mismatch', source, detail: { expectedFen: p.amount_fen, notifiedFen: trade.amountFen ?? null } });
    });
    return { outcome: 'amount_mismatch', ...ids };
  }

  const now = deps.clock();
  const paidAt = trade.paidAt ?? now;
  // Read before the transaction: PGlite lets one connection in at a time.
  const context = await cachedStoreContext(deps.db, p.merchant_id, p.store_id, now);
  return deps.db.transaction().execute(async (trx): Promise<SettleResult> => {
    // The platform is the truth about money: a trade it says is paid becomes
    // paid here whatever we had concluded, but only once.
    const won = await trx
      .updateTable('payments')
      .set({ status: 'succeeded', platform_trade_no: trade.platformTradeNo!, payer_id: trade.payerId ?? p.payer_id, succeeded_at: paidAt, settled_by: source, failure_code: null, failure_message: null })
      .where('id', '=', p.id)
      .where('status', '<>', 'succeeded')
      .executeTakeFirst();
    if (won.numUpdatedRows !== 1n) return { outcome: 'duplicate', ...ids };
    await recordPaymentEvent(trx, { merchantId: p.merchant_id, paymentId: p.id, event: 'succeeded', source, detail: { platformTradeNo: trade.platformTradeNo, amountFen: trade.amountFen } });
    const completed = await completeOpenOrder(trx, p.order_id, { method: p.channel, amountFen: p.amount_fen, reference: trade.platformTradeNo!, paymentId: p.id }, paidAt, async () => context);
    if (completed) return { outcome: 'applied', ...ids };

    // Money arrived for an order that is already paid or was cancelled: it is
    // not a sale. Book it as owed back and refund it through the platform.
    await trx.updateTable('payments').set({ surplus: true }).where('id', '=', p.id).execute();
    const day = businessDate(now);
    await postEntry(trx, {
      merchantId: p.merchant_id,
      storeId: p.store_id,
      eventKey: `surplus:${p.id}`,
      businessDate: day,
      occurredAt: paidAt,
      memo: '重复或逾期支付，待退款',
      lines: [
        { account: tenderAccount(p.channel), debitFen: p.amount_fen },
        { account: 'unapplied_receipts', creditFen: p.amount_fen },
      ],
    });
    const refundId = await reserveRefund(trx, { payment: p, amountFen: p.amount_fen, reason: '重复支付退款', returnId: null, createdBy: null, at: now });
    await postEntry(trx, {
      merchantId: p.merchant_id,
      storeId: p.store_id,
      eventKey: `surplus_refund:${refundId}`,
      businessDate: day,
      occurredAt: now,
      memo: '重复或逾期支付退回',
      lines: [
        { account: 'unapplied_receipts', debitFen: p.amount_fen },
        { account: tenderAccount(p.channel), creditFen: p.amount_fen },
      ],
    });
    await raiseAlert(trx, {
      merchantId: p.merchant_id,
      storeId: p.store_id,
      kind: 'surplus_payment',
      subjectId: p.id,
      message: `订单 ${p.order_id} 已结清或已取消，又收到一笔 ${formatFen(p.amount_fen)} 的支付，已自动原路退回`,
      detail: { orderId: p.order_id, refundId },
      dedupeKey: `surplus_payment:${p.id}`,
    });
    return { outcome: 'applied_surplus', ...ids };
  });
}
