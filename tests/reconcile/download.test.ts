import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { findSku, orderId } from '../_support/selling';
import { checkoutResponse } from '../../shared/api/orders';
import { paymentResponse } from '../../shared/api/payments';
import { billDownloadResponse, billDownloadsResponse, reconcileItemsResponse } from '../../shared/api/reconcile';
import { newId } from '../../shared/ids';
import { businessDate } from '../../api/_kernel/clock';
import { checkedBill, wechatTradeBill } from '../../api/_payments/wechat/bill';
import { alipayTradeBill } from '../../api/_payments/alipay/bill';
import { PlatformTimeout, fetchAnsweredWithin } from '../../api/_payments/timed-fetch';
import { generateKeyPairSync } from 'node:crypto';
import { BillHashMismatch } from '../../api/_payments/channel';
import { channelRegistry } from '../../api/_payments/registry';
import { createWechatPayChannel } from '../../api/_payments/wechat/channel';
import { readWechatPayConfig } from '../../api/_payments/wechat/config';
import { createAlipayChannel } from '../../api/_payments/alipay/channel';
import { readAlipayPayConfig } from '../../api/_payments/alipay/config';
import { sandboxEnv } from '../../tools/sandbox/env';
import { downloadTone, yesterdayInBeijing } from '../../src/services/reconcile';
import { callSandbox, until } from '../_support/sandbox-client';

/**
 * Bills fetched from the platforms: a day of sandbox payments (one of them
 * with its notification dropped) and a refund, then the cron the next
 * morning downloads each channel's bill through the real adapters, stores
 * it and reconciles, settling the lost payment. Also: before 10:00 the bill
 * is not ready, a quiet day has no statement, a WeChat file that is not the
 * one announced is refused whole.
 */

const CRON = { authorization: 'Bearer test-cron-secret' };
const channels = ['wechat', 'alipay'] as const;
type Channel = (typeof channels)[number];


function stream(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
}

async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}

describe('the download box on the boss page', () => {
  it.each([
    ['2026-11-23T15:59:59Z', '2026-11-22'],
    ['2026-11-23T16:00:00Z', '2026-11-23'],
    ['2026-01-01T02:00:00Z', '2025-12-31'],
  ])('at %s yesterday in Beijing is %s', (now, day) => expect(yesterdayInBeijing(new Date(now))).toBe(day));
  it('names each outcome and flags the ones that need the owner', () => {
    expect(downloadTone('reconciled')).toEqual({ text: '已下载并对账', tone: 'ok' });
    expect(downloadTone('not_ready').tone).toBe('muted');
    expect(downloadTone('hash_mismatch')).toEqual({ text: '账单校验失败，已拒收', tone: 'bad' });
  });
});

describe('the WeChat bill check while it streams', () => {
  const text = '交易时间,商户订单号\r\n`2026-11-22 10:00:00,`A1\r\n'.repeat(200);
  const sha1 = createHash('sha1').update(text, 'utf8').digest('hex');
  const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
  const gz = new Uint8Array(gzipSync(bytes));
  const pieces = (b: Uint8Array, size: number) => Array.from({ length: Math.ceil(b.length / size) }, (_, i) => b.subarray(i * size, (i + 1) * size));

  it.each([
    ['gzip in one chunk', [gz]],
    ['gzip one byte at a time', pieces(gz, 1)],
    ['gzip in 100-byte chunks', pieces(gz, 100)],
    ['already decoded (Content-Encoding)', pieces(bytes, 333)],
  ])('%s: yields the bill and passes the SHA1 of the decompressed bytes', async (_, chunks) => {
    expect(await readAll(checkedBill(stream(chunks), sha1))).toBe(text);
  });

  it('throws BillHashMismatch at the end when the hash differs, and on a broken gzip', async () => {
    await expect(readAll(checkedBill(stream([gz]), '0'.repeat(40)))).rejects.toBeInstanceOf(BillHashMismatch);
    // The hash of the compressed file is not the hash the platform names.
    await expect(readAll(checkedBill(stream([gz]), createHash('sha1').update(gz).digest('hex')))).rejects.toBeInstanceOf(BillHashMismatch);
    await expect(readAll(checkedBill(stream([gz.subarray(0, gz.length - 9)]), sha1))).rejects.toBeInstanceOf(BillHashMismatch);
  });
});

