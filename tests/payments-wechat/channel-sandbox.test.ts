import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { channelOfAuthCode, type ChannelNotification, type PaymentChannel } from '../../api/_payments/channel';
import { createWechatPayChannel, WechatPayError } from '../../api/_payments/wechat/channel';
import { readWechatPayConfig } from '../../api/_payments/wechat/config';
import { paySignMessage, verifySha256Rsa } from '../../api/_payments/wechat/signing';
import { sandboxEnv } from '../../tools/sandbox/env';
import { useSandbox } from '../_support/sandbox';
import { startNotifyReceiver, type NotifyReceiver } from './notify-receiver';

/** The adapter against the local WeChat Pay sandbox, one call at a time, notifications included. */

const ctx = useSandbox();
let receiver: NotifyReceiver;
let channel: PaymentChannel;
let serial = 0;

beforeAll(async () => {
  receiver = await startNotifyReceiver();
  channel = createWechatPayChannel(readWechatPayConfig(sandboxEnv(ctx.keys, ctx.sandbox.url)), { channel: 'wechat', mode: 'direct' });
});
afterAll(async () => {
  await receiver.close();
});
beforeEach(async () => {
  receiver.received.length = 0;
  receiver.replies.length = 0;
  receiver.pauses.length = 0;
  await control('/sandbox/wechat/settings', { refundSucceedAfterMs: 30 });
  // 0.001 turns WeChat's 15 s first retry into 15 ms.
  await control('/sandbox/notifications/control', { mode: 'normal', retryScale: 0.001 });
});

