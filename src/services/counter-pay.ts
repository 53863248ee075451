import type { CheckoutRequest } from '../../shared/api/orders';
import type { PaymentView } from '../../shared/api/payments';
import { newId } from '../../shared/ids';
import type { Fen } from '../../shared/money';
import type { CounterBill } from './counter-cart';

export { payment_poll_interval_ms } from './payment-poll';

/** A payment code (付款码) is 16–24 digits, as the server checks. */
export const auth_code_length_min = 16;
export const auth_code_length_max = 24;

/** Sent by the payment screen when an order is paid, so the billing screen clears that bill. */
export const counter_paid_event = 'counter:paid';

export type PayChannel = 'wechat' | 'alipay';

export const channelNames: Readonly<Record<PayChannel, string>> = { wechat: '微信', alipay: '支付宝' };

/**
 * Sent by the payment screen when its open order was cancelled (the customer pays cash or leaves), so the
 * billing screen keeps the cart but forgets the cancelled order: the next platform payment is a new order.
 */
export const counter_cancelled_event = 'counter:cancelled';

export type CancelReason = 'switch_to_cash' | 'customer_left';

export interface CounterCancelled {
  orderId: string;
  reason: CancelReason;
}

/** What the billing screen says once it is back, so the assistant knows the held stock is free again. */
export function cancelledNoteOf(reason: CancelReason): string {
  return reason === 'switch_to_cash' ? '待支付订单已取消，库存已放回；请按现金收款' : '订单已取消，库存和积分已放回';
}

/** The waiting line while the server ends the platform trade: the order is not cancelled until the platform says no money can come. */
export function closingViewOf(payment: PaymentView | null): { title: string; detail: string } {
  if (!payment || payment.status !== 'pending') return { title: '正在取消订单…', detail: '' };
  const name = channelNames[payment.channel];
  return payment.mode === 'code'
    ? { title: `正在向${name}撤销这笔扣款…`, detail: '撤销成功前订单不会取消；顾客若已付款，会按线上收款结清' }
    : { title: `正在关闭${name}收款码…`, detail: '请顾客不要再扫码；平台确认关闭后才取消订单，若顾客已付款会按线上收款结清' };
}

/** A cancellation's idempotency key: a retry after a lost answer or a failed close reuses it. */
export function newCancelId(now: number = Date.now()): string {
  return newId('orderCancel', now);
}

/** A new attempt's id: a retry of the same request reuses it, a new attempt ("换一种方式") takes a new one. */
export function newPaymentId(now: number = Date.now()): string {
  return newId('payment', now);
}

/** The platform a payment code belongs to, by its first two digits (WeChat 10–15, Alipay 25–30). */
export function channelOfCode(code: string): PayChannel | null {
  if (!/^\d+$/.test(code) || code.length < auth_code_length_min || code.length > auth_code_length_max) return null;
  const prefix = Number(code.slice(0, 2));
  if (prefix >= 10 && prefix <= 15) return 'wechat';
  if (prefix >= 25 && prefix <= 30) return 'alipay';
  return null;
}

export type ParsedCode = { ok: true; code: string; channel: PayChannel } | { ok: false; message: string };

/** A typed or scanned payment code: spaces and dashes a person types are dropped, then it must be a code we know. */
export function parseAuthCode(text: string): ParsedCode {
  const code = text.replace(/[\s-]/g, '');
  if (code === '') return { ok: false, message: '请扫描或输入顾客的付款码' };
  if (!/^\d+$/.test(code)) return { ok: false, message: '付款码只有数字' };
  if (code.length < auth_code_length_min || code.length > auth_code_length_max) {
    return { ok: false, message: `付款码应为 ${auth_code_length_min}–${auth_code_length_max} 位数字，现在是 ${code.length} 位` };
  }
  const channel = channelOfCode(code);
  if (!channel) return { ok: false, message: '无法识别的付款码：微信付款码以 10–15 开头，支付宝以 25–30 开头' };
  return { ok: true, code, channel };
}

/** The checkout request for an order that waits for WeChat Pay or Alipay: no tenders, priced without 抹零 (cash only). */
export function openOrderRequestFor(
  bill: CounterBill,
  draft: { clientOrderId: string; storeId: string; deviceId: string; memberId: string | null; pointsToRedeem: number; expectedTotalFen: Fen; discountApprovalCode?: string; couponId?: string | null },
): CheckoutRequest {
  const request: CheckoutRequest = {
    clientOrderId: draft.clientOrderId,
    storeId: draft.storeId,
    lines: bill.lines.map((l) => ({ skuId: l.skuId, qty: l.qty, ...(l.discount ? { discount: l.discount } : {}) })),
    tenders: [],
    expectedTotalFen: draft.expectedTotalFen,
    deviceId: draft.deviceId,
    awaitPayment: true,
  };
  if (bill.orderDiscount) request.orderDiscount = bill.orderDiscount;
  if (draft.memberId) request.memberId = draft.memberId;
  if (draft.memberId && draft.pointsToRedeem > 0) request.pointsToRedeem = draft.pointsToRedeem;
  if (draft.memberId && draft.couponId) request.couponIds = [draft.couponId];
  if (draft.discountApprovalCode) request.discountApprovalCode = draft.discountApprovalCode;
  return request;
}

export type WaitTone = 'waiting' | 'paid' | 'failed';

export interface WaitingView {
  tone: WaitTone;
  title: string;
  detail: string;
  /** Whether the screen keeps asking the server. */
  polling: boolean;
}

/** Whole seconds, rounded down, so "已等待 12 秒" never runs ahead of the server. */
function seconds(ms: number): number {
  return Math.max(0, Math.floor(ms / 1000));
}

/**
 * What the waiting screen says about one attempt, from the server's view of
 * it only: the counter never guesses that money moved. A code still pending
 * is the customer confirming on their phone; the server reverses it after
 * `waitMaxMs`, so the screen shows both numbers.
 */
export function waitingViewOf(payment: PaymentView): WaitingView {
  const name = channelNames[payment.channel];
  switch (payment.status) {
    case 'succeeded':
      return { tone: 'paid', title: `${name}收款成功`, detail: '', polling: false };
    case 'failed':
      return { tone: 'failed', title: '支付失败', detail: payment.failure?.message || '平台没有给出原因', polling: false };
    case 'closed':
      return {
        tone: 'failed',
        title: '已撤销',
        detail: payment.failure?.message || (payment.mode === 'code' ? '顾客没有在限定时间内确认，这笔付款已撤销，顾客不会被扣款' : '这笔收款已关闭'),
        polling: false,
      };
    case 'pending':
      if (payment.mode === 'code') {
        const waited = seconds(payment.waitedMs);
        const max = seconds(payment.waitMaxMs);
        return {
          tone: 'waiting',
          title: payment.waitedMs > 0 ? '顾客正在输入密码…' : `正在向${name}发起扣款…`,
          detail: `已等待 ${Math.min(waited, max)} 秒 / 最多 ${max} 秒`,
          polling: true,
        };
      }
      return { tone: 'waiting', title: `请顾客用${name}扫码付款`, detail: '顾客付款后这里会自动显示结果', polling: true };
  }
}
