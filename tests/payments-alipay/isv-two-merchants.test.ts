import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../_support/sandbox';
import { callSandbox } from '../_support/sandbox-client';
import type { BillLine } from '../../shared/bills/types';
import type { ChannelNotification, CreateTrade, MerchantBinding, PaymentChannel, TradeBill } from '../../api/_payments/channel';
import { createAlipayChannel } from '../../api/_payments/alipay/channel';
import { readAlipayPayConfig, type AlipayPayConfig } from '../../api/_payments/alipay/config';
import { alipayAppAuthFromEnv } from '../../api/_payments/alipay/app-auth.client';
import { parseAlipayBill } from '../../api/_reconcile/alipay-bill';
import { beijingDay } from '../../tools/sandbox/bill-day';
import { sandboxEnv } from '../../tools/sandbox/env';
import { startReceiver, type Receiver } from './receiver';

/**
 * Two merchants authorise the provider's app in the sandbox (ALIPAY_MODE=isv)
 * and take Alipay payments through channels bound to their own tokens:
 * each trade, royalty relation and bill is its merchant's, a notification
 * names its merchant so the core can refuse one that is not the payment's,
 * and direct mode goes on working beside them.
 */

const ctx = useSandbox();
type Isv = Extract<MerchantBinding, { mode: 'isv' }>;
let receiver: Receiver;
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
let serial = 0;
const merchants: { binding: Isv; channel: PaymentChannel; outTradeNos: string[] }[] = [];

const sandbox = (path: string, body?: unknown) => callSandbox(ctx.sandbox.url, path, body);
const isvEnv = () => ({ ...sandboxEnv(ctx.keys, ctx.sandbox.url), ALIPAY_MODE: 'isv' });
const isvConfig = (): AlipayPayConfig => readAlipayPayConfig(isvEnv());
const directChannel = () => createAlipayChannel(readAlipayPayConfig(sandboxEnv(ctx.keys, ctx.sandbox.url)), undefined, { clock });
const paycode = async () => (await sandbox('/sandbox/paycodes', { channel: 'alipay', behaviour: 'success' })).json as { code: string };

function trade(amountFen: number, profitSharing = false): CreateTrade {
  serial += 1;
  return { outTradeNo: `ISV${Date.now()}${serial}`, amountFen, description: '服务商模式测试', expiresAt: new Date(Date.now() + 15 * 60_000), notifyUrl: receiver.url, profitSharing };
}

async function readBill(bill: TradeBill): Promise<BillLine[]> {
  expect(bill.outcome).toBe('ready');
  if (bill.outcome !== 'ready') return [];
  const lines: BillLine[] = [];
  await parseAlipayBill(bill.body, (line) => {
    lines.push(line);
  });
  return lines;
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (e) {
    return `${(e as { code?: string }).code ?? 'no code'}: ${(e as Error).message}`;
  }
}

beforeAll(async () => {
  // The provider's platform channel reads every notification; the test then compares what it names.
  receiver = await startReceiver(() => createAlipayChannel(isvConfig()));
  const auth = alipayAppAuthFromEnv(isvEnv());
  const listed = (await sandbox('/sandbox/alipay/app-auth/merchants')).json['merchants'] as { sellerId: string; authAppId: string }[];
  for (const merchant of listed.slice(0, 2)) {
    const { code } = (await sandbox('/sandbox/alipay/app-auth/codes', { appId: ctx.keys.alipay.appId, sellerId: merchant.sellerId })).json as { code: string };
    const exchanged = await auth.exchange({ grantType: 'authorization_code', code });
    if (exchanged.outcome !== 'granted') throw new Error(`the sandbox did not grant: ${JSON.stringify(exchanged)}`);
    expect(exchanged.grant).toMatchObject({ sellerId: merchant.sellerId, authAppId: merchant.authAppId });
    const binding: Isv = { channel: 'alipay', mode: 'isv', appAuthToken: exchanged.grant.appAuthToken, authAppId: exchanged.grant.authAppId, sellerId: exchanged.grant.sellerId };
    merchants.push({ binding, channel: createAlipayChannel(isvConfig(), binding, { clock }), outTradeNos: [] });
  }
});
afterAll(async () => {
  await receiver?.close();
});

