import type { Selectable, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import { preparedSql } from '../_db/prepared-sql.js';
import { completeOpenOrder, finishPaidOrder, settleOrderCtes, type PaidOrder } from '../_sales/index.js';
import type { PaymentsTable } from './tables.js';
import { cachedStoreContext } from '../_sales/index.js';
import { postEntry } from '../_ledger/index.js';
import { businessDate } from '../_kernel/clock.js';
import type { PaymentChannel, TradeState } from './channel.js';
import { recordPaymentEvent } from './events.js';
import { raiseAlert } from '../_alerts/index.js';
import { reserveRefund } from './refunds.repository.js';
import { tenderAccount } from '../_sales/index.js';
import { formatFen } from '../../shared/money.js';
import { shipSoon } from '../_shipping/index.js';
import { sendMessagesSoon } from '../_messages/index.js';
import { creditPaidTopUp } from '../_stored-value/index.js';

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

/** A platform's notification, logged in the settlement's own transaction when it applies money. */
export interface NotificationLog {
  notificationId: string | null;
  /** JSON of the kept headers. */
  headers: string;
  rawBody: string;
  detail: string | null;
}

/**
 * Applies the platform's word about a trade (see `settle`), and once a WeChat
 * payment is newly paid hands it to shipping (发货信息管理), which uploads
 * the mini-program's payments without holding up the caller; its job retries.
 */
export async function applyTrade(deps: Deps, channel: PaymentChannel, trade: TradeState, source: SettleSource, notification?: NotificationLog): Promise<SettleResult & { logged?: boolean }> {
  const result = await settle(deps, channel, trade, source, notification);
  if (result.outcome === 'applied' && channel.name === 'wechat' && result.paymentId) shipSoon(deps, result.paymentId);
  // A paid order may have queued a member message (points earned, #17): wake the sender.
  if (result.outcome === 'applied' && result.merchantId) sendMessagesSoon(deps, result.merchantId);
  return result;
}

/**
 * Whether the platform's word names a merchant other than the one `channel`
 * acts for: the deployment's merchant number and app as before, and in WeChat
 * Pay partner mode (#18) the sub-merchant, which must be named and be this
 * merchant's. A direct channel refuses a word that names a sub-merchant at all.
 * For Alipay as a third-party app the seller (`merchantNo`) and the
 * authorising merchant's app (`auth_app_id`) must both be this merchant's.
 */
export function namesOtherMerchant(channel: PaymentChannel, said: { merchantNo?: string; appId?: string; subMerchantNo?: string; subAppId?: string; authAppId?: string }): boolean {
  if (said.merchantNo !== undefined && said.merchantNo !== channel.merchantNo) return true;
  if (said.appId !== undefined && said.appId !== channel.appId) return true;
  if (said.subMerchantNo !== channel.subMerchantNo) return true;
  if (said.subAppId !== undefined && said.subAppId !== channel.subAppId) return true;
  if (said.authAppId !== undefined && channel.authAppId !== undefined && said.authAppId !== channel.authAppId) return true;
  return false;
}

async function settle(deps: Deps, channel: PaymentChannel, trade: TradeState, source: SettleSource, notification?: NotificationLog): Promise<SettleResult & { logged?: boolean }> {
  if (namesOtherMerchant(channel, trade)) return { outcome: 'wrong_merchant' };
  if (trade.state === 'succeeded' && trade.platformTradeNo && trade.amountFen !== undefined) {
    const applied = await applyPaid(deps, channel, { ...trade, platformTradeNo: trade.platformTradeNo, amountFen: trade.amountFen }, source, notification);
    if (applied) return applied;
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
    if (p.top_up_id !== null) {
      // A stored-value top-up (#17): the same compare-and-set above, then the top-up's own pending→credited.
      if (await creditPaidTopUp(trx, { topUpId: p.top_up_id, paymentId: p.id, amountFen: p.amount_fen, at: paidAt })) return { outcome: 'applied', ...ids };
      await bookTopUpSurplus(trx, p);
      return { outcome: 'applied_surplus', ...ids };
    }
    const completed = await completeOpenOrder(trx, p.order_id!, { method: p.channel, amountFen: p.amount_fen, reference: trade.platformTradeNo!, paymentId: p.id }, paidAt, async () => context);
    if (completed) return { outcome: 'applied', ...ids };

    await bookSurplus(trx, p, paidAt, now);
    return { outcome: 'applied_surplus', ...ids };
  });
}

/**
 * Money arrived for a top-up already credited by another payment: it is
 * flagged and the owner is alerted. It is not refunded automatically, since
 * platform refunds here are of an order's payments; the owner refunds it
 * from the payment's trail.
 */