async function control<T = Record<string, unknown>>(path: string, body: object, expectStatus = [200, 201]): Promise<T> {
  const response = await fetch(`${ctx.sandbox.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as T;
  if (!expectStatus.includes(response.status)) throw new Error(`${path}: HTTP ${response.status} ${JSON.stringify(json)}`);
  return json;
}
async function peek(outTradeNo: string): Promise<{ trade: Record<string, unknown>; profitSharing: boolean; description: string }> {
  return (await (await fetch(`${ctx.sandbox.url}/sandbox/wechat/trades/${outTradeNo}`)).json()) as { trade: Record<string, unknown>; profitSharing: boolean; description: string };
}
function tradeNo(): string {
  serial += 1;
  return `GTW${Date.now()}${String(serial).padStart(4, '0')}`;
}
function trade(outTradeNo: string, amountFen = 1999, extra: { profitSharing?: boolean; description?: string } = {}) {
  return { outTradeNo, amountFen, description: extra.description ?? '柜台演示商行-DEMO01 订单', expiresAt: new Date(Date.now() + 15 * 60_000), notifyUrl: receiver.url, ...extra };
}
async function errorOf(promise: Promise<unknown>): Promise<WechatPayError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof WechatPayError) return e;
    throw e;
  }
  throw new Error('expected a WechatPayError');
}
function refOf(notification: ChannelNotification): string {
  return notification.kind === 'payment' ? notification.trade.outTradeNo : notification.refund.outRefundNo;
}
/** The notifications received so far about one trade or refund (a straggler from an earlier test is someone else's). */
function receivedFor(ref: string): { notification: ChannelNotification; id: string; at: number }[] {
  return receiver.received
    .map((r) => ({ notification: channel.parseNotification(r.body, r.headers, new Date()), id: (JSON.parse(r.body) as { id: string }).id, at: r.at }))
    .filter((r) => refOf(r.notification) === ref);
}
async function waitForRef(ref: string, count = 1, timeoutMs = 5_000): Promise<{ notification: ChannelNotification; id: string; at: number }[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = receivedFor(ref);
    if (got.length >= count) return got;
    if (Date.now() > deadline) throw new Error(`expected ${count} notifications about ${ref}, got ${got.length}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WeChat Pay channel against the sandbox', () => {
  it('JSAPI: prepay, paySign over the 4 lines, NOTPAY until the payer pays, then SUCCESS by query and by notification', async () => {
    const no = tradeNo();
    const params = await channel.createJsapi(trade(no, 1999, { profitSharing: true }), 'oPayer000000000000000000001');
    if (params.channel !== 'wechat') throw new Error('wrong channel');
    expect(params.package).toMatch(/^prepay_id=wx\d{14}[0-9a-f]{18}$/);
    expect(params.signType).toBe('RSA');
    expect(params.timeStamp).toMatch(/^\d{10}$/);
    const merchantKey = createPublicKey(ctx.keys.wechat.merchantCertificate);
    expect(verifySha256Rsa(merchantKey, paySignMessage(ctx.keys.wechat.appId, params.timeStamp, params.nonceStr, params.package), params.paySign)).toBe(true);
    expect((await peek(no)).profitSharing).toBe(true);

    expect(await channel.query(no)).toMatchObject({ state: 'pending', outTradeNo: no, amountFen: 1999 });
    await control('/sandbox/wechat/pay', { prepayId: params.package.slice('prepay_id='.length) });
    const paid = await channel.query(no);
    expect(paid).toMatchObject({ state: 'succeeded', outTradeNo: no, amountFen: 1999, payerId: 'oPayer000000000000000000001', merchantNo: ctx.keys.wechat.mchId, appId: ctx.keys.wechat.appId });
    expect(paid.platformTradeNo).toMatch(/^4200\d{24}$/);
    expect(paid.paidAt).toBeInstanceOf(Date);

    const [got] = await waitForRef(no);
    const notification = got?.notification;
    expect(notification?.kind).toBe('payment');
    if (notification?.kind === 'payment') expect(notification.trade).toEqual(paid);
  });

  it('JSAPI again with the same request gives the same prepay_id; a different amount is refused', async () => {
    const no = tradeNo();
    const request = trade(no, 500);
    const first = await channel.createJsapi(request, 'oPayer000000000000000000001');
    const again = await channel.createJsapi(request, 'oPayer000000000000000000001');
    expect(again.channel === 'wechat' && first.channel === 'wechat' && again.package === first.package).toBe(true);
    const clash = await errorOf(channel.createJsapi({ ...request, amountFen: 501 }, 'oPayer000000000000000000001'));
    expect(clash).toMatchObject({ httpStatus: 400, platformCode: 'INVALID_REQUEST', code: 'platform_error' });
  });

  it('Native: code_url, paid by scanning it; profit sharing off by default; long descriptions cut to 127 bytes', async () => {
    const no = tradeNo();
    const { codeUrl } = await channel.createQr(trade(no, 1, { description: `柜台${'长'.repeat(60)}` }));
    expect(codeUrl).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    const seen = await peek(no);
    expect(seen.profitSharing).toBe(false);
    expect(Buffer.byteLength(seen.description)).toBeLessThanOrEqual(127);
    await control('/sandbox/wechat/pay', { codeUrl });
    expect(await channel.query(no)).toMatchObject({ state: 'succeeded', amountFen: 1 });
  });

  it('a payer whose payment fails leaves the trade PAYERROR → failed, without a notification', async () => {
    const no = tradeNo();
    const { codeUrl } = await channel.createQr(trade(no));
    await control('/sandbox/wechat/pay', { codeUrl, outcome: 'payerror' });
    const state = await channel.query(no);
    expect(state).toMatchObject({ state: 'failed', failure: { code: 'PAYERROR' } });
    await sleep(100);
    expect(receivedFor(no)).toHaveLength(0);
  });

  describe('payment codes (codepay)', () => {
    async function paycode(behaviour: string): Promise<string> {
      const { code } = await control<{ code: string }>('/sandbox/paycodes', { channel: 'wechat', behaviour });
      return code;
    }

    it('codes are 18 digits with prefix 10–15 and route to WeChat', async () => {
      for (const behaviour of ['success', 'userpaying', 'insufficient', 'invalid']) {
        const code = await paycode(behaviour);
        expect(code).toMatch(/^1[0-5]\d{16}$/);
        expect(channelOfAuthCode(code)).toBe('wechat');
      }
    });

    it('success → succeeded at once; the code cannot pay twice', async () => {
      const code = await paycode('success');
      const no = tradeNo();
      const state = await channel.payWithCode({ outTradeNo: no, amountFen: 888, description: '柜台收款' }, code);
      expect(state).toMatchObject({ state: 'succeeded', outTradeNo: no, amountFen: 888, merchantNo: ctx.keys.wechat.mchId });
      const again = await channel.payWithCode({ outTradeNo: tradeNo(), amountFen: 888, description: '柜台收款' }, code);
      expect(again).toMatchObject({ state: 'failed', failure: { code: 'AUTHCODEEXPIRE' } });
    });

    it('USERPAYING → pending, then succeeded after the configured number of queries (2)', async () => {
      const { code } = await control<{ code: string }>('/sandbox/paycodes', { channel: 'wechat', behaviour: 'userpaying', afterQueries: 2 });
      const no = tradeNo();
      expect(await channel.payWithCode({ outTradeNo: no, amountFen: 120_000, description: '柜台收款' }, code)).toMatchObject({ state: 'pending', failure: { code: 'USERPAYING' } });
      expect(await channel.query(no)).toMatchObject({ state: 'pending' });
      expect(await channel.query(no)).toMatchObject({ state: 'succeeded', amountFen: 120_000 });
    });

    it('USERPAYING that the counter gives up on is reversed → closed', async () => {
      const code = await paycode('userpaying');
      const no = tradeNo();
      await channel.payWithCode({ outTradeNo: no, amountFen: 300, description: '柜台收款' }, code);
      await channel.cancel(no, 'code');
      expect(await channel.query(no)).toMatchObject({ state: 'closed' });
      await channel.cancel(no, 'code');
    });

    it('insufficient balance and an invalid code → failed with the platform code and message', async () => {
      const poor = await channel.payWithCode({ outTradeNo: tradeNo(), amountFen: 300, description: '柜台收款' }, await paycode('insufficient'));
      expect(poor).toMatchObject({ state: 'failed', failure: { code: 'NOTENOUGH' } });
      expect(poor.failure?.message).toMatch(/余额不足/);
      const invalid = await channel.payWithCode({ outTradeNo: tradeNo(), amountFen: 300, description: '柜台收款' }, await paycode('invalid'));
      expect(invalid).toMatchObject({ state: 'failed', failure: { code: 'AUTH_CODE_INVALID' } });
      const unknown = await channel.payWithCode({ outTradeNo: tradeNo(), amountFen: 300, description: '柜台收款' }, '134567890123456789');
      expect(unknown).toMatchObject({ state: 'failed', failure: { code: 'AUTH_CODE_INVALID' } });
    });
  });

  it.each([
    ['amount 0', () => channel.createQr(trade(tradeNo(), 0))],
    ['amount 1.5', () => channel.createQr(trade(tradeNo(), 1.5))],
    ['out_trade_no too short', () => channel.createQr(trade('A1234'))],
    ['out_trade_no with a space', () => channel.payWithCode({ outTradeNo: 'GT 000001', amountFen: 1, description: 'x' }, '134567890123456789')],
    ['refund above the total', () => channel.refund({ outTradeNo: tradeNo(), outRefundNo: 'R1', refundFen: 101, totalFen: 100, reason: '', notifyUrl: receiver.url })],
    ['refund of 0', () => channel.refund({ outTradeNo: tradeNo(), outRefundNo: 'R1', refundFen: 0, totalFen: 100, reason: '', notifyUrl: receiver.url })],
  ])('%s is validation_failed before any call', async (_name, run) => {
    await expect(run()).rejects.toMatchObject({ code: 'validation_failed', status: 400 });
  });

  it('query of a trade WeChat Pay never saw → not_found', async () => {
    expect(await channel.query(tradeNo())).toEqual(expect.objectContaining({ state: 'not_found' }));
  });

  it('close: an unpaid trade closes (twice is fine, unknown is fine); a paid one refuses with ORDERPAID', async () => {
    const no = tradeNo();
    await channel.createQr(trade(no));
    await channel.cancel(no, 'qr');
    await channel.cancel(no, 'qr');
    expect(await channel.query(no)).toMatchObject({ state: 'closed' });
    await channel.cancel(tradeNo(), 'jsapi');

    const paidNo = tradeNo();
    const { codeUrl } = await channel.createQr(trade(paidNo));
    await control('/sandbox/wechat/pay', { codeUrl });
    expect(await errorOf(channel.cancel(paidNo, 'qr'))).toMatchObject({ platformCode: 'ORDERPAID' });
  });

  describe('refunds', () => {
    async function paidTrade(totalFen: number): Promise<string> {
      const no = tradeNo();
      const { codeUrl } = await channel.createQr(trade(no, totalFen));
      await control('/sandbox/wechat/pay', { codeUrl });
      await waitForRef(no);
      return no;
    }

    it('PROCESSING, then SUCCESS by query and REFUND.SUCCESS notification; a retry is the same refund; too much is refused', async () => {
      const no = await paidTrade(1000);
      const request = { outTradeNo: no, outRefundNo: `R${no}`, refundFen: 400, totalFen: 1000, reason: '顾客退货', notifyUrl: receiver.url };
      const accepted = await channel.refund(request);
      expect(accepted).toMatchObject({ state: 'pending', outRefundNo: `R${no}`, outTradeNo: no, refundFen: 400 });
      const retried = await channel.refund(request);
      expect(retried.platformRefundNo).toBe(accepted.platformRefundNo);

      const [got] = await waitForRef(`R${no}`);
      expect(got?.notification).toMatchObject({ kind: 'refund', refund: { state: 'succeeded', outRefundNo: `R${no}`, refundFen: 400, platformRefundNo: accepted.platformRefundNo } });
      const queried = await channel.queryRefund(`R${no}`, no);
      expect(queried).toMatchObject({ state: 'succeeded', refundFen: 400 });
      expect(queried.refundedAt).toBeInstanceOf(Date);
      expect(await channel.query(no)).toMatchObject({ state: 'succeeded' });

      const tooMuch = await channel.refund({ ...request, outRefundNo: `S${no}`, refundFen: 601 });
      expect(tooMuch).toMatchObject({ state: 'failed', failure: { code: 'INVALID_REQUEST' } });
      const rest = await channel.refund({ ...request, outRefundNo: `T${no}`, refundFen: 600 });
      expect(rest.state).toBe('pending');
    });

    it('ABNORMAL and CLOSED by control arrive as REFUND.ABNORMAL / REFUND.CLOSED', async () => {
      await control('/sandbox/wechat/settings', { refundSucceedAfterMs: null });
      const no = await paidTrade(500);
      for (const [outRefundNo, outcome, state] of [
        [`A${no}`, 'ABNORMAL', 'abnormal'],
        [`C${no}`, 'CLOSED', 'closed'],
      ] as const) {
        expect(await channel.refund({ outTradeNo: no, outRefundNo, refundFen: 100, totalFen: 500, reason: '', notifyUrl: receiver.url })).toMatchObject({ state: 'pending' });
        await control('/sandbox/wechat/refund', { outRefundNo, outcome });
        const [got] = await waitForRef(outRefundNo);
        expect(got?.notification).toMatchObject({ kind: 'refund', refund: { state, outRefundNo } });
        expect(await channel.queryRefund(outRefundNo, no)).toMatchObject({ state });
      }
    });

    it('a wrong total, an unpaid trade and an unknown refund', async () => {
      const no = await paidTrade(500);
      expect(await channel.refund({ outTradeNo: no, outRefundNo: `W${no}`, refundFen: 100, totalFen: 499, reason: '', notifyUrl: receiver.url })).toMatchObject({
        state: 'failed',
        failure: { code: 'PARAM_ERROR' },
      });
      const unpaid = tradeNo();
      await channel.createQr(trade(unpaid, 500));
      expect(await channel.refund({ outTradeNo: unpaid, outRefundNo: `U${unpaid}`, refundFen: 100, totalFen: 500, reason: '', notifyUrl: receiver.url })).toMatchObject({ state: 'failed' });
      expect(await channel.queryRefund(`X${no}`, no)).toEqual({ state: 'not_found', outRefundNo: `X${no}`, outTradeNo: no });
    });
  });

  describe('signatures both ways', () => {
    it('a request signed with another merchant key is refused with SIGN_ERROR', async () => {
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const impostor = createWechatPayChannel(readWechatPayConfig({ ...sandboxEnv(ctx.keys, ctx.sandbox.url), WECHATPAY_MERCHANT_PRIVATE_KEY: other }), { channel: 'wechat', mode: 'direct' });
      expect(await errorOf(impostor.query(tradeNo()))).toMatchObject({ httpStatus: 401, platformCode: 'SIGN_ERROR' });
    });

    it('a request 10 minutes off the platform clock is refused', async () => {
      const skewed = createWechatPayChannel(readWechatPayConfig(sandboxEnv(ctx.keys, ctx.sandbox.url)), { channel: 'wechat', mode: 'direct' }, { clock: () => new Date(Date.now() - 10 * 60_000) });
      // The refusal is signed "now", which the skewed clock calls stale: either way nothing is believed.
      expect((await errorOf(skewed.query(tradeNo()))).platformCode).toMatch(/SIGN_ERROR|response_unverified/);
    });

    it('answers that do not verify with the configured platform key are not believed', async () => {
      const otherPlatform = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const fooled = createWechatPayChannel(readWechatPayConfig({ ...sandboxEnv(ctx.keys, ctx.sandbox.url), WECHATPAY_PLATFORM_PUBLIC_KEY: otherPlatform }), { channel: 'wechat', mode: 'direct' });
      expect(await errorOf(fooled.query(tradeNo()))).toMatchObject({ platformCode: 'response_unverified' });
    });

    it('an answer with no signature headers at all is not believed', async () => {
      const unsigned: typeof fetch = async () => new Response(JSON.stringify({ code: 'NOTENOUGH', message: '余额不足' }), { status: 403 });
      const gullible = createWechatPayChannel(readWechatPayConfig(sandboxEnv(ctx.keys, ctx.sandbox.url)), { channel: 'wechat', mode: 'direct' }, { fetch: unsigned });
      expect(await errorOf(gullible.payWithCode({ outTradeNo: tradeNo(), amountFen: 1, description: 'x' }, '134567890123456789'))).toMatchObject({ platformCode: 'response_unverified' });
    });
  });

  describe('notification delivery', () => {
    async function deliveries(id: string): Promise<{ status: number | null; accepted: boolean }[]> {
      const log = (await (await fetch(`${ctx.sandbox.url}/sandbox/notifications`)).json()) as { deliveries: { channel: string; id: string; status: number | null; accepted: boolean }[] };
      return log.deliveries.filter((d) => d.channel === 'wechat' && d.id === id);
    }
    async function payOne(): Promise<string> {
      const no = tradeNo();
      const { codeUrl } = await channel.createQr(trade(no));
      await control('/sandbox/wechat/pay', { codeUrl });
      return no;
    }

    it('non-2xx replies are retried on the (scaled) schedule until one is accepted', async () => {
      receiver.replies.push(500, 404);
      const no = await payOne();
      const got = await waitForRef(no, 3);
      expect(new Set(got.map((g) => g.id)).size).toBe(1);
      for (const g of got) expect(g.notification).toMatchObject({ kind: 'payment', trade: { outTradeNo: no, state: 'succeeded' } });
      expect((await deliveries(got[0]?.id ?? '')).map((d) => [d.status, d.accepted])).toEqual([
        [500, false],
        [404, false],
        [204, true],
      ]);
    });

    it('a reply slower than the 5 s timeout counts as a failure and is retried', { timeout: 15_000 }, async () => {
      receiver.pauses.push(5_300);
      const no = await payOne();
      const got = await waitForRef(no, 2, 10_000);
      await sleep(50);
      expect((await deliveries(got[0]?.id ?? '')).map((d) => [d.status, d.accepted])).toEqual([
        [null, false],
        [204, true],
      ]);
    });

    it('the control drops, repeats, delays and reorders', async () => {
      await control('/sandbox/notifications/control', { mode: 'drop' });
      const dropped = await payOne();
      await sleep(150);
      expect(receivedFor(dropped)).toHaveLength(0);

      await control('/sandbox/notifications/control', { mode: 'repeat:3' });
      const repeated = await waitForRef(await payOne(), 3);
      expect(new Set(repeated.map((g) => g.id)).size).toBe(1);

      await control('/sandbox/notifications/control', { mode: 'delay:300' });
      const before = Date.now();
      const [late] = await waitForRef(await payOne());
      expect((late?.at ?? 0) - before).toBeGreaterThanOrEqual(290);

      await control('/sandbox/notifications/control', { mode: 'reorder' });
      const first = await payOne();
      const second = await payOne();
      await sleep(100);
      expect([...receivedFor(first), ...receivedFor(second)]).toHaveLength(0);
      // The next control request releases what was held, newest first.
      await control('/sandbox/notifications/control', { mode: 'normal' });
      const [one] = await waitForRef(first);
      const [two] = await waitForRef(second);
      expect((two?.at ?? 0) <= (one?.at ?? 0)).toBe(true);

      const refused = await fetch(`${ctx.sandbox.url}/sandbox/notifications/control`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ mode: 'repeat:0' }) });
      expect(refused.status).toBe(400);
    });
  });
});
