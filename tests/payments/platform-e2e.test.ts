import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { checkoutResponse } from '../../shared/api/orders';
import { paymentResponse, type PaymentResponse } from '../../shared/api/payments';
import { newId } from '../../shared/ids';
import { channelOfAuthCode } from '../../api/_payments/channel';
import { callSandbox, until } from '../_support/sandbox-client';

/**
 * The whole path with the real adapters and the sandbox playing the
 * platform: signed requests out, signed notifications back over HTTP into
 * the API, payment codes that wait, and refunds.
 */
const channels: readonly ('wechat' | 'alipay')[] = ['wechat', 'alipay'];
const shopper = { wechat: { platform: 'wechat', userId: 'o_demo_member_1' }, alipay: { platform: 'alipay', userId: '2088000000000101' } } as const;



for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`payments end to end through the sandbox on ${target.name}`, () => {
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

    const poll = async (paymentId: string, token = assistant): Promise<PaymentResponse> => paymentResponse.parse((await api.call('GET', `/api/payments/${paymentId}`, { token })).body);
    const paidBy = (paymentId: string, token = assistant) => until(`payment ${paymentId}`, async () => {
      const p = await poll(paymentId, token);
      return p.payment.status === 'succeeded' ? p : undefined;
    });

    for (const channel of channels) {
      it(`${channel}: the customer scans the counter's QR and the notification settles the order`, async () => {
        const order = await openOrder(2);
        const res = await api.call('POST', `/api/orders/${order.id}/payments`, { token: assistant, body: { clientPaymentId: newId('payment'), mode: 'qr', channel } });
        expect(res.status).toBe(201);
        const p = paymentResponse.parse(res.body).payment;
        expect(p.codeUrl).toBeTruthy();
        const paid = await sandbox(`/sandbox/${channel}/pay`, channel === 'wechat' ? { codeUrl: p.codeUrl } : { qrCode: p.codeUrl });
        expect(paid.status).toBeLessThan(300);
        const done = await until('the notification', async () => {
          const row = await api.deps.db.selectFrom('payments').select(['status', 'settled_by']).where('id', '=', p.id).executeTakeFirstOrThrow();
          return row.status === 'succeeded' ? row : undefined;
        });
        expect(done.settled_by).toBe('notify');
        const log = await api.deps.db.selectFrom('payment_notifications').select('outcome').where('out_trade_no', '=', p.id).execute();
        expect(log.map((l) => l.outcome)).toContain('applied');
      });

      it(`${channel}: a payment code that waits for the customer's password, then succeeds`, async () => {
        const order = await openOrder();
        const code = await sandbox('/sandbox/paycodes', { channel, behaviour: 'userpaying', afterQueries: 2 });
        expect(channelOfAuthCode(code.json.code)).toBe(channel);
        const res = await api.call('POST', `/api/orders/${order.id}/payments`, { token: assistant, body: { clientPaymentId: newId('payment'), mode: 'code', authCode: code.json.code } });
        const p = paymentResponse.parse(res.body).payment;
        expect(p.channel).toBe(channel);
        expect(p.status).toBe('pending');
        const done = await until('USERPAYING to turn paid', async () => {
          await new Promise((r) => setTimeout(r, 2_100));
          const polled = await poll(p.id);
          return polled.payment.status === 'pending' ? undefined : polled;
        }, 20_000);
        expect(done.payment.status).toBe('succeeded');
        expect(done.order.status).toBe('paid');
      });

      it(`${channel}: insufficient balance fails the attempt with the platform's reason`, async () => {
        const order = await openOrder();
        const code = await sandbox('/sandbox/paycodes', { channel, behaviour: 'insufficient' });
        const res = await api.call('POST', `/api/orders/${order.id}/payments`, { token: assistant, body: { clientPaymentId: newId('payment'), mode: 'code', authCode: code.json.code } });
        const p = paymentResponse.parse(res.body).payment;
        expect(p.status).toBe('failed');
        expect(p.failure?.message).toBeTruthy();
      });

      it(`${channel}: a shopper pays in the mini-program, and a return refunds the way the money came`, async () => {
        const who = shopper[channel];
        const code = await api.loginCode(who.platform, who.userId);
        const login = await api.call('POST', '/api/auth/shopper/login', { body: { platform: who.platform, code, storeCode: 'DEMO01' } });
        expect(login.status).toBe(200);
        const token = login.body.token as string;
        const sku = await findSku(api, assistant, 'wlj');
        const created = await api.call('POST', '/api/shop/orders', { token, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 2 }], expectedTotalFen: sku.memberPriceFen * 2 } });
        expect(created.status).toBe(201);
        const order = checkoutResponse.parse(created.body).order;
        const payRes = await api.call('POST', `/api/shop/orders/${order.id}/pay`, { token, body: { clientPaymentId: newId('payment'), channel } });
        expect(payRes.status).toBe(201);
        const p = paymentResponse.parse(payRes.body).payment;
        const jsapi = p.jsapi!;
        const played = await sandbox(`/sandbox/${channel}/pay`, jsapi.channel === 'wechat' ? { prepayId: jsapi.package.replace('prepay_id=', '') } : { tradeNo: jsapi.tradeNO });
        expect(played.status).toBeLessThan(300);
        const paid = await paidBy(p.id, token);
        expect(paid.order.status).toBe('paid');

        const manager = await api.staffToken('o_demo_manager');
        const line = paid.order.lines[0]!;
        const ret = await api.call('POST', '/api/returns', { token: manager, body: { clientReturnId: newId('return'), orderId: order.id, reason: '尺码不合适', lines: [{ orderLineId: line.id, qty: 1 }] } });
        expect(ret.status).toBe(201);
        const refund = await until('the refund', async () => {
          const r = await api.deps.db.selectFrom('platform_refunds').selectAll().where('payment_id', '=', p.id).executeTakeFirst();
          return r && r.status === 'succeeded' ? r : undefined;
        });
        expect(refund.amount_fen).toBe(sku.memberPriceFen);
        const trade = await sandbox(`/sandbox/${channel}/trades/${p.id}`);
        expect(JSON.stringify(trade.json)).toContain(refund.out_refund_no);
        expect(await checkInvariants(api)).toEqual(invariantsHold);
      });
    }
  });
}
