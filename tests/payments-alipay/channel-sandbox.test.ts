import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../_support/sandbox';
import type { ChannelNotification, CreateTrade, PaymentChannel } from '../../api/_payments/channel';
import { createAlipayChannel } from '../../api/_payments/alipay/channel';
import { readAlipayPayConfig, type AlipayPayConfig } from '../../api/_payments/alipay/config';
import { sandboxEnv } from '../../tools/sandbox/env';
import { startReceiver, type Receiver } from './receiver';
import { callSandbox } from '../_support/sandbox-client';

const ctx = useSandbox();
let receiver: Receiver;
let serial = 0;

beforeAll(async () => {
  receiver = await startReceiver(() => channel());
  await control({ mode: 'normal', retryScale: 0.0001 });
});
afterAll(async () => {
  await receiver?.close();
});

function config(overrides: Partial<AlipayPayConfig> = {}): AlipayPayConfig {
  return { ...readAlipayPayConfig(sandboxEnv(ctx.keys, ctx.sandbox.url)), ...overrides };
}

function channel(overrides: Partial<AlipayPayConfig> = {}, clock?: () => Date): PaymentChannel {
  return createAlipayChannel(config(overrides), clock ? { clock } : {});
}

function trade(amountFen: number, extra: Partial<CreateTrade> = {}): CreateTrade {
  serial += 1;
  return {
    outTradeNo: `GT${Date.now()}${serial}`,
    amountFen,
    description: '柜台演示商行-DEMO01 订单 A+B',
    expiresAt: new Date(Date.now() + 15 * 60 * 1000),
    notifyUrl: receiver.url,
    ...extra,
  };
}

const sandbox = (path: string, body?: unknown) => callSandbox(ctx.sandbox.url, path, body);

const control = (body: unknown) => sandbox('/sandbox/notifications/control', body);
const peek = async (outTradeNo: string) => (await sandbox(`/sandbox/alipay/trades/${outTradeNo}`)).json['trade'];
const paycode = async (behaviour: string, extra: object = {}) => (await sandbox('/sandbox/paycodes', { channel: 'alipay', behaviour, ...extra })).json as { code: string; payerId: string };

const paymentOf = (outTradeNo: string, state: string) => (n: ChannelNotification) => n.kind === 'payment' && n.trade.outTradeNo === outTradeNo && n.trade.state === state;
const refundOf = (outRefundNo: string) => (n: ChannelNotification) => n.kind === 'refund' && n.refund.outRefundNo === outRefundNo;

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (e) {
    return `${(e as { code?: string }).code ?? 'no code'}: ${(e as Error).message}`;
  }
}

function strangerKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

describe('Alipay config', () => {
  it('reads the sandbox environment, with the seller PID and the mini-program app id defaulting to the app id', () => {
    const read = config();
    expect(read.sellerId).toMatch(/^2088\d{12}$/);
    expect(read.opAppId).toBe(ctx.keys.alipay.appId);
    expect(read.appPrivateKey).toContain('BEGIN PRIVATE KEY');
    expect(channel().merchantNo).toBe(read.sellerId);
    expect(channel().appId).toBe(ctx.keys.alipay.appId);
  });

  it('names a missing or malformed ALIPAY_SELLER_ID', () => {
    const env = sandboxEnv(ctx.keys, ctx.sandbox.url);
    expect(() => readAlipayPayConfig({ ...env, ALIPAY_SELLER_ID: '' })).toThrow(/ALIPAY_SELLER_ID is not set/);
    expect(() => readAlipayPayConfig({ ...env, ALIPAY_SELLER_ID: '2088123' })).toThrow(/ALIPAY_SELLER_ID must be/);
    expect(() => readAlipayPayConfig({ ...env, ALIPAY_OP_APP_ID: 'wx123' })).toThrow(/ALIPAY_OP_APP_ID/);
  });
});