async function bookTopUpSurplus(trx: Transaction<DB>, p: Selectable<PaymentsTable>): Promise<void> {
  await trx.updateTable('payments').set({ surplus: true }).where('id', '=', p.id).execute();
  await raiseAlert(trx, {
    merchantId: p.merchant_id,
    storeId: p.store_id,
    kind: 'surplus_payment',
    subjectId: p.id,
    message: `储值充值 ${p.top_up_id} 已入账，又收到一笔 ${formatFen(p.amount_fen)} 的支付，请核对后退款`,
    detail: { topUpId: p.top_up_id },
    dedupeKey: `surplus_payment:${p.id}`,
  });
}

/**
 * Money arrived for an order that is already paid or was cancelled: it is
 * not a sale. Book it as owed back and refund it through the platform.
 */
async function bookSurplus(trx: Transaction<DB>, p: Selectable<PaymentsTable>, paidAt: Date, now: Date): Promise<void> {
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
}

/**
 * The usual case, a payment that was not yet succeeded and whose amount is
 * ours, in few round trips: one statement sets the payment (compare-and-set),
 * records its event, sets the order open→paid (compare-and-set), writes the
 * tender and logs the notification. Each compare-and-set re-checks its own
 * row if it waited for a lock, and nothing else in the statement reads what
 * those locks guard. Null when the payment was not settleable this way
 * (unknown, already succeeded, another amount): the caller then reads the
 * payment and names the outcome.
 */
async function applyPaid(
  deps: Deps,
  channel: PaymentChannel,
  trade: TradeState & { platformTradeNo: string; amountFen: number },
  source: SettleSource,
  notification: NotificationLog | undefined,
): Promise<(SettleResult & { logged: boolean }) | null> {
  const now = deps.clock();
  const paidAt = trade.paidAt ?? now;
  const log = notification ?? { notificationId: null, headers: null, rawBody: null, detail: null };
  return deps.db.transaction().execute(async (trx) => {
    const won = await preparedSql<PaidOrder & { payment_id: string; payment_merchant_id: string; payment_store_id: string; order_id: string; channel: 'wechat' | 'alipay'; amount_fen: number; order_total_fen: number | null }>`with p as (
        update payments set status = 'succeeded', platform_trade_no = ${trade.platformTradeNo}, payer_id = coalesce(${trade.payerId ?? null}::text, payer_id),
          succeeded_at = ${paidAt}, settled_by = ${source}, failure_code = null, failure_message = null
        where channel = ${channel.name} and out_trade_no = ${trade.outTradeNo} and status <> 'succeeded' and amount_fen = ${trade.amountFen} and order_id is not null
        returning id, merchant_id, store_id, order_id, channel, amount_fen
      ), e as (
        insert into payment_events (merchant_id, payment_id, event, source, detail)
        select merchant_id, id, 'succeeded', ${source}, ${JSON.stringify({ platformTradeNo: trade.platformTradeNo, amountFen: trade.amountFen })}::jsonb from p
      ), ${settleOrderCtes({ paidAt, reference: trade.platformTradeNo })}, n as (
        insert into payment_notifications (channel, kind, outcome, merchant_id, payment_id, out_trade_no, notification_id, amount_fen, headers, raw_body, detail)
        select p.channel, 'payment', case when exists (select 1 from o) then 'applied' else 'applied_surplus' end, p.merchant_id, p.id, ${trade.outTradeNo},
          ${log.notificationId}::text, p.amount_fen, ${log.headers}::jsonb, ${log.rawBody}::text, ${log.detail}::text
        from p where ${notification !== undefined}
      )
      select p.id as payment_id, p.merchant_id as payment_merchant_id, p.store_id as payment_store_id, p.order_id, p.channel, p.amount_fen,
        o.id, o.merchant_id, o.store_id, o.staff_id, o.member_id, o.business_date::text, o.total_fen as order_total_fen, o.stored_value_fen, o.points_multiplier_bp, o.subtotal_list_fen, o.discount_fen,
        o.points_fen, o.rounding_fen, o.points_earned, o.cost_fen
      from p left join o on true`.execute(trx);
    const row = won.rows[0];
    if (!row) return null;
    const ids = { paymentId: row.payment_id, merchantId: row.payment_merchant_id, logged: notification !== undefined };
    if (row.id === null) {
      const p = await trx.selectFrom('payments').selectAll().where('id', '=', row.payment_id).executeTakeFirstOrThrow();
      await bookSurplus(trx, p, paidAt, now);
      return { outcome: 'applied_surplus', ...ids };
    }
    if (row.order_total_fen! - row.stored_value_fen !== row.amount_fen) throw new Error(`order ${row.order_id} due ${row.order_total_fen! - row.stored_value_fen} differs from the payment ${row.amount_fen}`);
    const context = await cachedStoreContext(trx, row.merchant_id, row.store_id, now);
    await finishPaidOrder(trx, { ...row, cost_fen: Number(row.cost_fen) }, { method: row.channel, amountFen: row.amount_fen, reference: trade.platformTradeNo, paymentId: row.payment_id }, paidAt, context);
    return { outcome: 'applied', ...ids };
  });
}
