import { describe, expect, it } from 'vitest';
import { channelOfAuthCode } from '../../api/_payments/channel';
import { code_payment_wait_ms_max } from '../../api/_payments/limits';
import { checkoutRequest } from '../../shared/api/orders';
import type { PaymentView } from '../../shared/api/payments';
import { auth_code_length_max, auth_code_length_min, cancelledNoteOf, channelOfCode, closingViewOf, newCancelId, newPaymentId, openOrderRequestFor, parseAuthCode, waitingViewOf } from '../../src/services/counter-pay';
import { orderCancelRequest } from '../../shared/api/payments';
import type { CounterBill } from '../../src/services/counter-cart';
import { isDark, qrMatrix } from '../../src/services/qr-matrix';
import { create } from 'qrcode';

const ulid = '01JABCDEFGHJKMNPQRSTVWXYZ0';

describe('payment codes at the counter', () => {
  it.each([
    ['134567890123456789', 'wechat'],
    ['104567890123456789', 'wechat'],
    ['154567890123456789', 'wechat'],
    ['284567890123456789', 'alipay'],
    ['254567890123456789', 'alipay'],
    ['304567890123456789', 'alipay'],
    ['1345 6789 0123 4567 89', 'wechat'],
    ['28-4567-8901-2345-6789', 'alipay'],
  ])('%s is a %s code', (text, channel) => {
    expect(parseAuthCode(text)).toEqual({ ok: true, code: text.replace(/[\s-]/g, ''), channel });
  });

  it.each([
    ['', '请扫描或输入顾客的付款码'],
    ['13456789012345a', '付款码只有数字'],
    ['134567890123456', '付款码应为 16–24 位数字，现在是 15 位'],
    ['1345678901234567890123456', '付款码应为 16–24 位数字，现在是 25 位'],
    ['164567890123456789', '无法识别的付款码：微信付款码以 10–15 开头，支付宝以 25–30 开头'],
    ['094567890123456789', '无法识别的付款码：微信付款码以 10–15 开头，支付宝以 25–30 开头'],
    ['314567890123456789', '无法识别的付款码：微信付款码以 10–15 开头，支付宝以 25–30 开头'],
  ])('%j is refused: %s', (text, message) => {
    expect(parseAuthCode(text)).toEqual({ ok: false, message });
  });

  it('reads the prefix exactly as the server does, at every prefix and at both length limits', () => {
    for (let prefix = 0; prefix <= 99; prefix++) {
      for (const length of [auth_code_length_min - 1, auth_code_length_min, auth_code_length_max, auth_code_length_max + 1]) {
        const code = String(prefix).padStart(2, '0') + '7'.repeat(length - 2);
        expect(channelOfCode(code), code).toBe(channelOfAuthCode(code));
      }
    }
  });

  it('makes a new payment id per attempt', () => {
    const a = newPaymentId();
    const b = newPaymentId();
    expect(a).toMatch(/^pay_[0-9A-Z]{26}$/);
    expect(a).not.toBe(b);
  });
});

describe('the open order for a platform payment', () => {
  const bill: CounterBill = {
    lines: [
      { skuId: `sku_${ulid}`, productId: `prd_${ulid}`, categoryId: `cat_${ulid}`, name: '王老吉', spec: '', unit: '罐', barcode: '6901234567892', retailPriceFen: 450, memberPriceFen: 400, qty: 2 },
      { skuId: `sku_01JABCDEFGHJKMNPQRSTVWXYZ1`, productId: `prd_${ulid}`, categoryId: `cat_${ulid}`, name: '红牛', spec: '', unit: '罐', barcode: '6901234567893', retailPriceFen: 650, memberPriceFen: 650, qty: 1, discount: { kind: 'amount_off', fen: 50, reason: '瑕疵' } },
    ],
  };

  it('has no tenders, waits for payment and is a valid checkout request', () => {
    const request = openOrderRequestFor(bill, { clientOrderId: `ord_${ulid}`, storeId: `sto_${ulid}`, deviceId: 'GT12345678', memberId: `mbr_${ulid}`, pointsToRedeem: 100, expectedTotalFen: 1350 });
    expect(request.tenders).toEqual([]);
    expect(request.awaitPayment).toBe(true);
    expect(request.pointsToRedeem).toBe(100);
    expect(request.lines[1]).toEqual({ skuId: `sku_01JABCDEFGHJKMNPQRSTVWXYZ1`, qty: 1, discount: { kind: 'amount_off', fen: 50, reason: '瑕疵' } });
    expect(checkoutRequest.safeParse(request).success).toBe(true);
  });

  it('leaves points out without a member', () => {
    const request = openOrderRequestFor(bill, { clientOrderId: `ord_${ulid}`, storeId: `sto_${ulid}`, deviceId: 'GT12345678', memberId: null, pointsToRedeem: 100, expectedTotalFen: 1500 });
    expect(request.memberId).toBeUndefined();
    expect(request.pointsToRedeem).toBeUndefined();
  });
});

