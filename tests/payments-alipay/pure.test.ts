import { describe, expect, it } from 'vitest';
import { alipayAmountToFen, alipay_trade_fen_max, fenToAlipayAmount } from '../../api/_payments/alipay/amount';
import { notificationSignContent, parseNotificationForm } from '../../api/_payments/alipay/form';
import { barCodePayState, parseAlipayTime, queryTradeState, refundCallState, refundQueryState, tradeStatusState } from '../../api/_payments/alipay/state';

describe('Alipay amounts ↔ fen, exactly', () => {
  it.each([
    ['0.01', 1],
    ['0.1', 10],
    ['0.10', 10],
    ['1', 100],
    ['12.3', 1230],
    ['19.99', 1999],
    ['0.29', 29], // 0.29 * 100 is 28.999999999999996 in floating point
    ['1.15', 115], // 1.15 * 100 is 114.99999999999999
    ['100000000.00', 100_000_000_00],
    ['0', 0],
  ])('reads %s as %i fen', (yuan, fen) => {
    expect(alipayAmountToFen(yuan)).toBe(fen);
  });

  it.each(['', '1.234', '0.001', '-1.00', '+1', ' 1.00', '1.00 ', '1e2', '.5', '5.', '1,000.00', '０.01', 'NaN'])('refuses %j', (yuan) => {
    expect(() => alipayAmountToFen(yuan)).toThrow(RangeError);
  });

  it.each([
    [1, '0.01'],
    [10, '0.10'],
    [100, '1.00'],
    [1999, '19.99'],
    [29, '0.29'],
    [alipay_trade_fen_max, '100000000.00'],
  ])('writes %i fen as %s', (fen, yuan) => {
    expect(fenToAlipayAmount(fen)).toBe(yuan);
  });

  it('refuses amounts outside Alipay range and fractions of a fen', () => {
    expect(() => fenToAlipayAmount(0)).toThrow(/alipay_trade_fen_min/);
    expect(() => fenToAlipayAmount(-1)).toThrow(RangeError);
    expect(() => fenToAlipayAmount(alipay_trade_fen_max + 1)).toThrow(/alipay_trade_fen_max/);
    expect(() => fenToAlipayAmount(1.5)).toThrow(RangeError);
  });

  it('round-trips every amount from 1 fen to 20 yuan and some large ones', () => {
    for (let fen = 1; fen <= 2000; fen++) expect(alipayAmountToFen(fenToAlipayAmount(fen))).toBe(fen);
    for (const fen of [99_999_999_99, 12_345_678_90, alipay_trade_fen_max]) expect(alipayAmountToFen(fenToAlipayAmount(fen))).toBe(fen);
  });
});

describe('notification form and sign content', () => {
  it('decodes once: %2B is a plus, + is a space, %25 stays a percent sign', () => {
    const fields = parseNotificationForm('subject=a%2Bb+c%2520&sign=x%2By&sign_type=RSA2&b=2&a=1');
    expect(fields).toEqual({ subject: 'a+b c%20', sign: 'x+y', sign_type: 'RSA2', b: '2', a: '1' });
    expect(notificationSignContent(fields!)).toBe('a=1&b=2&subject=a+b c%20');
    expect(notificationSignContent(fields!, true)).toBe('a=1&b=2&sign_type=RSA2&subject=a+b c%20');
  });

  it('keeps empty values and JSON values as sent, sorted by name', () => {
    const fields = parseNotificationForm('z=&fund_bill_list=%5B%7B%22amount%22%3A%220.01%22%7D%5D&A=up');
    expect(notificationSignContent(fields!)).toBe('A=up&fund_bill_list=[{"amount":"0.01"}]&z=');
  });

  it('refuses a form that names a field twice', () => {
    expect(parseNotificationForm('a=1&a=2')).toBeUndefined();
  });
});

describe('Alipay times', () => {
  it('reads Beijing times with and without milliseconds', () => {
    expect(parseAlipayTime('2023-12-21 16:26:43')?.toISOString()).toBe('2023-12-21T08:26:43.000Z');
    expect(parseAlipayTime('2015-04-28 15:45:57.320')?.toISOString()).toBe('2015-04-28T07:45:57.320Z');
    expect(parseAlipayTime('2015-04-28T15:45:57')).toBeUndefined();
    expect(parseAlipayTime(undefined)).toBeUndefined();
  });
});

