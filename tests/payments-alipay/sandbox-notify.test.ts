import { createVerify } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useSandbox } from '../_support/sandbox';
import type { ChannelNotification, PaymentChannel } from '../../api/_payments/channel';
import { createAlipayChannel } from '../../api/_payments/alipay/channel';
import { readAlipayPayConfig } from '../../api/_payments/alipay/config';
import { alipay_notify_retry_delays_ms } from '../../tools/sandbox/alipay-pay-notify';
import { sandboxEnv } from '../../tools/sandbox/env';
import { startReceiver, type Receiver } from './receiver';
import { callSandbox } from '../_support/sandbox-client';

const ctx = useSandbox();
let receiver: Receiver;
let serial = 0;

const channel = (): PaymentChannel => createAlipayChannel(readAlipayPayConfig(sandboxEnv(ctx.keys, ctx.sandbox.url)));

beforeAll(async () => {
  receiver = await startReceiver(channel);
});
afterAll(async () => {
  await receiver?.close();
});
beforeEach(async () => {
  receiver.answers.length = 0;
  await control({ mode: 'normal', retryScale: 0.0001 });
});

interface Delivery {
  id: string;
  attempt: number;
  status: number | null;
  reply: string;
  accepted: boolean;
  body: string;
}

const sandbox = (path: string, body?: unknown) => callSandbox(ctx.sandbox.url, path, body);

const control = (body: unknown) => sandbox('/sandbox/notifications/control', body);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A trade.create trade paid by the sandbox payer; its payment notification goes out under the current mode. */
async function paid(fen = 100): Promise<string> {
  serial += 1;
  const outTradeNo = `GN${Date.now()}${serial}`;
  const params = await channel().createJsapi(
    { outTradeNo, amountFen: fen, description: '通知测试', expiresAt: new Date(Date.now() + 600_000), notifyUrl: receiver.url },
    '2088000000000401',
  );
  expect((await sandbox('/sandbox/alipay/pay', { tradeNo: params.channel === 'alipay' ? params.tradeNO : '' })).status).toBe(200);
  return outTradeNo;
}

async function deliveriesFor(outTradeNo: string): Promise<Delivery[]> {
  const { json } = await sandbox('/sandbox/notifications');
  return (json['deliveries'] as Delivery[]).filter((d) => new URLSearchParams(d.body).get('out_trade_no') === outTradeNo);
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(25);
  }
}

const paymentOf = (outTradeNo: string) => (n: ChannelNotification) => n.kind === 'payment' && n.trade.outTradeNo === outTradeNo;

