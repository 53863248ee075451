import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { checkoutResponse } from '../../shared/api/orders';
import { paymentResponse } from '../../shared/api/payments';
import { newId } from '../../shared/ids';
import { runSplitJobs } from '../../api/_split/split.service';
import { callSandbox, until } from '../_support/sandbox-client';

/**
 * Profit sharing end to end: a rule for the store, a WeChat payment placed
 * with profit_sharing, the sweep splitting it through the real adapter and
 * the sandbox (too early first, then accepted; one receiver failing), the
 * remainder unfrozen, and a return whose refund first brings the split back.
 */


const landlord = '1900000201';
const brand = '1900000202';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`profit sharing through the WeChat sandbox on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let assistant: string;
    let storeId: string;

    beforeAll(async () => {
      api = await startTestApi(target, { http: true });
      owner = await api.staffToken('o_demo_owner');
      assistant = await api.staffToken('o_demo_assistant_1');
      storeId = api.seed.storeIds.DEMO01!;
      await sandbox('/sandbox/notifications/control', { mode: 'normal', retryScale: 0.0001 });
    });
    afterAll(async () => api?.stop());

    const sandbox = (path: string, body?: unknown) => callSandbox(api.sandbox.url, path, body);

    it('a rule → a payment placed for sharing → split (too early, then accepted, one receiver failing) → unfreeze → a refund returns the split first', async () => {
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
      const saved = await api.call('POST', '/api/split/rules', {
        token: owner,
        body: {
          clientRuleId: newId('splitRule'),
          storeId,
          effectiveFrom: today,
          receivers: [
            { name: '万达广场管理有限公司', kind: 'landlord', channel: 'wechat', accountType: 'MERCHANT_ID', account: landlord, description: '租金分成', bp: 2000 },
            { name: '品牌方有限公司', kind: 'brand', channel: 'wechat', accountType: 'MERCHANT_ID', account: brand, description: '品牌分成', bp: 1000 },
          ],
        },
      });
      expect(saved.status, JSON.stringify(saved.body)).toBe(201);
      await sandbox('/sandbox/wechat/split-settings', { splitAfterMs: 60_000, failAccounts: [brand] });

      const sku = await findSku(api, assistant, 'wlj');
      const created = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 2 }], tenders: [], expectedTotalFen: sku.retailPriceFen * 2, awaitPayment: true } });
      expect(created.status).toBe(201);
      const order = checkoutResponse.parse(created.body).order;
      const payRes = await api.call('POST', `/api/orders/${order.id}/payments`, { token: assistant, body: { clientPaymentId: newId('payment'), mode: 'qr', channel: 'wechat' } });
      expect(payRes.status).toBe(201);
      const p = paymentResponse.parse(payRes.body).payment;
      expect((await sandbox('/sandbox/wechat/pay', { codeUrl: p.codeUrl })).status).toBe(200);
      const paid = await until('the payment', async () => {
        const row = await api.deps.db.selectFrom('payments').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
        return row.status === 'succeeded' ? row : undefined;
      });
      expect(paid.profit_sharing).toBe(true);
      expect((await sandbox(`/sandbox/wechat/trades/${p.id}`)).json.profitSharing).toBe(true);
      const total = paid.amount_fen;

      // Within the first minute nothing is split.
      expect((await runSplitJobs(api.deps)).calculated).toBe(0);

      // Past a minute on our clock, but the platform still says it is too early: logged, retried later.
      api.setNow(new Date(Date.now() + 65_000));
      const early = await runSplitJobs(api.deps);
      expect(early).toMatchObject({ calculated: 1, failed: 1 });
      const split0 = await api.deps.db.selectFrom('payment_splits').selectAll().where('payment_id', '=', p.id).executeTakeFirstOrThrow();
      expect(split0.status).toBe('calculated');
      expect(split0.last_error).toContain('订单处理中');

      await sandbox('/sandbox/wechat/split-settings', { splitAfterMs: 0 });
      // Sent, then asked about in the same sweep (the sandbox finishes a split when first asked), then the rest unfrozen.
      expect(await runSplitJobs(api.deps)).toMatchObject({ requested: 1, finished: 1, unfrozen: 1 });
      expect(await runSplitJobs(api.deps)).toMatchObject({ calculated: 0, requested: 0, finished: 0, unfrozen: 0 });

      const split = await api.deps.db.selectFrom('payment_splits').selectAll().where('payment_id', '=', p.id).executeTakeFirstOrThrow();
      expect(split.status).toBe('unfrozen');
      const landlordFen = Math.floor((total * 2000) / 10000);
      const brandFen = Math.floor((total * 3000) / 10000) - landlordFen;
      expect(Number(split.split_fen)).toBe(landlordFen + brandFen);
      expect(Number(split.split_fen) + Number(split.retained_fen)).toBe(total);
      const parts = await api.deps.db.selectFrom('payment_split_parts').innerJoin('split_receivers', 'split_receivers.id', 'payment_split_parts.receiver_id').select(['split_receivers.account', 'payment_split_parts.amount_fen', 'payment_split_parts.status', 'payment_split_parts.fail_reason']).where('split_id', '=', split.id).orderBy('line_no').execute();
      expect(parts.map((x) => [x.account, Number(x.amount_fen), x.status, x.fail_reason])).toEqual([
        [landlord, landlordFen, 'success', null],
        [brand, brandFen, 'closed', 'ACCOUNT_ABNORMAL'],
      ]);
      const alerts = await api.deps.db.selectFrom('owner_alerts').select('kind').where('subject_id', '=', split.id).execute();
      expect(alerts.map((a) => a.kind)).toContain('split_failed');
      const atPlatform = await sandbox(`/sandbox/wechat/splits/${paid.platform_trade_no}`);
      expect(atPlatform.json.outstandingFen).toBe(landlordFen);
      const unfreezeOrder = atPlatform.json.splits.find((s: any) => s.out_order_no === `${split.id}_U`);
      expect(unfreezeOrder.receivers[0].amount).toBe(total - landlordFen);

      // The whole order comes back: the refund needs the landlord's share back first.
      api.setNow(null as unknown as Date);
      const manager = await api.staffToken('o_demo_manager');
      const full = await api.call('GET', `/api/payments/${p.id}`, { token: assistant });
      const lines = paymentResponse.parse(full.body).order.lines;
      const ret = await api.call('POST', '/api/returns', { token: manager, body: { clientReturnId: newId('return'), orderId: order.id, reason: '质量问题', lines: lines.map((l) => ({ orderLineId: l.id, qty: l.qty })) } });
      expect(ret.status, JSON.stringify(ret.body)).toBe(201);
      const refund = await until('the refund', async () => {
        const r = await api.deps.db.selectFrom('platform_refunds').selectAll().where('payment_id', '=', p.id).executeTakeFirst();
        return r && r.status === 'succeeded' ? r : undefined;
      });
      expect(refund.amount_fen).toBe(total);
      expect((await sandbox(`/sandbox/wechat/splits/${paid.platform_trade_no}`)).json.outstandingFen).toBe(0);

      const log = await api.call('GET', `/api/split/log?paymentId=${p.id}`, { token: owner });
      expect(log.status).toBe(200);
      const events = (log.body.items as any[]).map((e) => [e.event, e.status, e.receiverId === null ? null : e.receiverName]);
      expect(events).toEqual([
        ['calculated', null, null],
        ['requested', null, null],
        ['request_failed', 'error', null],
        ['requested', null, null],
        ['result', 'success', '万达广场管理有限公司'],
        ['result', 'closed', '品牌方有限公司'],
        ['unfreeze', 'finished', null],
        ['return', 'success', '万达广场管理有限公司'],
      ]);
      const receiverId = (log.body.items as any[]).find((e) => e.event === 'return').receiverId;
      const byReceiver = await api.call('GET', `/api/split/log?receiverId=${receiverId}`, { token: owner });
      expect((byReceiver.body.items as any[]).map((e) => e.event)).toEqual(['result', 'return']);

      const csvRes = await api.app.request(`/api/split/log?paymentId=${p.id}&format=csv`, { headers: { authorization: `Bearer ${owner}` } });
      expect(csvRes.status).toBe(200);
      expect(csvRes.headers.get('content-type')).toContain('text/csv');
      const bytes = Buffer.from(await csvRes.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const csv = bytes.subarray(3).toString('utf8');
      expect(csv.startsWith('时间,支付单号,事件')).toBe(true);
      expect(csv).toContain(`,${(landlordFen / 100).toFixed(2)},`);
      expect(csv).toContain('分账回退');

      expect((await api.call('GET', `/api/split/log?paymentId=${p.id}`, { token: manager })).status).toBe(403);
      expect((await api.call('GET', `/api/split/log?paymentId=pay_01JAAAAAAAAAAAAAAAAAAAAAAA`, { token: owner })).status).toBe(404);
      await expect(api.deps.db.deleteFrom('split_log').where('payment_id', '=', p.id).execute()).rejects.toThrow(/append-only/);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    }, 90_000);

    it('a payment refunded before its split is never split: its frozen funds are released', async () => {
      await sandbox('/sandbox/wechat/split-settings', { splitAfterMs: 0, failAccounts: [] });
      const sku = await findSku(api, assistant, 'wlj');
      const created = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 1 }], tenders: [], expectedTotalFen: sku.retailPriceFen, awaitPayment: true } });
      const order = checkoutResponse.parse(created.body).order;
      const p = paymentResponse.parse((await api.call('POST', `/api/orders/${order.id}/payments`, { token: assistant, body: { clientPaymentId: newId('payment'), mode: 'qr', channel: 'wechat' } })).body).payment;
      await sandbox('/sandbox/wechat/pay', { codeUrl: p.codeUrl });
      const paid = await until('the payment', async () => {
        const row = await api.deps.db.selectFrom('payments').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
        return row.status === 'succeeded' ? row : undefined;
      });
      expect(paid.profit_sharing).toBe(true);
      const manager = await api.staffToken('o_demo_manager');
      const lines = paymentResponse.parse((await api.call('GET', `/api/payments/${p.id}`, { token: assistant })).body).order.lines;
      const ret = await api.call('POST', '/api/returns', { token: manager, body: { clientReturnId: newId('return'), orderId: order.id, reason: '不想要了', lines: lines.map((l) => ({ orderLineId: l.id, qty: l.qty })) } });
      expect(ret.status, JSON.stringify(ret.body)).toBe(201);
      await until('the refund', async () => {
        const r = await api.deps.db.selectFrom('platform_refunds').select('status').where('payment_id', '=', p.id).executeTakeFirst();
        return r?.status === 'succeeded' ? r : undefined;
      });
      api.setNow(new Date(Date.now() + 65_000));
      try {
        expect(await runSplitJobs(api.deps)).toMatchObject({ calculated: 1, requested: 0, unfrozen: 1 });
      } finally {
        api.setNow(null as unknown as Date);
      }
      const split = await api.deps.db.selectFrom('payment_splits').selectAll().where('payment_id', '=', p.id).executeTakeFirstOrThrow();
      expect([split.status, Number(split.split_fen), Number(split.retained_fen)]).toEqual(['unfrozen', 0, paid.amount_fen]);
      expect(await api.deps.db.selectFrom('payment_split_parts').selectAll().where('split_id', '=', split.id).execute()).toEqual([]);
      const log = await api.call('GET', `/api/split/log?paymentId=${p.id}`, { token: owner });
      expect((log.body.items as any[]).map((e) => e.event)).toEqual(['cancelled', 'unfreeze']);
    }, 60_000);
  });
}