describe('mini-program payment (trade.create) against the sandbox', () => {
  it('creates a trade for my.tradePay, waits, and is paid: notification and query agree', async () => {
    const wanted = trade(1999);
    const params = await channel().createJsapi(wanted, '2088000000000101');
    expect(params).toEqual({ channel: 'alipay', tradeNO: expect.stringMatching(/^\d{28}$/) });
    const held = await peek(wanted.outTradeNo);
    expect(held).toMatchObject({ product: 'create', status: 'WAIT_BUYER_PAY', totalAmount: '19.99', buyerId: '2088000000000101', notifyUrl: receiver.url, subject: wanted.description });
    expect(await channel().query(wanted.outTradeNo)).toMatchObject({ state: 'pending', amountFen: 1999, payerId: '2088000000000101' });

    expect((await sandbox('/sandbox/alipay/pay', { tradeNo: params.channel === 'alipay' ? params.tradeNO : '' })).status).toBe(200);
    const notification = await receiver.waitForMatch(paymentOf(wanted.outTradeNo, 'succeeded'));
    expect(notification).toMatchObject({
      kind: 'payment',
      notificationId: expect.any(String),
      trade: { state: 'succeeded', outTradeNo: wanted.outTradeNo, amountFen: 1999, appId: channel().appId, merchantNo: channel().merchantNo, payerId: '2088000000000101' },
    });
    const queried = await channel().query(wanted.outTradeNo);
    expect(queried).toMatchObject({ state: 'succeeded', amountFen: 1999, platformTradeNo: params.channel === 'alipay' ? params.tradeNO : '' });
    expect(queried.paidAt).toBeInstanceOf(Date);
  });

  it('sends an open id as buyer_open_id, the expiry in Beijing time and the royalty freeze when sharing', async () => {
    const wanted = trade(100, { profitSharing: true, expiresAt: new Date('2030-01-01T00:00:00Z') });
    await channel().createJsapi(wanted, '074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5');
    expect(await peek(wanted.outTradeNo)).toMatchObject({ buyerOpenId: '074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5', buyerId: null, royaltyFreeze: true, expiresAt: '2030-01-01T00:00:00.000Z' });
  });

  it('answers the same unpaid order again with the same trade, and refuses a changed amount', async () => {
    const wanted = trade(500);
    const first = await channel().createJsapi(wanted, '2088000000000102');
    expect(await channel().createJsapi(wanted, '2088000000000102')).toEqual(first);
    expect(await failure(channel().createJsapi({ ...wanted, amountFen: 501 }, '2088000000000102'))).toMatch(/platform_error.*ACQ.CONTEXT_INCONSISTENT/);
  });

  it('closes an unpaid trade, idempotently, and refuses to close a paid one', async () => {
    const wanted = trade(300);
    await channel().createJsapi(wanted, '2088000000000103');
    await channel().cancel(wanted.outTradeNo, 'jsapi');
    expect(await channel().query(wanted.outTradeNo)).toMatchObject({ state: 'closed' });
    expect(await receiver.waitForMatch(paymentOf(wanted.outTradeNo, 'closed'))).toMatchObject({ trade: { amountFen: 300 } });
    await channel().cancel(wanted.outTradeNo, 'jsapi');
    const paid = trade(300);
    const params = await channel().createJsapi(paid, '2088000000000103');
    await sandbox('/sandbox/alipay/pay', { tradeNo: params.channel === 'alipay' ? params.tradeNO : '' });
    expect(await failure(channel().cancel(paid.outTradeNo, 'jsapi'))).toMatch(/^conflict/);
  });

  it('refuses amounts Alipay cannot take before calling', async () => {
    expect(await failure(channel().createJsapi(trade(0), '2088000000000104'))).toMatch(/^validation_failed: .*alipay_trade_fen_min/);
    expect(await failure(channel().createQr(trade(100_000_000_01)))).toMatch(/^validation_failed: .*alipay_trade_fen_max/);
    expect(await failure(channel().refund({ outTradeNo: 'GTx', outRefundNo: 'GTxR1', refundFen: 1.5, totalFen: 2, reason: 'x', notifyUrl: receiver.url }))).toMatch(/^validation_failed/);
  });
});