describe('sandbox notifications', () => {
  it('are signed RSA2 by the Alipay platform key over the sorted fields without sign and sign_type (checked apart from the adapter)', async () => {
    const outTradeNo = await paid(1999);
    const [delivery] = await until(() => deliveriesFor(outTradeNo), (d) => d.length > 0);
    const fields = Object.fromEntries(new URLSearchParams(delivery!.body));
    expect(fields).toMatchObject({ notify_type: 'trade_status_sync', trade_status: 'TRADE_SUCCESS', total_amount: '19.99', sign_type: 'RSA2', charset: 'utf-8' });
    const content = Object.keys(fields).filter((k) => k !== 'sign' && k !== 'sign_type').sort().map((k) => `${k}=${fields[k]}`).join('&');
    expect(createVerify('RSA-SHA256').update(content, 'utf8').verify(ctx.keys.alipay.alipayPublicKey, fields['sign']!, 'base64')).toBe(true);
  });

  it('are retried on Alipay’s schedule until the reply is exactly success, with the same notify_id', async () => {
    receiver.answers.push('fail', 'success\n', 'SUCCESS');
    const outTradeNo = await paid();
    const deliveries = await until(() => deliveriesFor(outTradeNo), (d) => d.some((x) => x.accepted));
    expect(deliveries.map((d) => [d.attempt, d.accepted])).toEqual([[1, false], [2, false], [3, false], [4, true]]);
    expect(new Set(deliveries.map((d) => d.id)).size).toBe(1);
    expect(deliveries.map((d) => d.reply)).toEqual(['fail', 'success\n', 'SUCCESS', 'success']);
    expect((await receiver.waitForMatch(paymentOf(outTradeNo))).notificationId).toBe(deliveries[0]!.id);
  });

  it('stop after the last of the eight deliveries Alipay makes', async () => {
    await control({ retryScale: 0.00001 });
    receiver.answers.push(...Array.from({ length: 12 }, () => 'fail'));
    const outTradeNo = await paid();
    const total = alipay_notify_retry_delays_ms.reduce((a, b) => a + b, 0) * 0.00001;
    await sleep(total + 500);
    const deliveries = await deliveriesFor(outTradeNo);
    expect(deliveries.map((d) => d.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(deliveries.every((d) => !d.accepted)).toBe(true);
  });

  it('drop: the next notification is never sent, the one after is', async () => {
    await control({ mode: 'drop', count: 1 });
    const dropped = await paid();
    const sent = await paid();
    await receiver.waitForMatch(paymentOf(sent));
    expect(await deliveriesFor(dropped)).toEqual([]);
    expect((await sandbox('/sandbox/notifications')).json['mode']).toEqual({ kind: 'normal' });
  });

  it('repeat:3: the same notification arrives three times', async () => {
    await control({ mode: 'repeat:3', count: 1 });
    const outTradeNo = await paid();
    const deliveries = await until(() => deliveriesFor(outTradeNo), (d) => d.length >= 3);
    expect(deliveries.map((d) => d.accepted)).toEqual([true, true, true]);
    expect(new Set(deliveries.map((d) => d.id)).size).toBe(1);
    const ids = receiver.received.filter(paymentOf(outTradeNo)).map((n) => n.notificationId);
    expect(ids).toHaveLength(3);
  });

  it('delay:ms holds the first delivery back', async () => {
    await control({ mode: 'delay:400', count: 1 });
    const outTradeNo = await paid();
    await sleep(150);
    expect(await deliveriesFor(outTradeNo)).toEqual([]);
    await receiver.waitForMatch(paymentOf(outTradeNo), 3_000);
  });

  it('reorder: held notifications are released newest first on the next control request', async () => {
    await control({ mode: 'reorder' });
    const outTradeNo = await paid(1000);
    await channel().refund({ outTradeNo, outRefundNo: `${outTradeNo}R1`, refundFen: 100, totalFen: 1000, reason: '退货', notifyUrl: receiver.url });
    await sleep(100);
    expect(await deliveriesFor(outTradeNo)).toEqual([]);
    expect((await sandbox('/sandbox/notifications')).json['held']).toBe(2);
    await control({ mode: 'normal' });
    await receiver.waitForMatch(paymentOf(outTradeNo));
    const kinds = receiver.received.filter((n) => (n.kind === 'payment' ? n.trade.outTradeNo : n.refund.outTradeNo) === outTradeNo).map((n) => n.kind);
    expect(kinds).toEqual(['refund', 'payment']);
  });

  it('the control route refuses unknown modes and out-of-range values', async () => {
    for (const body of [{ mode: 'sometimes' }, { mode: 'repeat:0' }, { mode: 'repeat:21' }, { mode: 'delay:-1' }, { retryScale: 2 }, { count: 0, mode: 'drop' }]) {
      expect((await control(body)).status).toBe(400);
    }
  });
});

describe('sandbox control routes', () => {
  it('payment codes: channel prefixes, validation', async () => {
    const alipay = await sandbox('/sandbox/paycodes', { channel: 'alipay', behaviour: 'success' });
    expect(alipay.status).toBe(201);
    expect(alipay.json['code']).toMatch(/^(2[5-9]|30)\d{16}$/);
    expect(alipay.json['payerId']).toMatch(/^2088\d{12}$/);
    const wechat = await sandbox('/sandbox/paycodes', { channel: 'wechat', behaviour: 'userpaying' });
    expect(wechat.json['code']).toMatch(/^1[0-5]\d{16}$/);
    expect((await sandbox('/sandbox/paycodes', { channel: 'alipay', behaviour: 'lucky' })).status).toBe(400);
    expect((await sandbox('/sandbox/paycodes', { channel: 'alipay', behaviour: 'success', payerId: 'oWx123' })).status).toBe(400);
  });

  it('a WeChat payment code is unknown to Alipay', async () => {
    const wechat = await sandbox('/sandbox/paycodes', { channel: 'wechat', behaviour: 'success' });
    const result = await channel().payWithCode({ outTradeNo: `GW${Date.now()}`, amountFen: 100, description: 'x' }, wechat.json['code']);
    expect(result).toMatchObject({ state: 'failed', failure: { code: 'ACQ.PAYMENT_AUTH_CODE_INVALID' } });
  });

  it('the payer route wants exactly one of tradeNo and qrCode, and a trade it knows', async () => {
    expect((await sandbox('/sandbox/alipay/pay', {})).status).toBe(400);
    expect((await sandbox('/sandbox/alipay/pay', { tradeNo: '1', qrCode: 'x' })).status).toBe(400);
    expect((await sandbox('/sandbox/alipay/pay', { tradeNo: '2026112322001000000000000000' })).status).toBe(404);
    expect((await sandbox('/sandbox/alipay/trades/GTnope')).status).toBe(404);
  });

  it('an expired trade closes and cannot be paid', async () => {
    const outTradeNo = `GE${Date.now()}`;
    const params = await channel().createJsapi({ outTradeNo, amountFen: 100, description: 'x', expiresAt: new Date(Date.now() + 1500), notifyUrl: receiver.url }, '2088000000000402');
    await sleep(2100);
    expect((await sandbox('/sandbox/alipay/pay', { tradeNo: params.channel === 'alipay' ? params.tradeNO : '' })).status).toBe(409);
    expect(await channel().query(outTradeNo)).toMatchObject({ state: 'closed' });
  });
});