describe('state mapping', () => {
  it.each([
    ['WAIT_BUYER_PAY', 'pending'],
    ['TRADE_SUCCESS', 'succeeded'],
    ['TRADE_FINISHED', 'succeeded'],
    ['TRADE_CLOSED', 'closed'],
    ['TRADE_PENDING', undefined],
    [undefined, undefined],
  ])('trade_status %s → %s', (status, state) => {
    expect(tradeStatusState(status)).toBe(state);
  });

  it.each([
    [{ code: '10000', msg: 'Success', trade_no: 'T1', total_amount: '12.30', buyer_user_id: '2088000000000001' }, { state: 'succeeded', platformTradeNo: 'T1', amountFen: 1230, payerId: '2088000000000001' }],
    [{ code: '10003', msg: ' order success pay inprocess', trade_no: 'T2', total_amount: '0.01' }, { state: 'pending', amountFen: 1 }],
    [{ code: '20000', msg: 'Service Currently Unavailable', sub_code: 'aop.ACQ.SYSTEM_ERROR' }, { state: 'pending' }],
    [{ code: '40004', msg: 'Business Failed', sub_code: 'ACQ.PAYMENT_AUTH_CODE_INVALID', sub_msg: '付款码无效' }, { state: 'failed', failure: { code: 'ACQ.PAYMENT_AUTH_CODE_INVALID', message: '付款码无效' } }],
    [{ code: '40004', msg: 'Business Failed', sub_code: 'ACQ.BUYER_BALANCE_NOT_ENOUGH', sub_msg: '买家余额不足' }, { state: 'failed', failure: { code: 'ACQ.BUYER_BALANCE_NOT_ENOUGH', message: '买家余额不足' } }],
    [{ code: '40004', msg: 'Business Failed', sub_code: 'ACQ.SYSTEM_ERROR', sub_msg: '系统错误' }, { state: 'pending', failure: { code: 'ACQ.SYSTEM_ERROR', message: '系统错误' } }],
  ])('bar-code pay answer %j', (record, expected) => {
    expect(barCodePayState(record, 'O1')).toMatchObject({ outTradeNo: 'O1', ...expected });
  });

  it('leaves a bar-code answer it cannot place unplaced', () => {
    expect(barCodePayState({ code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature' }, 'O1')).toMatchObject({ unplaced: true, code: '40002/isv.invalid-signature' });
  });

  it('maps trade.query: not existing, waiting, paid, closed unpaid, closed after a full refund', () => {
    expect(queryTradeState({ code: '40004', sub_code: 'ACQ.TRADE_NOT_EXIST', sub_msg: '交易不存在' }, 'O1')).toEqual({ state: 'not_found', outTradeNo: 'O1' });
    expect(queryTradeState({ code: '10000', trade_status: 'WAIT_BUYER_PAY', out_trade_no: 'O1', total_amount: '1.00' }, 'O1')).toMatchObject({ state: 'pending', amountFen: 100 });
    const paid = queryTradeState({ code: '10000', trade_status: 'TRADE_SUCCESS', out_trade_no: 'O1', total_amount: '1.00', send_pay_date: '2026-11-23 10:00:00' }, 'O1');
    expect(paid).toMatchObject({ state: 'succeeded', paidAt: new Date('2026-11-23T02:00:00Z') });
    expect(queryTradeState({ code: '10000', trade_status: 'TRADE_CLOSED', out_trade_no: 'O1', total_amount: '1.00' }, 'O1')).toMatchObject({ state: 'closed' });
    expect(queryTradeState({ code: '10000', trade_status: 'TRADE_CLOSED', out_trade_no: 'O1', total_amount: '1.00', send_pay_date: '2026-11-23 10:00:00' }, 'O1')).toMatchObject({ state: 'succeeded' });
    expect(queryTradeState({ code: '10000', trade_status: 'SOMETHING_NEW' }, 'O1')).toMatchObject({ unplaced: true });
    expect(() => queryTradeState({ code: '10000', trade_status: 'TRADE_SUCCESS', total_amount: '1.001' }, 'O1')).toThrow(RangeError);
  });

  it('maps trade.refund: money moved, a retry that moved nothing (query to confirm), refusals', () => {
    expect(refundCallState({ code: '10000', fund_change: 'Y', trade_no: 'T1', gmt_refund_pay: '2026-11-23 10:00:00' }, 'R1', 'O1')).toMatchObject({ needsQuery: false, refund: { state: 'succeeded', outRefundNo: 'R1', outTradeNo: 'O1' } });
    expect(refundCallState({ code: '10000', fund_change: 'N' }, 'R1', 'O1')).toMatchObject({ needsQuery: true });
    expect(refundCallState({ code: '40004', sub_code: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', sub_msg: '退款金额超限' }, 'R1', 'O1')).toMatchObject({ refund: { state: 'failed', failure: { code: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' } } });
    expect(refundCallState({ code: '40004', sub_code: 'ACQ.TRADE_NOT_EXIST', sub_msg: '交易不存在' }, 'R1', 'O1')).toMatchObject({ refund: { state: 'not_found' } });
    expect(refundCallState({ code: '40004', sub_code: 'ACQ.SYSTEM_ERROR', sub_msg: '系统错误' }, 'R1', 'O1')).toMatchObject({ refund: { state: 'pending' } });
  });

  it('maps the refund query: present means refunded, absent means no such refund', () => {
    expect(refundQueryState({ code: '10000', out_request_no: 'R1', refund_amount: '0.50', refund_status: 'REFUND_SUCCESS' }, 'R1', 'O1')).toMatchObject({ state: 'succeeded', refundFen: 50 });
    expect(refundQueryState({ code: '10000', out_request_no: 'R1', refund_amount: '0.50' }, 'R1', 'O1')).toMatchObject({ state: 'succeeded', refundFen: 50 });
    expect(refundQueryState({ code: '10000', trade_no: 'T1' }, 'R1', 'O1')).toEqual({ state: 'not_found', outRefundNo: 'R1', outTradeNo: 'O1' });
    expect(refundQueryState({ code: '40004', sub_code: 'ACQ.TRADE_NOT_EXIST' }, 'R1', 'O1')).toMatchObject({ state: 'not_found' });
  });
});