describe('QR payment (trade.precreate) against the sandbox', () => {
  it('gives a QR code; the trade exists only once scanned; paying notifies', async () => {
    const wanted = trade(1);
    const { codeUrl } = await channel().createQr(wanted);
    expect(codeUrl).toMatch(/^https:\/\/qr\.alipay\.com\//);
    expect(await channel().query(wanted.outTradeNo)).toEqual({ state: 'not_found', outTradeNo: wanted.outTradeNo });
    await sandbox('/sandbox/alipay/pay', { qrCode: codeUrl, outcome: 'scan' });
    expect(await channel().query(wanted.outTradeNo)).toMatchObject({ state: 'pending', amountFen: 1 });
    await sandbox('/sandbox/alipay/pay', { qrCode: codeUrl, buyerId: '2088000000000201' });
    const notification = await receiver.waitForMatch(paymentOf(wanted.outTradeNo, 'succeeded'));
    expect(notification).toMatchObject({ kind: 'payment', trade: { state: 'succeeded', outTradeNo: wanted.outTradeNo, amountFen: 1, payerId: '2088000000000201' } });
    expect(await channel().query(wanted.outTradeNo)).toMatchObject({ state: 'succeeded' });
  });

  it('cancelling an unscanned QR trade succeeds, yet Alipay would still take a late scan until it expires', async () => {
    const wanted = trade(250);
    const { codeUrl } = await channel().createQr(wanted);
    await channel().cancel(wanted.outTradeNo, 'qr');
    // Alipay answers ACQ.TRADE_NOT_EXIST for a trade nobody scanned: the core must refund a payment that still arrives.
    expect((await sandbox('/sandbox/alipay/pay', { qrCode: codeUrl })).status).toBe(200);
    expect(await channel().query(wanted.outTradeNo)).toMatchObject({ state: 'succeeded' });
  });

  it('closes a scanned, unpaid QR trade; the payer then cannot pay it', async () => {
    const wanted = trade(260);
    const { codeUrl } = await channel().createQr(wanted);
    await sandbox('/sandbox/alipay/pay', { qrCode: codeUrl, outcome: 'scan' });
    await channel().cancel(wanted.outTradeNo, 'qr');
    expect(await channel().query(wanted.outTradeNo)).toMatchObject({ state: 'closed' });
    expect((await sandbox('/sandbox/alipay/pay', { qrCode: codeUrl })).status).toBe(409);
  });
});

describe('payment code (trade.pay bar_code) against the sandbox', () => {
  const codeTrade = (fen: number) => {
    const { notifyUrl: _n, expiresAt: _e, ...rest } = trade(fen);
    return rest;
  };

  it('succeeds at once for a success code, naming the payer', async () => {
    const code = await paycode('success');
    expect(code.code).toMatch(/^(2[5-9]|30)\d{14,22}$/);
    const wanted = codeTrade(1234);
    expect(await channel().payWithCode(wanted, code.code)).toMatchObject({ state: 'succeeded', outTradeNo: wanted.outTradeNo, amountFen: 1234, payerId: code.payerId });
    expect(await channel().query(wanted.outTradeNo)).toMatchObject({ state: 'succeeded', amountFen: 1234 });
  });

  it.each([
    ['invalid', 'ACQ.PAYMENT_AUTH_CODE_INVALID'],
    ['insufficient', 'ACQ.BUYER_BALANCE_NOT_ENOUGH'],
  ])('fails for good on a %s code, keeping Alipay’s code and message', async (behaviour, subCode) => {
    const code = await paycode(behaviour);
    const result = await channel().payWithCode(codeTrade(100), code.code);
    expect(result).toMatchObject({ state: 'failed', failure: { code: subCode, message: expect.stringMatching(/.+/) } });
  });

  it('fails on a code used twice or never issued', async () => {
    const code = await paycode('success');
    await channel().payWithCode(codeTrade(100), code.code);
    expect(await channel().payWithCode(codeTrade(100), code.code)).toMatchObject({ state: 'failed', failure: { code: 'ACQ.PAYMENT_AUTH_CODE_INVALID' } });
    expect(await channel().payWithCode(codeTrade(100), '281234567890123456')).toMatchObject({ state: 'failed' });
  });

  it('waits while the payer enters a password, then is paid after the configured number of queries', async () => {
    const code = await paycode('userpaying', { afterQueries: 2 });
    const wanted = codeTrade(150_000);
    expect(await channel().payWithCode(wanted, code.code)).toMatchObject({ state: 'pending', outTradeNo: wanted.outTradeNo });
    expect(await channel().query(wanted.outTradeNo)).toMatchObject({ state: 'pending' });
    expect(await channel().query(wanted.outTradeNo)).toMatchObject({ state: 'succeeded', amountFen: 150_000, payerId: code.payerId });
  });

  it('is paid after the configured time too', async () => {
    const code = await paycode('userpaying', { afterQueries: 100, afterMs: 150 });
    const wanted = codeTrade(200);
    await channel().payWithCode(wanted, code.code);
    expect(await channel().query(wanted.outTradeNo)).toMatchObject({ state: 'pending' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await channel().query(wanted.outTradeNo)).toMatchObject({ state: 'succeeded' });
  });

  it('cancels at the deadline: closes an unpaid trade, refunds one that got paid, and a repeat changes nothing', async () => {
    const waiting = codeTrade(300);
    await channel().payWithCode(waiting, (await paycode('userpaying', { afterQueries: 5 })).code);
    await channel().cancel(waiting.outTradeNo, 'code');
    expect(await channel().query(waiting.outTradeNo)).toMatchObject({ state: 'closed' });
    await channel().cancel(waiting.outTradeNo, 'code');

    const paid = codeTrade(400);
    await channel().payWithCode(paid, (await paycode('success')).code);
    await channel().cancel(paid.outTradeNo, 'code');
    expect(await peek(paid.outTradeNo)).toMatchObject({ status: 'TRADE_CLOSED', refundedFen: 400 });
    await channel().cancel(paid.outTradeNo, 'code');
    expect(await peek(paid.outTradeNo)).toMatchObject({ refundedFen: 400 });
    // Cancelling a trade that never came to be is nothing to do.
    await channel().cancel('GTnever1', 'code');
  });
});

describe('refunds against the sandbox', () => {
  async function paidTrade(fen: number) {
    const wanted = trade(fen);
    const params = await channel().createJsapi(wanted, '2088000000000301');
    await sandbox('/sandbox/alipay/pay', { tradeNo: params.channel === 'alipay' ? params.tradeNO : '' });
    await receiver.waitForMatch(paymentOf(wanted.outTradeNo, 'succeeded'));
    return wanted;
  }

  it('refunds part, a retry with the same out_request_no is the same refund, the query agrees, and a notification says so', async () => {
    const paid = await paidTrade(1000);
    const request = { outTradeNo: paid.outTradeNo, outRefundNo: `${paid.outTradeNo}R1`, refundFen: 250, totalFen: 1000, reason: '退货', notifyUrl: receiver.url };
    expect(await channel().refund(request)).toMatchObject({ state: 'succeeded', outRefundNo: request.outRefundNo, outTradeNo: paid.outTradeNo, refundFen: 250 });
    const notification = await receiver.waitForMatch(refundOf(request.outRefundNo));
    expect(notification).toMatchObject({ kind: 'refund', refund: { state: 'succeeded', outRefundNo: request.outRefundNo, outTradeNo: paid.outTradeNo } });
    expect(await channel().refund(request)).toMatchObject({ state: 'succeeded', outRefundNo: request.outRefundNo, refundFen: 250 });
    expect(await peek(paid.outTradeNo)).toMatchObject({ refundedFen: 250, status: 'TRADE_SUCCESS' });
    expect(await channel().queryRefund(request.outRefundNo, paid.outTradeNo)).toMatchObject({ state: 'succeeded', refundFen: 250, refundedAt: expect.any(Date) });
    expect(await channel().queryRefund(`${paid.outTradeNo}R9`, paid.outTradeNo)).toMatchObject({ state: 'not_found' });
    expect(await channel().refund({ ...request, refundFen: 251 })).toMatchObject({ state: 'failed', failure: { code: 'ACQ.CONTEXT_INCONSISTENT' } });
  });

  it('refuses more than what is left, and a full refund closes the trade while it stays paid', async () => {
    const paid = await paidTrade(600);
    const base = { outTradeNo: paid.outTradeNo, totalFen: 600, reason: '退货', notifyUrl: receiver.url };
    expect(await channel().refund({ ...base, outRefundNo: `${paid.outTradeNo}R1`, refundFen: 601 })).toMatchObject({ state: 'failed', failure: { code: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' } });
    expect(await channel().refund({ ...base, outRefundNo: `${paid.outTradeNo}R2`, refundFen: 100 })).toMatchObject({ state: 'succeeded' });
    expect(await channel().refund({ ...base, outRefundNo: `${paid.outTradeNo}R3`, refundFen: 500 })).toMatchObject({ state: 'succeeded', refundFen: 500 });
    const notification = await receiver.waitForMatch(refundOf(`${paid.outTradeNo}R3`));
    expect(notification).toMatchObject({ kind: 'refund', refund: { outRefundNo: `${paid.outTradeNo}R3` } });
    expect(await peek(paid.outTradeNo)).toMatchObject({ status: 'TRADE_CLOSED', refundedFen: 600 });
    expect(await channel().query(paid.outTradeNo)).toMatchObject({ state: 'succeeded', amountFen: 600 });
    expect(await channel().refund({ ...base, outRefundNo: `${paid.outTradeNo}R4`, refundFen: 1 })).toMatchObject({ state: 'failed', failure: { code: 'ACQ.TRADE_STATUS_ERROR' } });
  });

  it('reports a refund of an unknown trade as not_found', async () => {
    expect(await channel().refund({ outTradeNo: 'GTnone', outRefundNo: 'GTnoneR1', refundFen: 1, totalFen: 1, reason: 'x', notifyUrl: receiver.url })).toMatchObject({ state: 'not_found' });
  });
});

describe('what the adapter will not believe or send', () => {
  it('rejects answers signed by a key other than the Alipay platform key', async () => {
    expect(await failure(channel({ alipayPublicKey: strangerKeys().publicPem }).query('GTwhatever'))).toMatch(/^platform_error/);
  });

  it('is refused when it signs with another app key', async () => {
    expect(await failure(channel({ appPrivateKey: strangerKeys().privatePem }).query('GTwhatever'))).toMatch(/platform_error.*isv.invalid-signature/);
  });

  it('sends its timestamp in Beijing time from the injected clock', async () => {
    expect(await channel({}, () => new Date()).query('GTwhatever')).toMatchObject({ state: 'not_found' });
    // A clock eight hours behind is what a UTC timestamp looks like to Alipay.
    expect(await failure(channel({}, () => new Date(Date.now() - 8 * 3600_000)).query('GTwhatever'))).toMatch(/isv.invalid-timestamp/);
  });

  it('reports an unreachable gateway as platform_error', async () => {
    expect(await failure(channel({ gateway: 'http://127.0.0.1:9/gateway.do' }).query('GTwhatever'))).toMatch(/^platform_error/);
  });

  it('replies to Alipay with exactly success or fail', () => {
    expect(channel().notificationReply(true)).toEqual({ status: 200, contentType: 'text/plain;charset=utf-8', body: 'success' });
    expect(channel().notificationReply(false).body).toBe('fail');
  });
});
