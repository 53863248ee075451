import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { sandbox_wechat_sub_mchids } from '../../tools/sandbox/wechat-pay';
import { findSku, orderId } from '../_support/selling';
import { callSandbox, until } from '../_support/sandbox-client';
import { checkoutResponse } from '../../shared/api/orders';
import { paymentResponse } from '../../shared/api/payments';
import { jobFailuresResponse, merchantJobsResponse } from '../../shared/api/jobs';
import { newId } from '../../shared/ids';
import { signDelivery } from '../../tools/qstash/signature';

/**
 * The crons fanned out through the queue stand-in: a tick enqueues one
 * message per merchant (per merchant × channel for bills), a second tick in
 * the same slot enqueues nothing, each message touches only its merchant, a
 * delivery without QStash's signature runs nothing, the same delivery twice
 * changes nothing, and a merchant whose work fails is retried, dead-lettered
 * and shown to its owner and to the operator without holding up the others.
 */

const CRON = { authorization: 'Bearer test-cron-secret' };

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`jobs fanned out through the queue on ${target.name}`, () => {
    let api: TestApi;
    let demo: string;
    let other: Awaited<ReturnType<typeof seedOtherMerchant>>;
    let third: string;
    let assistant: string;
    let demoOwner: string;
    let otherOwner: string;
    const now = new Date();

    beforeAll(async () => {
      // A service provider's deployment (#18): each shop takes WeChat Pay through its own sub-merchant, so each has its own bill.
      api = await startTestApi(target, { queue: true, env: { WECHATPAY_MODE: 'partner' } });
      api.setNow(now);
      demo = api.seed.merchantId;
      other = await seedOtherMerchant(api.deps.db);
      const [subDemo, subOther] = sandbox_wechat_sub_mchids;
      await api.deps.db.updateTable('merchant_payment_accounts').set({ mode: 'partner', sub_mchid: subDemo }).where('merchant_id', '=', demo).where('channel', '=', 'wechat').execute();
      await api.deps.db.insertInto('merchant_payment_accounts').values({ merchant_id: other.merchantId, channel: 'wechat', mode: 'partner', status: 'active', sub_mchid: subOther }).execute();
      third = newId('merchant');
      await api.deps.db.insertInto('merchants').values({ id: third, name: '第三家' }).execute();
      const sku = await api.deps.db.selectFrom('skus').select('id').where('merchant_id', '=', other.merchantId).executeTakeFirstOrThrow();
      await api.deps.db.insertInto('stock_levels').values({ merchant_id: other.merchantId, store_id: other.storeId, sku_id: sku.id, on_hand: 10 }).execute();
      [assistant, demoOwner, otherOwner] = await Promise.all([api.staffToken('o_demo_assistant_1'), api.staffToken('o_demo_owner'), api.staffToken('o_other_owner')]);
      await callSandbox(api.sandbox.url, '/sandbox/notifications/control', { mode: 'normal', retryScale: 0.0001 });
    });
    afterAll(async () => api?.stop());

    const runs = (job: string) => api.deps.db.selectFrom('job_runs').selectAll().where('job', '=', job).orderBy('merchant_id').orderBy('attempt').execute();
    const orderStatus = async (id: string) => (await api.deps.db.selectFrom('orders').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

    /** An open order awaiting payment, holding one unit; it expires open_order_hold_ms later. */
    async function openOrder(token: string, storeId: string, skuId: string, priceFen: number): Promise<string> {
      const res = await api.call('POST', '/api/orders', { token, body: { clientOrderId: orderId(), storeId, lines: [{ skuId, qty: 1 }], tenders: [], expectedTotalFen: priceFen, awaitPayment: true } });
      expect(res.status).toBe(201);
      return checkoutResponse.parse(res.body).order.id;
    }
    const demoOrder = async () => {
      const sku = await findSku(api, assistant, 'wlj');
      return openOrder(assistant, api.seed.storeIds.DEMO01!, sku.id, sku.retailPriceFen);
    };
    const otherOrder = async () => {
      const sku = await api.deps.db.selectFrom('skus').select(['id', 'retail_price_fen']).where('merchant_id', '=', other.merchantId).executeTakeFirstOrThrow();
      return openOrder(otherOwner, other.storeId, sku.id, sku.retail_price_fen);
    };

    /** A delivery as QStash makes it: the exact bytes, signed for this deployment's job URL. */
    function delivery(body: unknown, key = api.queue!.keys.currentSigningKey, job = (body as { job: string }).job) {
      const raw = JSON.stringify(body);
      const url = `${api.url}/api/jobs/${job}`;
      return { raw, url, headers: { 'upstash-signature': signDelivery(key, url, raw), 'upstash-message-id': newId('payment'), 'upstash-retried': '0', 'content-type': 'application/json' } };
    }

    it('a payments tick enqueues one message per merchant; the same slot again enqueues nothing; each runs once', async () => {
      const first = await api.call('GET', '/api/cron/payments', { headers: CRON });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ mode: 'queue', messages: 3, enqueued: 3, deduplicated: 0 });
      const again = await api.call('GET', '/api/cron/payments', { headers: CRON });
      expect(again.body).toEqual({ mode: 'queue', messages: 3, enqueued: 0, deduplicated: 3 });
      await api.queue!.queue.idle();
      const rows = await runs('payments');
      expect(rows.map((r) => r.merchant_id).sort()).toEqual([demo, other.merchantId, third].sort());
      expect(rows.every((r) => r.outcome === 'ok' && r.attempt === 1 && r.message_id?.startsWith('msg_'))).toBe(true);
      expect(new Set(rows.map((r) => r.slot)).size).toBe(1);
    });

    it('a reconcile tick enqueues one message per merchant × channel with payments, and the retention job once', async () => {
      // The demo shop takes money on both channels, the other shop on WeChat only, the third on neither.
      const pay = async (token: string, orderIdValue: string, channel: 'wechat' | 'alipay') => {
        const res = await api.call('POST', `/api/orders/${orderIdValue}/payments`, { token, body: { clientPaymentId: newId('payment'), mode: 'qr', channel } });
        expect(res.status).toBe(201);
        const p = paymentResponse.parse(res.body).payment;
        expect((await callSandbox(api.sandbox.url, `/sandbox/${channel}/pay`, channel === 'wechat' ? { codeUrl: p.codeUrl } : { qrCode: p.codeUrl })).status).toBeLessThan(300);
        await until('the payment', async () => ((await api.deps.db.selectFrom('payments').select('status').where('id', '=', p.id).executeTakeFirstOrThrow()).status === 'succeeded' ? true : undefined));
      };
      await pay(assistant, await demoOrder(), 'wechat');
      await pay(assistant, await demoOrder(), 'alipay');
      await pay(otherOwner, await otherOrder(), 'wechat');

      const tick = await api.call('GET', '/api/cron/reconcile', { headers: CRON });
      expect(tick.body).toEqual({ mode: 'queue', messages: 4, enqueued: 4, deduplicated: 0 });
      expect((await api.call('GET', '/api/cron/reconcile', { headers: CRON })).body).toEqual({ mode: 'queue', messages: 4, enqueued: 0, deduplicated: 4 });
      await api.queue!.queue.idle();
      const bills = await runs('reconcile');
      expect(bills.map((r) => `${r.merchant_id} ${(r.detail as { downloads: { channel: string; merchantId: string }[] }).downloads.map((d) => `${d.merchantId} ${d.channel}`).join()}`).sort()).toEqual(
        [`${demo} ${demo} alipay`, `${demo} ${demo} wechat`, `${other.merchantId} ${other.merchantId} wechat`].sort(),
      );
      expect(bills.every((r) => r.outcome === 'ok')).toBe(true);
      const retention = await runs('notification-retention');
      expect(retention.map((r) => [r.merchant_id, r.outcome])).toEqual([[null, 'ok']]);
    });

    it('a message does only its merchant’s work', async () => {
      const mine = await demoOrder();
      const theirs = await otherOrder();
      api.setNow(new Date(now.getTime() + 3_600_000));
      const forThird = delivery({ job: 'order-expiry', merchantId: third, slot: 'T1' });
      expect((await api.call('POST', '/api/jobs/order-expiry', { rawBody: forThird.raw, headers: forThird.headers })).status).toBe(200);
      expect([await orderStatus(mine), await orderStatus(theirs)]).toEqual(['open', 'open']);
      const forDemo = delivery({ job: 'order-expiry', merchantId: demo, slot: 'T1' });
      expect((await api.call('POST', '/api/jobs/order-expiry', { rawBody: forDemo.raw, headers: forDemo.headers })).status).toBe(200);
      expect([await orderStatus(mine), await orderStatus(theirs)]).toEqual(['cancelled', 'open']);
      const forOther = delivery({ job: 'order-expiry', merchantId: other.merchantId, slot: 'T1' });
      expect((await api.call('POST', '/api/jobs/order-expiry', { rawBody: forOther.raw, headers: forOther.headers })).status).toBe(200);
      expect(await orderStatus(theirs)).toBe('cancelled');
      api.setNow(now);
    });

    /** What an order's expiry touches: orders, holds, stock, the journal, and the job's records. */
    async function snapshot() {
      const q = (table: string) => sql<{ h: string }>`select coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as h from ${sql.table(table)} x`.execute(api.deps.db).then((r) => r.rows[0]!.h);
      return Promise.all(['orders', 'stock_reservations', 'stock_levels', 'stock_movements', 'journal_entries', 'journal_lines'].map(q));
    }

    it('a bad signature runs nothing and writes nothing; the next key is accepted; the same delivery twice changes nothing', async () => {
      const mine = await demoOrder();
      api.setNow(new Date(now.getTime() + 3_600_000));
      const body = { job: 'order-expiry', merchantId: demo, slot: 'T2' };
      const jobRows = async () => (await api.deps.db.selectFrom('job_runs').select('id').execute()).length;
      const before = [await snapshot(), await jobRows()];
      const wrongKey = delivery(body, 'sig_not_the_key');
      const tampered = delivery(body);
      const noSignature = delivery(body);
      const otherJob = delivery({ ...body, job: 'reservations' });
      const refused = [
        await api.call('POST', '/api/jobs/order-expiry', { rawBody: wrongKey.raw, headers: wrongKey.headers }),
        await api.call('POST', '/api/jobs/order-expiry', { rawBody: tampered.raw.replace('T2', 'T3'), headers: tampered.headers }),
        await api.call('POST', '/api/jobs/order-expiry', { rawBody: noSignature.raw, headers: { ...noSignature.headers, 'upstash-signature': '' } }),
        // Signed for another job's URL: the subject does not match this one.
        await api.call('POST', '/api/jobs/order-expiry', { rawBody: otherJob.raw.replace('reservations', 'order-expiry'), headers: otherJob.headers }),
      ];
      expect(refused.map((r) => r.status)).toEqual([401, 401, 401, 401]);
      expect([await snapshot(), await jobRows()]).toEqual(before);
      expect(await orderStatus(mine)).toBe('open');

      const signedNext = delivery(body, api.queue!.keys.nextSigningKey);
      expect((await api.call('POST', '/api/jobs/order-expiry', { rawBody: signedNext.raw, headers: signedNext.headers })).status).toBe(200);
      expect(await orderStatus(mine)).toBe('cancelled');
      const once = [await snapshot(), await jobRows()];
      const twice = await api.call('POST', '/api/jobs/order-expiry', { rawBody: signedNext.raw, headers: signedNext.headers });
      expect(twice.status).toBe(200);
      expect([await snapshot(), await jobRows()]).toEqual(once);
      api.setNow(now);
    });

    it('a failing merchant does not stop the others: it is retried, dead-lettered, and shown to its owner and the operator', async () => {
      const mine = await demoOrder();
      const theirs = await otherOrder();
      // The other merchant's orders cannot be written, as if its rows were locked or broken.
      await sql`create function refuse_other_orders() returns trigger language plpgsql as $$ begin raise exception 'injected failure for this merchant'; end $$`.execute(api.deps.db);
      await sql`create trigger refuse_other_orders before update on orders for each row when (old.merchant_id = ${sql.lit(other.merchantId)}) execute function refuse_other_orders()`.execute(api.deps.db);
      try {
        api.setNow(new Date(now.getTime() + 3 * 3_600_000));
        const tick = await api.call('GET', '/api/cron/release-reservations', { headers: CRON });
        expect(tick.body).toMatchObject({ mode: 'queue', messages: 3, enqueued: 3 });
        await api.queue!.queue.idle();
        expect([await orderStatus(mine), await orderStatus(theirs)]).toEqual(['cancelled', 'open']);
        const rows = await runs('order-expiry');
        const ticked = rows.filter((r) => r.slot !== 'T1' && r.slot !== 'T2');
        expect(ticked.filter((r) => r.merchant_id !== other.merchantId).map((r) => r.outcome)).toEqual(['ok', 'ok']);
        const failed = ticked.filter((r) => r.merchant_id === other.merchantId);
        expect(failed.map((r) => [r.attempt, r.outcome])).toEqual([
          [1, 'failed'],
          [2, 'failed'],
          [3, 'failed'],
          [4, 'failed'],
        ]);
        expect(failed[0]!.error).toContain('injected failure');

        const ops = await api.call('GET', '/api/ops/job-failures', { headers: CRON });
        expect(ops.status).toBe(200);
        const view = jobFailuresResponse.parse(ops.body);
        expect(view.failures.filter((f) => f.merchantId === other.merchantId && f.job === 'order-expiry').length).toBe(4);
        expect(view.failures.some((f) => f.merchantId !== other.merchantId)).toBe(false);
        expect(view.dlq!.messages).toHaveLength(1);
        expect(view.dlq!.messages[0]).toMatchObject({ url: `${api.url}/api/jobs/order-expiry`, responseStatus: 500 });
        expect((await api.call('GET', '/api/ops/job-failures', { token: demoOwner })).status).toBe(401);

        const theirView = merchantJobsResponse.parse((await api.call('GET', '/api/merchant/jobs', { token: otherOwner })).body);
        expect(theirView.items.find((i) => i.job === 'order-expiry')).toMatchObject({ outcome: 'failed', attempt: 4, failures: 4 });
        const ourView = merchantJobsResponse.parse((await api.call('GET', '/api/merchant/jobs', { token: demoOwner })).body);
        expect(ourView.items.find((i) => i.job === 'order-expiry')).toMatchObject({ outcome: 'ok', failures: 0 });
        expect(ourView.items.map((i) => i.job).sort()).toEqual(['order-expiry', 'payments', 'reconcile']);
        expect((await api.call('GET', '/api/merchant/jobs', { token: assistant })).status).toBe(403);
      } finally {
        await sql`drop trigger refuse_other_orders on orders`.execute(api.deps.db);
        api.setNow(now);
      }
    });
  });
}
