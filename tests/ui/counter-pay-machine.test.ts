import { describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api/orders';
import type { PaymentView } from '../../shared/api/payments';
import {
  cancelRetryable,
  canSwitch,
  chargeRetryable,
  initialPayState,
  PayMachine,
  payTransition,
  shouldPoll,
  waitingPayment,
  type PayEvent,
  type PayState,
} from '../../src/services/counter-pay-machine';
import { ApiError } from '../../src/services/errors';

const open = { id: 'ord_1', status: 'open', totalFen: 1200, tenders: [] } as unknown as OrderView;
const paid = { ...open, status: 'paid' } as unknown as OrderView;

function payment(over: Partial<PaymentView> = {}): PaymentView {
  return {
    id: 'pay_1',
    orderId: 'ord_1',
    channel: 'wechat',
    mode: 'qr',
    status: 'pending',
    amountFen: 1200,
    codeUrl: 'weixin://wxpay/bizpayurl?pr=abc',
    jsapi: null,
    failure: null,
    waitedMs: 0,
    waitMaxMs: 60_000,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

function run(events: PayEvent[], from: PayState = initialPayState): PayState {
  return events.reduce(payTransition, from);
}

const waitingQr: PayState = run([{ type: 'order', order: open }, { type: 'charge', key: 'qr:wechat', freshId: 'pid_1' }, { type: 'charged', order: open, payment: payment() }, { type: 'charge_ended' }]);

describe('the payment machine: choosing and entering a code', () => {
  it('starts on the choice, with nothing sent and nothing in flight', () => {
    expect(initialPayState).toEqual({ order: null, step: { kind: 'choose' }, charging: false, sent: null, closing: null, cancelSent: null });
  });

  it('keeps the order the server last sent', () => {
    expect(run([{ type: 'order', order: open }]).order).toBe(open);
    expect(run([{ type: 'order', order: open }, { type: 'order', order: paid }]).order).toBe(paid);
  });

  it('goes from the choice to code entry, and from nowhere else', () => {
    expect(run([{ type: 'enter_code' }]).step).toEqual({ kind: 'code' });
    expect(payTransition(waitingQr, { type: 'enter_code' })).toBe(waitingQr);
  });

  it('"another" goes back to the choice and forgets the attempt, from code entry or from waiting', () => {
    const fromCode = run([{ type: 'enter_code' }, { type: 'charge', key: 'code:1', freshId: 'pid_1' }, { type: 'charge_failed', retryable: true }, { type: 'charge_ended' }, { type: 'another' }]);
    expect(fromCode.step).toEqual({ kind: 'choose' });
    expect(fromCode.sent).toBeNull();
    const fromWait = payTransition(waitingQr, { type: 'another' });
    expect(fromWait.step).toEqual({ kind: 'choose' });
    expect(fromWait.sent).toBeNull();
  });
});

describe('the payment machine: charging', () => {
  it('a charge is in flight with the fresh id until it ends', () => {
    const sending = run([{ type: 'charge', key: 'qr:wechat', freshId: 'pid_1' }]);
    expect(sending.charging).toBe(true);
    expect(sending.sent).toEqual({ key: 'qr:wechat', clientPaymentId: 'pid_1' });
    expect(payTransition(sending, { type: 'charge_ended' }).charging).toBe(false);
  });

  it('refuses a second charge while one is in flight', () => {
    const sending = run([{ type: 'charge', key: 'qr:wechat', freshId: 'pid_1' }]);
    expect(payTransition(sending, { type: 'charge', key: 'qr:alipay', freshId: 'pid_2' })).toBe(sending);
  });

  it('an answered charge waits on that payment, with the order as the server sent it', () => {
    const p = payment();
    const s = run([{ type: 'charge', key: 'qr:wechat', freshId: 'pid_1' }, { type: 'charged', order: open, payment: p }]);
    expect(s.step).toEqual({ kind: 'wait', payment: p });
    expect(s.order).toBe(open);
    expect(waitingPayment(s)).toBe(p);
  });

  it('a charge with no answer keeps its id: pressing again repeats the same attempt', () => {
    const lost = run([{ type: 'charge', key: 'code:134567890123456789', freshId: 'pid_1' }, { type: 'charge_failed', retryable: true }, { type: 'charge_ended' }]);
    expect(lost.charging).toBe(false);
    const again = payTransition(lost, { type: 'charge', key: 'code:134567890123456789', freshId: 'pid_2' });
    expect(again.sent).toEqual({ key: 'code:134567890123456789', clientPaymentId: 'pid_1' });
  });

  it('a different request after a lost answer is a new attempt', () => {
    const lost = run([{ type: 'charge', key: 'qr:wechat', freshId: 'pid_1' }, { type: 'charge_failed', retryable: true }, { type: 'charge_ended' }]);
    expect(payTransition(lost, { type: 'charge', key: 'qr:alipay', freshId: 'pid_2' }).sent).toEqual({ key: 'qr:alipay', clientPaymentId: 'pid_2' });
  });

  it('a refused charge forgets its id, so the same request next time is a new attempt', () => {
    const refused = run([{ type: 'charge', key: 'qr:wechat', freshId: 'pid_1' }, { type: 'charge_failed', retryable: false }]);
    expect(refused.sent).toBeNull();
    // Still in flight until the request is over (the screen may read the order again after a conflict).
    expect(refused.charging).toBe(true);
    const next = run([{ type: 'order', order: paid }, { type: 'charge_ended' }, { type: 'charge', key: 'qr:wechat', freshId: 'pid_2' }], refused);
    expect(next.order).toBe(paid);
    expect(next.sent).toEqual({ key: 'qr:wechat', clientPaymentId: 'pid_2' });
  });

  it('a charge after a successful one on the same key reuses the id: the server replays it', () => {
    expect(payTransition(waitingQr, { type: 'charge', key: 'qr:wechat', freshId: 'pid_9' }).sent?.clientPaymentId).toBe('pid_1');
  });

  it('ending when nothing is in flight changes nothing', () => {
    expect(payTransition(initialPayState, { type: 'charge_ended' })).toBe(initialPayState);
    expect(payTransition(initialPayState, { type: 'cancel_ended' })).toBe(initialPayState);
  });

  it('only a request that got no answer may be retried with its id', () => {
    expect(chargeRetryable(new ApiError(0, 'network', '网络不可用'))).toBe(true);
    expect(chargeRetryable(new ApiError(409, 'conflict', '已有收款'))).toBe(false);
    expect(chargeRetryable(new ApiError(502, 'platform_error', '平台错误'))).toBe(false);
    expect(chargeRetryable(new Error('boom'))).toBe(false);
  });
});

describe('the payment machine: waiting and polling', () => {
  it('polls a pending payment, and stops once it is settled', () => {
    expect(shouldPoll(waitingQr)).toBe(true);
    for (const status of ['succeeded', 'failed', 'closed'] as const) {
      const settled = payTransition(waitingQr, { type: 'polled', order: status === 'succeeded' ? paid : open, payment: payment({ status }) });
      expect(shouldPoll(settled)).toBe(false);
      expect(waitingPayment(settled)?.status).toBe(status);
    }
  });

  it('does not poll without a payment to wait on', () => {
    expect(shouldPoll(initialPayState)).toBe(false);
    expect(shouldPoll(run([{ type: 'enter_code' }]))).toBe(false);
  });

  it('a poll answer takes the order and payment the server sent', () => {
    const s = payTransition(waitingQr, { type: 'polled', order: paid, payment: payment({ status: 'succeeded' }) });
    expect(s.order).toBe(paid);
    expect(s.step).toEqual({ kind: 'wait', payment: payment({ status: 'succeeded' }) });
  });

  it('a lost poll waits on the same payment in a new step, so the next ask is scheduled', () => {
    const p = waitingPayment(waitingQr)!;
    const s = payTransition(waitingQr, { type: 'poll_lost', payment: p });
    expect(s.step).not.toBe(waitingQr.step);
    expect(waitingPayment(s)).not.toBe(p);
    expect(waitingPayment(s)).toEqual(p);
    expect(shouldPoll(s)).toBe(true);
  });

  it('may switch away from a QR or a settled code, never from a code the customer is confirming, nor once paid', () => {
    expect(canSwitch(initialPayState)).toBe(true);
    expect(canSwitch(waitingQr)).toBe(true);
    const confirming = payTransition(waitingQr, { type: 'polled', order: open, payment: payment({ mode: 'code', codeUrl: null, waitedMs: 3_000 }) });
    expect(canSwitch(confirming)).toBe(false);
    expect(canSwitch(payTransition(confirming, { type: 'polled', order: open, payment: payment({ mode: 'code', status: 'closed' }) }))).toBe(true);
    expect(canSwitch(payTransition(waitingQr, { type: 'order', order: paid }))).toBe(false);
  });
});

describe('the payment machine: cancelling', () => {
  it('a cancellation is in flight with the fresh id, and stops polling while it is', () => {
    const s = payTransition(waitingQr, { type: 'cancel', reason: 'switch_to_cash', freshId: 'oc_1' });
    expect(s.closing).toBe('switch_to_cash');
    expect(s.cancelSent).toEqual({ reason: 'switch_to_cash', clientCancelId: 'oc_1' });
    expect(shouldPoll(s)).toBe(false);
  });

  it('refuses a cancellation while another one or a charge is in flight', () => {
    const closing = payTransition(waitingQr, { type: 'cancel', reason: 'switch_to_cash', freshId: 'oc_1' });
    expect(payTransition(closing, { type: 'cancel', reason: 'customer_left', freshId: 'oc_2' })).toBe(closing);
    const charging = run([{ type: 'charge', key: 'qr:wechat', freshId: 'pid_1' }]);
    expect(payTransition(charging, { type: 'cancel', reason: 'customer_left', freshId: 'oc_2' })).toBe(charging);
  });

  it('an answered cancellation takes the order and ends', () => {
    const cancelled = { ...open, status: 'cancelled' } as unknown as OrderView;
    const s = run([{ type: 'cancel', reason: 'customer_left', freshId: 'oc_1' }, { type: 'cancel_answered', order: cancelled }], waitingQr);
    expect(s.order).toBe(cancelled);
    // The closing state stays up until the request is over (a paid-after-all notice is shown first).
    expect(s.closing).toBe('customer_left');
    expect(payTransition(s, { type: 'cancel_ended' }).closing).toBeNull();
  });

  it('a close the platform did not confirm, or a lost answer, is finished with the same id', () => {
    const failed = run([{ type: 'cancel', reason: 'switch_to_cash', freshId: 'oc_1' }, { type: 'cancel_failed', retryable: true }, { type: 'cancel_ended' }], waitingQr);
    expect(failed.closing).toBeNull();
    expect(payTransition(failed, { type: 'cancel', reason: 'switch_to_cash', freshId: 'oc_2' }).cancelSent).toEqual({ reason: 'switch_to_cash', clientCancelId: 'oc_1' });
    // Another reason is another cancellation.
    expect(payTransition(failed, { type: 'cancel', reason: 'customer_left', freshId: 'oc_2' }).cancelSent).toEqual({ reason: 'customer_left', clientCancelId: 'oc_2' });
  });

  it('any other refusal starts afresh', () => {
    const refused = run([{ type: 'cancel', reason: 'switch_to_cash', freshId: 'oc_1' }, { type: 'cancel_failed', retryable: false }, { type: 'cancel_ended' }], waitingQr);
    expect(refused.cancelSent).toBeNull();
    expect(payTransition(refused, { type: 'cancel', reason: 'switch_to_cash', freshId: 'oc_2' }).cancelSent?.clientCancelId).toBe('oc_2');
  });

  it('tells which failures keep the cancellation id', () => {
    expect(cancelRetryable(new ApiError(0, 'network', '网络不可用'))).toBe(true);
    expect(cancelRetryable(new ApiError(502, 'platform_error', '平台没有确认关闭'))).toBe(true);
    expect(cancelRetryable(new ApiError(409, 'conflict', '订单已结清'))).toBe(false);
    expect(cancelRetryable(new Error('boom'))).toBe(true);
  });
});

describe('PayMachine', () => {
  it('holds the current state, so the id to send is known at once', () => {
    const m = new PayMachine();
    expect(m.state).toBe(initialPayState);
    const s = m.send({ type: 'charge', key: 'qr:wechat', freshId: 'pid_1' });
    expect(m.state).toBe(s);
    expect(s.sent?.clientPaymentId).toBe('pid_1');
    expect(m.send({ type: 'charge', key: 'qr:wechat', freshId: 'pid_2' })).toBe(s);
  });
});