describe('a download that hangs fails with a reason instead of holding the run', () => {
  const limits = { answerMs: 60, idleMs: 60 };
  /** A fetch that never answers, as a dead connection does, until its signal gives up. */
  const silent: typeof fetch = (_url, init) =>
    new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
  /** A fetch that answers at once with one chunk of body, then nothing more. */
  const stalling: typeof fetch = async () =>
    new Response(new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('交易时间,商户订单号\r\n')) }), { status: 200 });
  const wechatTools = (doFetch: typeof fetch) => ({
    config: { mchId: '1900000109', merchantSerial: 'SERIAL', merchantPrivateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey } as never,
    fetch: doFetch,
    clock: () => new Date(),
    limits,
    call: async () => ({ status: 200, body: { hash_type: 'SHA1', hash_value: '0'.repeat(40), download_url: 'https://api.mch.weixin.qq.com/v3/billdownload/file?token=x' } }),
  });

  it('gives up on an answer that does not start in time, naming the limit', async () => {
    await expect(fetchAnsweredWithin(silent, 'https://example.invalid/', {}, 60, 'test download')).rejects.toThrow(/no answer within 60 ms/);
    await expect(wechatTradeBill(wechatTools(silent), '2026-11-22')).rejects.toMatchObject({ platformCode: 'network', message: expect.stringMatching(/no answer within 60 ms/) });
    await expect(alipayTradeBill(async () => ({ code: '10000', bill_download_url: 'https://dwbillcenter.alipay.com/x' }), '2026-11-22', silent, limits)).rejects.toThrow(/no answer within 60 ms/);
  });

  it('gives up on a body that stops bringing bytes', async () => {
    const wechat = await wechatTradeBill(wechatTools(stalling), '2026-11-22');
    await expect(wechat.outcome === 'ready' ? readAll(wechat.body) : Promise.resolve('')).rejects.toBeInstanceOf(PlatformTimeout);
    const alipay = await alipayTradeBill(async () => ({ code: '10000', bill_download_url: 'https://dwbillcenter.alipay.com/x' }), '2026-11-22', stalling, limits);
    await expect(alipay.outcome === 'ready' ? readAll(alipay.body) : Promise.resolve('')).rejects.toThrow(/nothing received for 60 ms/);
  });
});

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`bills downloaded from the sandbox on ${target.name}`, () => {
    let api: TestApi;
    let assistant: string;
    let manager: string;
    let owner: string;
    let storeId: string;
    const day = businessDate(new Date());
    const dayStart = Date.parse(`${day}T00:00:00+08:00`);
    const before10 = new Date(dayStart + 86_400_000 + 9.5 * 3_600_000);
    const after10 = new Date(dayStart + 86_400_000 + 10.5 * 3_600_000);
    const paid = new Map<Channel, { notified: string; lost: string; refund: string }>();

    const signIn = async () => {
      [assistant, manager, owner] = await Promise.all([api.staffToken('o_demo_assistant_1'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_owner')]);
    };

    beforeAll(async () => {
      // The real adapters, on the API's clock: their signatures and timestamp checks move with it, as the sandbox's do.
      const clock = () => api.deps.clock();
      const env = () => sandboxEnv(api.keys, api.sandbox.url);
      const payments = channelRegistry({ wechat: (binding) => createWechatPayChannel(readWechatPayConfig(env()), binding, { clock }), alipay: () => createAlipayChannel(readAlipayPayConfig(env()), { clock }) });
      api = await startTestApi(target, { http: true, payments });
      await signIn();
      storeId = api.seed.storeIds.DEMO01!;
      await sandbox('/sandbox/notifications/control', { mode: 'normal', retryScale: 0.0001 });
    });
    afterAll(async () => api?.stop());

    const sandbox = (path: string, body?: unknown) => callSandbox(api.sandbox.url, path, body);
    /** The API's clock and the sandbox's move together, as real time would. */
    async function at(when: Date) {
      api.setNow(when);
      expect((await sandbox('/sandbox/clock', { at: when.toISOString() })).status).toBe(200);
      await signIn();
    }
    const status = async (paymentId: string) => (await api.deps.db.selectFrom('payments').select('status').where('id', '=', paymentId).executeTakeFirstOrThrow()).status;

    async function payByQr(channel: Channel): Promise<{ paymentId: string; orderId: string }> {
      const sku = await findSku(api, assistant, 'wlj');
      const res = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 2 }], tenders: [], expectedTotalFen: sku.retailPriceFen * 2, awaitPayment: true } });
      expect(res.status).toBe(201);
      const order = checkoutResponse.parse(res.body).order;
      const payRes = await api.call('POST', `/api/orders/${order.id}/payments`, { token: assistant, body: { clientPaymentId: newId('payment'), mode: 'qr', channel } });
      expect(payRes.status).toBe(201);
      const p = paymentResponse.parse(payRes.body).payment;
      const played = await sandbox(`/sandbox/${channel}/pay`, channel === 'wechat' ? { codeUrl: p.codeUrl } : { qrCode: p.codeUrl });
      expect(played.status).toBeLessThan(300);
      return { paymentId: p.id, orderId: order.id };
    }

    it('a day of payments: one notified and refunded in part, one whose notification was dropped', async () => {
      for (const channel of channels) {
        const a = await payByQr(channel);
        await until('the notification', async () => ((await status(a.paymentId)) === 'succeeded' ? true : undefined));
        await sandbox('/sandbox/notifications/control', { mode: 'drop', count: 1 });
        const b = await payByQr(channel);
        const order = (await api.call('GET', `/api/orders/${a.orderId}`, { token: manager })).body;
        const line = (order.order ?? order).lines[0];
        const ret = await api.call('POST', '/api/returns', { token: manager, body: { clientReturnId: newId('return'), orderId: a.orderId, reason: '质量问题', lines: [{ orderLineId: line.id, qty: 1 }] } });
        expect(ret.status).toBe(201);
        const refund = await until('the refund', async () => {
          const r = await api.deps.db.selectFrom('platform_refunds').select(['id', 'status']).where('payment_id', '=', a.paymentId).executeTakeFirst();
          return r?.status === 'succeeded' ? r : undefined;
        });
        expect(await status(b.paymentId)).toBe('pending');
        paid.set(channel, { notified: a.paymentId, lost: b.paymentId, refund: refund.id });
      }
    });

    it('before 10:00 the next morning the bills are not ready: nothing stored, nothing run', async () => {
      await at(before10);
      const cron = await api.call('GET', '/api/cron/reconcile', { headers: CRON });
      expect(cron.status).toBe(200);
      expect(cron.body.day).toBe(day);
      expect(cron.body.downloads.map((d: { channel: string; outcome: string }) => [d.channel, d.outcome]).sort()).toEqual([['alipay', 'not_ready'], ['wechat', 'not_ready']]);
      expect(cron.body.runs).toEqual([]);
      expect(await api.deps.db.selectFrom('reconcile_bills').select('id').execute()).toEqual([]);
    });

    it('after 10:00 the cron downloads both bills, reconciles, and settles the payment whose notification was lost', async () => {
      await at(after10);
      const cron = await api.call('GET', '/api/cron/reconcile', { headers: CRON });
      expect(cron.status).toBe(200);
      expect(cron.body.failures).toBe(0);
      expect(cron.body.downloads.map((d: { channel: string; outcome: string }) => [d.channel, d.outcome]).sort()).toEqual([['alipay', 'reconciled'], ['wechat', 'reconciled']]);
      expect(cron.body.runs.map((r: { status: string }) => r.status)).toEqual(['done', 'done']);
      for (const channel of channels) {
        const p = paid.get(channel)!;
        const run = cron.body.runs.find((r: { channel: string }) => r.channel === channel);
        const bill = await api.deps.db.selectFrom('reconcile_runs as r').innerJoin('reconcile_bills as b', 'b.id', 'r.bill_id').select(['b.line_count', 'r.counts']).where('r.id', '=', run.runId).executeTakeFirstOrThrow();
        // Two payments and one refund, read from WeChat's gunzipped CSV or Alipay's zip of GBK CSVs.
        expect(bill.line_count).toBe(3);
        expect(bill.counts).toEqual({ matched: 2, missing_in_system: 1 });
        const items = await api.deps.db.selectFrom('reconcile_items as i').leftJoin('reconcile_repairs as x', 'x.item_id', 'i.id').select(['i.kind', 'i.class', 'i.payment_id', 'i.refund_id', 'x.action']).where('i.run_id', '=', run.runId).execute();
        expect(items.find((i) => i.payment_id === p.lost)).toMatchObject({ class: 'missing_in_system', action: 'settled' });
        // Matched records are not stored one by one; they are read on demand through the API.
        const matched = reconcileItemsResponse.parse((await api.call('GET', `/api/reconcile/runs/${run.runId}/items?class=matched`, { token: owner })).body).items;
        expect(matched.find((i) => i.kind === 'refund')).toMatchObject({ class: 'matched', refundId: p.refund });
        expect(await status(p.lost)).toBe('succeeded');
      }
    });

    it('runs again without redoing a day reconciled from the same bill; the owner can download and reconcile again with a stable result', async () => {
      const runsBefore = (await api.deps.db.selectFrom('reconcile_runs').select('id').execute()).length;
      const again = await api.call('GET', '/api/cron/reconcile', { headers: CRON });
      expect(again.body.downloads.map((d: { outcome: string }) => d.outcome)).toEqual(['already_reconciled', 'already_reconciled']);
      expect(again.body.runs).toEqual([]);
      expect((await api.deps.db.selectFrom('reconcile_runs').select('id').execute()).length).toBe(runsBefore);

      for (const channel of channels) {
        const first = await api.call('POST', '/api/reconcile/downloads', { token: manager, body: { channel, date: day } });
        expect(first.status).toBe(201);
        const r1 = billDownloadResponse.parse(first.body);
        expect(r1.outcome).toBe('reconciled');
        // The lost payment was settled by the cron's run: now everything matches.
        expect(r1.run?.counts).toEqual({ matched: 3 });
        const second = billDownloadResponse.parse((await api.call('POST', '/api/reconcile/downloads', { token: owner, body: { channel, date: day } })).body);
        expect(second.billId).toBe(r1.billId);
        expect(second.run?.resultHash).toBe(r1.run?.resultHash);
      }
      expect((await api.deps.db.selectFrom('reconcile_bills').select('id').execute()).length).toBe(2);
    });

    it('a WeChat file that is not the one announced is refused whole, with its outcome named', async () => {
      const bills = (await api.deps.db.selectFrom('reconcile_bills').select('id').execute()).length;
      const lines = (await api.deps.db.selectFrom('reconcile_bill_lines').select('bill_key').execute()).length;
      const runs = (await api.deps.db.selectFrom('reconcile_runs').select('id').execute()).length;
      await sandbox('/sandbox/wechat/bills', { tamper: true });
      try {
        const res = await api.call('POST', '/api/reconcile/downloads', { token: manager, body: { channel: 'wechat', date: day } });
        expect(res.status).toBe(200);
        expect(billDownloadResponse.parse(res.body)).toMatchObject({ outcome: 'hash_mismatch', billId: null, run: null });
        expect(res.body.message).toMatch(/SHA1/);
      } finally {
        await sandbox('/sandbox/wechat/bills', { tamper: false });
      }
      expect((await api.deps.db.selectFrom('reconcile_bills').select('id').execute()).length).toBe(bills);
      expect((await api.deps.db.selectFrom('reconcile_bill_lines').select('bill_key').execute()).length).toBe(lines);
      expect((await api.deps.db.selectFrom('reconcile_runs').select('id').execute()).length).toBe(runs);
    });

    it('a day with no trade has no statement on either platform; today cannot be asked for', async () => {
      const quiet = businessDate(new Date(dayStart - 86_400_000));
      for (const channel of channels) {
        const res = await api.call('POST', '/api/reconcile/downloads', { token: manager, body: { channel, date: quiet } });
        expect(res.status).toBe(200);
        expect(billDownloadResponse.parse(res.body)).toMatchObject({ outcome: 'no_statement', run: null });
      }
      const today = await api.call('POST', '/api/reconcile/downloads', { token: manager, body: { channel: 'wechat', date: businessDate(after10) } });
      expect(today.status).toBe(400);
    });

    it('lists every attempt with its outcome for managers; an assistant may not download', async () => {
      const list = billDownloadsResponse.parse((await api.call('GET', '/api/reconcile/downloads', { token: manager })).body);
      const outcomes = new Set(list.items.map((i) => i.outcome));
      for (const o of ['not_ready', 'reconciled', 'already_reconciled', 'hash_mismatch', 'no_statement'] as const) expect(outcomes).toContain(o);
      expect(list.items.some((i) => i.byCron) && list.items.some((i) => !i.byCron)).toBe(true);
      expect((await api.call('POST', '/api/reconcile/downloads', { token: assistant, body: { channel: 'wechat', date: day } })).status).toBe(403);
      expect((await api.call('GET', '/api/reconcile/downloads', { token: assistant })).status).toBe(403);
    });
  });
}