describe('Alipay for two authorised merchants (isv)', () => {
  it('names each merchant on its channel: its seller and app, with the provider’s app id', () => {
    const [a, b] = merchants;
    expect(a!.channel.merchantNo).toBe(a!.binding.sellerId);
    expect(a!.channel.authAppId).toBe(a!.binding.authAppId);
    expect(b!.channel.merchantNo).toBe(b!.binding.sellerId);
    expect(a!.channel.merchantNo).not.toBe(b!.channel.merchantNo);
    expect(a!.channel.appId).toBe(ctx.keys.alipay.appId);
    expect(b!.channel.appId).toBe(ctx.keys.alipay.appId);
  });

  it('takes each merchant’s payment with its own token, and the trade is that merchant’s', async () => {
    for (const m of merchants) {
      const wanted = trade(1000 + merchants.indexOf(m));
      const state = await m.channel.payWithCode(wanted, (await paycode()).code);
      expect(state).toMatchObject({ state: 'succeeded', outTradeNo: wanted.outTradeNo });
      m.outTradeNos.push(wanted.outTradeNo);
      const held = (await sandbox(`/sandbox/alipay/trades/${wanted.outTradeNo}`)).json['trade'];
      expect(held).toMatchObject({ sellerId: m.binding.sellerId, authAppId: m.binding.authAppId, appId: ctx.keys.alipay.appId });
    }
  });

  it('shows a merchant only its own trades: the other merchant’s number is not found with its token', async () => {
    const [a, b] = merchants;
    expect(await a!.channel.query(a!.outTradeNos[0]!)).toMatchObject({ state: 'succeeded' });
    expect(await a!.channel.query(b!.outTradeNos[0]!)).toMatchObject({ state: 'not_found' });
    expect(await directChannel().query(b!.outTradeNos[0]!)).toMatchObject({ state: 'not_found' });
  });

  it('sends notifications that name the merchant, so one that is not the payment’s merchant is detectable', async () => {
    const [a, b] = merchants;
    const wanted = trade(2200);
    const { codeUrl } = await b!.channel.createQr(wanted);
    expect((await sandbox('/sandbox/alipay/pay', { qrCode: codeUrl })).status).toBe(200);
    b!.outTradeNos.push(wanted.outTradeNo);
    const notice = (await receiver.waitForMatch((n: ChannelNotification) => n.kind === 'payment' && n.trade.outTradeNo === wanted.outTradeNo && n.trade.state === 'succeeded')) as Extract<ChannelNotification, { kind: 'payment' }>;
    expect(notice.trade).toMatchObject({ merchantNo: b!.binding.sellerId, authAppId: b!.binding.authAppId, appId: ctx.keys.alipay.appId, amountFen: 2200 });
    // What the core compares: B's notification matches B's channel and not A's.
    const matches = (c: PaymentChannel) => notice.trade.merchantNo === c.merchantNo && notice.trade.appId === c.appId && notice.trade.authAppId === c.authAppId;
    expect(matches(b!.channel)).toBe(true);
    expect(matches(a!.channel)).toBe(false);
  });

  it('keeps royalty relations per merchant: a receiver bound by A cannot be paid from B’s trade', async () => {
    const [a, b] = merchants;
    expect((await sandbox('/sandbox/alipay/split-settings', { splitAfterMs: 0 })).status).toBe(200);
    const receiverAccount = { type: 'userId' as const, account: '2088000000000777', name: '品牌方', relation: 'BRAND' as const };
    await a!.channel.addSplitReceiver!(receiverAccount);
    const wanted = trade(5000, true);
    const paid = await b!.channel.payWithCode(wanted, (await paycode()).code);
    b!.outTradeNos.push(wanted.outTradeNo);
    const split = { outTradeNo: wanted.outTradeNo, platformTradeNo: paid.platformTradeNo!, outOrderNo: `S${wanted.outTradeNo}`, receivers: [{ type: 'userId' as const, account: receiverAccount.account, amountFen: 500, description: '品牌分成' }] };
    expect(await failure(b!.channel.requestSplit!(split))).toMatch(/ACQ.INVALID_PARAMETER .*分账关系/);
    await b!.channel.addSplitReceiver!(receiverAccount);
    expect(await b!.channel.requestSplit!(split)).toMatchObject({ state: 'processing' });
    // A cannot settle B's trade at all: to A's token it does not exist.
    expect(await failure(a!.channel.requestSplit!({ ...split, outOrderNo: `T${wanted.outTradeNo}` }))).toMatch(/ACQ.TRADE_NOT_EXIST/);
  });

  it('keeps direct mode working beside the authorised merchants, into the deployment’s own seller', async () => {
    const direct = directChannel();
    const wanted = trade(800);
    expect(await direct.payWithCode(wanted, (await paycode()).code)).toMatchObject({ state: 'succeeded' });
    const held = (await sandbox(`/sandbox/alipay/trades/${wanted.outTradeNo}`)).json['trade'];
    expect(held.sellerId).toBe(direct.merchantNo);
    expect(held.authAppId).toBe(ctx.keys.alipay.appId);
    expect(merchants.map((m) => m.binding.sellerId)).not.toContain(direct.merchantNo);
  });

  it('gives each merchant a bill of only its own trades, and the deployment’s own bill none of theirs', async () => {
    const day = beijingDay(Date.now());
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const at = new Date(`${next}T11:00:00+08:00`);
    offsetMs = at.getTime() - Date.now();
    expect((await sandbox('/sandbox/clock', { at: at.toISOString() })).status).toBe(200);
    try {
      for (const m of merchants) {
        const lines = await readBill(await m.channel.tradeBill!(day));
        expect(lines.map((l) => l.outTradeNo).sort()).toEqual([...m.outTradeNos].sort());
      }
      const own = await readBill(await directChannel().tradeBill!(day));
      const authorised = merchants.flatMap((m) => m.outTradeNos);
      expect(own.length).toBeGreaterThan(0);
      expect(own.filter((l) => authorised.includes(l.outTradeNo))).toEqual([]);
    } finally {
      offsetMs = 0;
      await sandbox('/sandbox/clock', { at: null });
    }
  });

  it('refuses a call with an expired token with Alipay’s token error, and a withdrawn one likewise', async () => {
    const [a, b] = merchants;
    const later = new Date(Date.now() + 366 * 86_400_000);
    offsetMs = later.getTime() - Date.now();
    await sandbox('/sandbox/clock', { at: later.toISOString() });
    try {
      expect(await failure(a!.channel.query(a!.outTradeNos[0]!))).toMatch(/^platform_error: .*aop\.app-auth-token-time-out/);
    } finally {
      offsetMs = 0;
      await sandbox('/sandbox/clock', { at: null });
    }
    expect((await sandbox('/sandbox/alipay/app-auth/revoke', { sellerId: b!.binding.sellerId })).json).toEqual({ revoked: true });
    expect(await failure(b!.channel.query(b!.outTradeNos[0]!))).toMatch(/^platform_error: .*aop\.invalid-app-auth-token/);
  });

  it('refuses an isv binding when the deployment is not in isv mode', () => {
    const direct = readAlipayPayConfig(sandboxEnv(ctx.keys, ctx.sandbox.url));
    expect(() => createAlipayChannel(direct, merchants[0]!.binding)).toThrow(/ALIPAY_MODE=isv/);
    expect(() => readAlipayPayConfig({ ...isvEnv(), ALIPAY_MODE: 'partner' })).toThrow(/ALIPAY_MODE must be direct or isv/);
    // In isv mode the deployment's own seller id is optional; a direct binding then has no account to take money into.
    const bare = readAlipayPayConfig({ ...isvEnv(), ALIPAY_SELLER_ID: '' });
    expect(createAlipayChannel(bare).merchantNo).toBe('');
    expect(createAlipayChannel(bare, null).authAppId).toBe(ctx.keys.alipay.appId);
    expect(() => createAlipayChannel(bare, { channel: 'alipay', mode: 'direct' })).toThrow(/ALIPAY_SELLER_ID/);
  });
});
