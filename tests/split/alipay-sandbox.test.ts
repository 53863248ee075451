import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../_support/sandbox';
import type { PaymentChannel, SplitRequest } from '../../api/_payments/channel';
import { createAlipayChannel } from '../../api/_payments/alipay/channel';
import { readAlipayPayConfig } from '../../api/_payments/alipay/config';
import { sandboxEnv } from '../../tools/sandbox/env';
import { callSandbox } from '../_support/sandbox-client';

/**
 * The Alipay adapter's royalty methods against the sandbox gateway, which
 * holds the platform's rules: receivers bound first, not too soon after
 * payment, at most 30 %, never more than is still frozen, nothing after
 * royalty_finish, one out_request_no one split, and a refund that cannot
 * take split money unless the receivers give it back inside it.
 */

const ctx = useSandbox();
let serial = 0;
const landlord = '2088000000000301';
const failing = '2088000000000302';

function channel(): PaymentChannel {
  return createAlipayChannel(readAlipayPayConfig(sandboxEnv(ctx.keys, ctx.sandbox.url)));
}

const sandbox = (path: string, body?: unknown) => callSandbox(ctx.sandbox.url, path, body);

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (e) {
    return `${(e as { code?: string }).code ?? 'no code'}: ${(e as Error).message}`;
  }
}

/** A trade paid at once with a payment code, frozen for royalty unless told otherwise. */
async function paidTrade(amountFen: number, profitSharing = true) {
  const code = (await sandbox('/sandbox/paycodes', { channel: 'alipay', behaviour: 'success' })).json['code'] as string;
  serial += 1;
  const state = await channel().payWithCode({ outTradeNo: `GTS${Date.now()}${serial}`, amountFen, description: '分账测试', profitSharing }, code);
  expect(state.state).toBe('succeeded');
  return { outTradeNo: state.outTradeNo, tradeNo: state.platformTradeNo! };
}

const split = (tradeNo: string, outOrderNo: string, receivers: [string, number][]): SplitRequest => ({
  outTradeNo: 'x',
  platformTradeNo: tradeNo,
  outOrderNo,
  receivers: receivers.map(([account, amountFen]) => ({ type: 'userId', account, amountFen, description: '分成' })),
});

