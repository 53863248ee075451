import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { checkoutResponse } from '../../shared/api/orders';
import { orderCancelResponse, paymentResponse } from '../../shared/api/payments';
import { newId } from '../../shared/ids';
import { callSandbox, until } from '../_support/sandbox-client';
import { paymentChannelFor } from '../../api/_payments/merchant-channel';

/**
 * Cancelling an open order with the real adapters and the sandbox playing
 * WeChat Pay and Alipay: the close, the reversal and the query are real
 * signed calls, and a late payment comes back as a signed notification.
 */
const channels: readonly ('wechat' | 'alipay')[] = ['wechat', 'alipay'];
const CRON = { authorization: 'Bearer test-cron-secret' };


for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`cancelling an open order through the sandbox on ${target.name}`, () => {
    let api: TestApi;
    let assistant: string;
    let storeId: string;

    beforeAll(async () => {
      api = await startTestApi(target, { http: true });
      assistant = await api.staffToken('o_demo_assistant_1');
      storeId = api.seed.storeIds.DEMO01!;
      await sandbox('/sandbox/notifications/control', { mode: 'normal', retryScale: 0.0001 });
    });
    afterAll(async () => api?.stop());

    const sandbox = (path: string, body?: unknown) => callSandbox(api.sandbox.url, path, body);

    async function openOrder(qty = 1) {
      const sku = await findSku(api, assistant, 'wlj');
      const res = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty }], tenders: [], expectedTotalFen: sku.retailPriceFen * qty, awaitPayment: true } });
      expect(res.status).toBe(201);
      return checkoutResponse.parse(res.body).order;
    }
    const pay = (id: string, body: Record<string, unknown>) => api.call('POST', `/api/orders/${id}/payments`, { token: assistant, body: { clientPaymentId: newId('payment'), ...body } });
    const cancel = async (id: string) => orderCancelResponse.parse((await api.call('POST', `/api/orders/${id}/cancel`, { token: assistant, body: { clientCancelId: newId('orderCancel'), reason: 'switch_to_cash' } })).body);
    const payAtSandbox = (channel: 'wechat' | 'alipay', codeUrl: string) => sandbox(`/sandbox/${channel}/pay`, channel === 'wechat' ? { codeUrl } : { qrCode: codeUrl });

    for (const channel of channels) {
      it(`${channel}: a QR nobody paid is closed there and the order cancelled; a payment after that is refunded automatically`, async () => {
        const order = await openOrder(2);
        const p = paymentResponse.parse((await pay(order.id, { mode: 'qr', channel })).body).payment;
        const res = await cancel(order.id);
        expect(res.outcome).toBe('cancelled');
        const row = await api.deps.db.selectFrom('payments').select(['status', 'failure_code']).where('id', '=', p.id).executeTakeFirstOrThrow();
        expect(row).toEqual({ status: 'closed', failure_code: 'CANCELLED' });
        const late = await payAtSandbox(channel, p.codeUrl!);
        if (channel === 'wechat') {
          // WeChat closed the trade: the customer can no longer pay it.
          expect(late.status).toBe(409);
          expect((await api.deps.db.selectFrom('platform_refunds').select('id').where('payment_id', '=', p.id).execute()).length).toBe(0);
        } else {
          // Alipay cannot close a QR nobody scanned: the customer scans and pays, and the money goes back.
          expect(late.status).toBeLessThan(300);
          const refund = await until('the surplus refund', () => api.deps.db.selectFrom('platform_refunds').select(['id', 'status', 'amount_fen']).where('payment_id', '=', p.id).executeTakeFirst());
          expect(refund.amount_fen).toBe(order.totalFen);
          const log = await api.deps.db.selectFrom('payment_notifications').select('outcome').where('out_trade_no', '=', p.id).execute();
          expect(log.map((l) => l.outcome)).toContain('applied_surplus');
          expect((await api.call('GET', '/api/cron/payments', { headers: CRON })).status).toBe(200);
          const sent = await until('the refund to succeed', async () => {
            const r = await api.deps.db.selectFrom('platform_refunds').select('status').where('id', '=', refund.id).executeTakeFirstOrThrow();
            if (r.status === 'succeeded') return r;
            await api.call('GET', '/api/cron/payments', { headers: CRON });
            return undefined;
          });
          expect(sent.status).toBe('succeeded');
        }
        expect((await api.deps.db.selectFrom('orders').select('status').where('id', '=', order.id).executeTakeFirstOrThrow()).status).toBe('cancelled');
        expect(await checkInvariants(api)).toEqual(invariantsHold);
      });

      it(`${channel}: a payment code the customer is still confirming is reversed there before the order is cancelled`, async () => {
        const order = await openOrder();
        const code = await sandbox('/sandbox/paycodes', { channel, behaviour: 'userpaying', afterQueries: 100 });
        const p = paymentResponse.parse((await pay(order.id, { mode: 'code', authCode: code.json.code })).body).payment;
        expect(p.status).toBe('pending');
        const res = await cancel(order.id);
        expect(res.outcome).toBe('cancelled');
        const platform = await (await paymentChannelFor(api.deps, api.seed.merchantId, channel)).query(p.id);
        expect(['closed', 'failed']).toContain(platform.state);
        const events = await api.deps.db.selectFrom('payment_events').select(['event', 'source']).where('payment_id', '=', p.id).orderBy('id').execute();
        expect(events.map((e) => `${e.event}/${e.source}`)).toContain('reversed/cancel');
        expect(await checkInvariants(api)).toEqual(invariantsHold);
      });

      it(`${channel}: a QR the customer paid (its notification lost) settles the order instead of cancelling it`, async () => {
        await sandbox('/sandbox/notifications/control', { mode: 'drop' });
        try {
          const order = await openOrder();
          const p = paymentResponse.parse((await pay(order.id, { mode: 'qr', channel })).body).payment;
          expect((await payAtSandbox(channel, p.codeUrl!)).status).toBeLessThan(300);
          const res = await cancel(order.id);
          expect(res.outcome).toBe('already_paid');
          expect(res.order.status).toBe('paid');
          expect(res.order.tenders.map((t) => t.method)).toEqual([channel]);
          const row = await api.deps.db.selectFrom('payments').select(['status', 'settled_by', 'surplus']).where('id', '=', p.id).executeTakeFirstOrThrow();
          expect(row).toEqual({ status: 'succeeded', settled_by: 'query', surplus: false });
        } finally {
          await sandbox('/sandbox/notifications/control', { mode: 'normal' });
        }
        expect(await checkInvariants(api)).toEqual(invariantsHold);
      });
    }
  });
}
