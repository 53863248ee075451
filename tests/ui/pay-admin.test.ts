import { describe, expect, it } from 'vitest';
import { refundView } from '../../shared/api/payments';
import { cashNoteProblem, eventSourceText, paymentEventText, counterRefundLine, refundInFlight, refundNeedsAttention, refundStatusText, trailTargetOf, trailUrl } from '../../src/services/pay-admin';

const statuses = refundView.shape.status.options;

describe('refund states for the counter and the boss', () => {
  it('names every status, and each is exactly one of in flight, needs attention or final', () => {
    for (const s of statuses) {
      expect(refundStatusText(s)).not.toBe(s);
      const final = s === 'succeeded' || s === 'to_cash';
      expect([refundInFlight(s), refundNeedsAttention(s), final].filter(Boolean)).toHaveLength(1);
    }
  });

  it.each([
    [{ channel: 'wechat', status: 'succeeded', failure: null }, '已退回顾客微信'],
    [{ channel: 'alipay', status: 'processing', failure: null }, '正在退回顾客支付宝…'],
    [{ channel: 'wechat', status: 'abnormal', failure: { code: 'ABNORMAL', message: '用户账户异常' } }, '退回微信未成功（用户账户异常），已通知店长处理'],
    [{ channel: 'alipay', status: 'failed', failure: null }, '退回支付宝未成功，已通知店长处理'],
    [{ channel: 'wechat', status: 'to_cash', failure: null }, '店长已改为现金退款'],
  ] as const)('%j → %s', (r, text) => expect(counterRefundLine(r)).toBe(text));
});

describe('drill-down from an alert', () => {
  const refunds = [{ id: 'rfd_01JABCDEFGHJKMNPQRSTVWXYZ0', paymentId: 'pay_01JABCDEFGHJKMNPQRSTVWXYZ0' }];
  it.each([
    ['pay_01JABCDEFGHJKMNPQRSTVWXYZ1', { paymentId: 'pay_01JABCDEFGHJKMNPQRSTVWXYZ1' }],
    ['ord_01JABCDEFGHJKMNPQRSTVWXYZ1', { orderId: 'ord_01JABCDEFGHJKMNPQRSTVWXYZ1' }],
    ['rfd_01JABCDEFGHJKMNPQRSTVWXYZ0', { paymentId: 'pay_01JABCDEFGHJKMNPQRSTVWXYZ0' }],
    ['rfd_01JABCDEFGHJKMNPQRSTVWXYZ9', null],
    ['stf_01JABCDEFGHJKMNPQRSTVWXYZ9', null],
    [null, null],
  ])('%s', (subject, target) => expect(trailTargetOf(subject, refunds)).toEqual(target));

  it('builds the trail page address', () => {
    expect(trailUrl({ paymentId: 'pay_X' })).toBe('/pages/boss/payments/trail?paymentId=pay_X');
    expect(trailUrl({ orderId: 'ord_X' })).toBe('/pages/boss/payments/trail?orderId=ord_X');
  });
});

describe('the note for a cash refund', () => {
  it.each([
    ['', '请写明现金退款的说明（例如：已当面退现金给顾客）'],
    ['   ', '请写明现金退款的说明（例如：已当面退现金给顾客）'],
    ['已当面退现金', null],
    ['x'.repeat(200), null],
    ['x'.repeat(201), '说明最多 200 字（refund_cash_note_length_max）'],
  ])('%j', (note, problem) => expect(cashNoteProblem(note)).toBe(problem));
});

describe('the trail in the owner\'s words', () => {
  it.each([
    ['created', '发起收款'],
    ['refund_succeeded', '退款成功'],
    ['closed_at_platform', '在平台关闭交易'],
    ['something_new', 'something_new'],
  ])('event %s → %s', (event, text) => expect(paymentEventText(event)).toBe(text));
  it.each([
    ['query', '主动查询'],
    ['notify', '平台通知'],
    ['return', '退货'],
    ['other', 'other'],
  ])('source %s → %s', (source, text) => expect(eventSourceText(source)).toBe(text));
});