describe('Alipay royalty against the sandbox', () => {
  beforeAll(async () => {
    await sandbox('/sandbox/alipay/split-settings', { splitAfterMs: 0, failAccounts: [failing] });
  });

  it('splits a frozen trade once per out_request_no, within the cap, receivers bound first, results per receiver, then releases the rest', async () => {
    const c = channel();
    const { tradeNo } = await paidTrade(1_000);
    expect(await failure(c.requestSplit!(split(tradeNo, `S${serial}a`, [[landlord, 200]])))).toMatch(/platform_error: .*不在分账关系集/);
    await c.addSplitReceiver!({ type: 'userId', account: landlord, name: '房东', relation: 'STORE_OWNER' });
    await c.addSplitReceiver!({ type: 'userId', account: failing, name: '品牌', relation: 'BRAND' });
    await c.addSplitReceiver!({ type: 'userId', account: landlord, name: '房东', relation: 'STORE_OWNER' });

    expect(await failure(c.requestSplit!(split(tradeNo, `S${serial}a`, [[landlord, 201], [failing, 100]])))).toMatch(/最大分账比例/);
    const first = await c.requestSplit!(split(tradeNo, `S${serial}a`, [[landlord, 200], [failing, 100]]));
    expect(first.state).toBe('processing');
    // The same request again is the same split; other content under the same number is refused.
    expect((await c.requestSplit!(split(tradeNo, `S${serial}a`, [[landlord, 200], [failing, 100]]))).platformOrderId).toBe(first.platformOrderId);
    expect(await failure(c.requestSplit!(split(tradeNo, `S${serial}a`, [[landlord, 199]])))).toMatch(/不一致/);
    // 300 of the 30 % are in flight: one more fen is over the cap.
    expect(await failure(c.requestSplit!(split(tradeNo, `S${serial}b`, [[landlord, 1]])))).toMatch(/最大分账比例/);

    const result = await c.querySplit!(`S${serial}a`, tradeNo);
    expect(result).toMatchObject({ state: 'finished', outOrderNo: `S${serial}a` });
    expect(result.receivers.map((r) => [r.account, r.amountFen, r.result])).toEqual([
      [landlord, 200, 'success'],
      [failing, 100, 'closed'],
    ]);
    // The failed 100 fen are frozen again: a new split may take them.
    const second = await c.requestSplit!(split(tradeNo, `S${serial}b`, [[landlord, 100]]));
    expect(second.state).toBe('processing');
    expect((await c.querySplit!(`S${serial}b`, tradeNo)).receivers.map((r) => r.result)).toEqual(['success']);

    const released = await c.unfreezeSplit!({ platformTradeNo: tradeNo, outOrderNo: `S${serial}_U`, description: '解冻剩余资金' });
    expect(released.state).toBe('finished');
    expect((await sandbox(`/sandbox/alipay/splits/${tradeNo}`)).json).toMatchObject({ finished: true, frozenFen: 0, splitOutFen: 300, merchantHeldFen: 700 });
    expect(await failure(c.requestSplit!(split(tradeNo, `S${serial}c`, [[landlord, 1]])))).toMatch(/已完结/);
  });

  it('refuses a split too soon after payment, of a trade not frozen, or over what is still frozen', async () => {
    const c = channel();
    await c.addSplitReceiver!({ type: 'userId', account: landlord, name: '房东', relation: 'STORE_OWNER' });
    await sandbox('/sandbox/alipay/split-settings', { splitAfterMs: 60_000 });
    const early = await paidTrade(1_000);
    expect(await failure(c.requestSplit!(split(early.tradeNo, `E${serial}`, [[landlord, 100]])))).toMatch(/交易处理中/);
    await sandbox('/sandbox/alipay/split-settings', { splitAfterMs: 0 });

    const plain = await paidTrade(1_000, false);
    expect(await failure(c.requestSplit!(split(plain.tradeNo, `P${serial}`, [[landlord, 100]])))).toMatch(/未冻结/);

    // 800 of 1000 refunded before the split: 200 is still frozen, so 201 is refused though the cap (300) allows it.
    const partly = await paidTrade(1_000);
    const refund = await c.refund({ outTradeNo: partly.outTradeNo, outRefundNo: `R${serial}`, refundFen: 800, totalFen: 1_000, reason: '部分退款', notifyUrl: 'http://127.0.0.1:9/notify' });
    expect(refund.state).toBe('succeeded');
    expect(await failure(c.requestSplit!(split(partly.tradeNo, `F${serial}a`, [[landlord, 201]])))).toMatch(/剩余冻结金额/);
    expect((await c.requestSplit!(split(partly.tradeNo, `F${serial}b`, [[landlord, 200]]))).state).toBe('processing');
  });

  it('a refund cannot take split money unless the receiver gives it back inside the refund, never more than it received', async () => {
    const c = channel();
    await c.addSplitReceiver!({ type: 'userId', account: landlord, name: '房东', relation: 'STORE_OWNER' });
    const { outTradeNo, tradeNo } = await paidTrade(1_000);
    await c.requestSplit!(split(tradeNo, `T${serial}`, [[landlord, 300]]));
    await c.querySplit!(`T${serial}`, tradeNo);
    const refund = (n: string, royalty?: number) =>
      c.refund({ outTradeNo, outRefundNo: n, refundFen: 1_000, totalFen: 1_000, reason: '退货', notifyUrl: 'http://127.0.0.1:9/notify', ...(royalty === undefined ? {} : { royaltyReturns: [{ type: 'userId' as const, account: landlord, amountFen: royalty, description: '退回分账' }] }) });
    expect(await refund(`N${serial}a`)).toMatchObject({ state: 'failed', failure: { code: 'ACQ.SELLER_BALANCE_NOT_ENOUGH' } });
    expect(await refund(`N${serial}b`, 299)).toMatchObject({ state: 'failed', failure: { code: 'ACQ.SELLER_BALANCE_NOT_ENOUGH' } });
    expect(await refund(`N${serial}c`, 301)).toMatchObject({ state: 'failed', failure: { code: 'ACQ.INVALID_PARAMETER' } });
    expect(await refund(`N${serial}d`, 300)).toMatchObject({ state: 'succeeded', refundFen: 1_000 });
    // The same refund again moves nothing twice.
    expect((await refund(`N${serial}d`, 300)).state).toBe('succeeded');
    expect((await sandbox(`/sandbox/alipay/splits/${tradeNo}`)).json).toMatchObject({ returnedFen: 300, refundedFen: 1_000, merchantHeldFen: 0 });
  });
});