function payment(over: Partial<PaymentView>): PaymentView {
  return {
    id: `pay_${ulid}`,
    orderId: `ord_${ulid}`,
    channel: 'wechat',
    mode: 'code',
    status: 'pending',
    amountFen: 1350,
    codeUrl: null,
    jsapi: null,
    failure: null,
    waitedMs: 0,
    waitMaxMs: code_payment_wait_ms_max,
    createdAt: new Date(0).toISOString(),
    ...over,
  };
}

describe('what the waiting screen says', () => {
  it.each([
    ['a code just sent', payment({ waitedMs: 0 }), { tone: 'waiting', title: '正在向微信发起扣款…', detail: '已等待 0 秒 / 最多 45 秒', polling: true }],
    ['12.9 s of password entry', payment({ waitedMs: 12_900 }), { tone: 'waiting', title: '顾客正在输入密码…', detail: '已等待 12 秒 / 最多 45 秒', polling: true }],
    ['at the limit', payment({ waitedMs: 45_000 }), { tone: 'waiting', title: '顾客正在输入密码…', detail: '已等待 45 秒 / 最多 45 秒', polling: true }],
    ['past the limit, not yet reversed', payment({ waitedMs: 47_000 }), { tone: 'waiting', title: '顾客正在输入密码…', detail: '已等待 45 秒 / 最多 45 秒', polling: true }],
    ['a QR shown', payment({ mode: 'qr', channel: 'alipay', codeUrl: 'https://qr.alipay.com/x' }), { tone: 'waiting', title: '请顾客用支付宝扫码付款', detail: '顾客付款后这里会自动显示结果', polling: true }],
    ['paid', payment({ status: 'succeeded' }), { tone: 'paid', title: '微信收款成功', detail: '', polling: false }],
    ['insufficient balance', payment({ status: 'failed', failure: { code: 'NOTENOUGH', message: '余额不足' } }), { tone: 'failed', title: '支付失败', detail: '余额不足', polling: false }],
    ['failed without a reason', payment({ status: 'failed' }), { tone: 'failed', title: '支付失败', detail: '平台没有给出原因', polling: false }],
    ['reversed after the wait', payment({ status: 'closed' }), { tone: 'failed', title: '已撤销', detail: '顾客没有在限定时间内确认，这笔付款已撤销，顾客不会被扣款', polling: false }],
    ['a QR closed', payment({ status: 'closed', mode: 'qr' }), { tone: 'failed', title: '已撤销', detail: '这笔收款已关闭', polling: false }],
  ])('%s', (_name, p, expected) => {
    expect(waitingViewOf(p)).toEqual(expected);
  });
});

describe('what the screen says while an open order is cancelled', () => {
  it.each([
    ['no attempt on screen', null, '正在取消订单…', ''],
    ['a failed attempt on screen', payment({ status: 'failed' }), '正在取消订单…', ''],
    ['a WeChat QR shown', payment({ mode: 'qr', codeUrl: 'weixin://wxpay/x' }), '正在关闭微信收款码…', '请顾客不要再扫码；平台确认关闭后才取消订单，若顾客已付款会按线上收款结清'],
    ['an Alipay code being confirmed', payment({ channel: 'alipay', waitedMs: 5_000 }), '正在向支付宝撤销这笔扣款…', '撤销成功前订单不会取消；顾客若已付款，会按线上收款结清'],
  ])('%s', (_name, p, title, detail) => {
    expect(closingViewOf(p)).toEqual({ title, detail });
  });

  it('tells the billing screen what became of the held stock, and keys each cancellation', () => {
    expect(cancelledNoteOf('switch_to_cash')).toBe('待支付订单已取消，库存已放回；请按现金收款');
    expect(cancelledNoteOf('customer_left')).toBe('订单已取消，库存和积分已放回');
    const a = newCancelId();
    expect(a).not.toBe(newCancelId());
    expect(orderCancelRequest.safeParse({ clientCancelId: a, reason: 'switch_to_cash' }).success).toBe(true);
    expect(orderCancelRequest.safeParse({ clientCancelId: newPaymentId(), reason: 'switch_to_cash' }).success).toBe(false);
  });
});

describe('QR modules', () => {
  it.each(['weixin://wxpay/bizpayurl?pr=abc123', 'https://qr.alipay.com/bax01234', 'https://guitai.example.com/q/DEMO01'])('runs of %s replay to the library matrix', (text) => {
    const matrix = qrMatrix(text);
    const { modules } = create(text, { errorCorrectionLevel: 'M' });
    expect(matrix.size).toBe(modules.size);
    for (const runs of matrix.rows) expect(runs.reduce((s, r) => s + r.length, 0)).toBe(matrix.size);
    for (let r = 0; r < matrix.size; r++) for (let c = 0; c < matrix.size; c++) expect(isDark(matrix, r, c)).toBe(Boolean(modules.get(r, c)));
    // The three finder patterns: dark corners at top-left, top-right and bottom-left, light at bottom-right's finder spot.
    expect([isDark(matrix, 0, 0), isDark(matrix, 0, matrix.size - 1), isDark(matrix, matrix.size - 1, 0)]).toEqual([true, true, true]);
  });
});
