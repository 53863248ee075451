import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { findSku, orderId } from '../_support/selling';
import { seedOtherMerchant } from '../_support/other-merchant';
import { paymentResponse, refundsResponse } from '../../shared/api/payments';
import { checkoutResponse } from '../../shared/api/orders';
import { newPaymentId, openOrderRequestFor, waitingViewOf } from '../../src/services/counter-pay';
import { counterRefundLine } from '../../src/services/pay-admin';
import { fakeChannels, type FakeChannel } from './fake-channel';

// The server side of the counter's payment screens, driven with the requests the screens build.
for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`counter platform payments and refund status on ${target.name}`, () => {
    let api: TestApi;
    let wechat: FakeChannel;
    let assistant: string;

    beforeAll(async () => {
      const fake = fakeChannels();
      wechat = fake.wechat;
      api = await startTestApi(target, { payments: fake.channels });
      assistant = await api.staffToken('o_demo_assistant_1');
    });
    afterAll(async () => api?.stop());

    async function openOrder(qty = 2) {
      const sku = await findSku(api, assistant, 'wlj');
      const bill = { lines: [{ skuId: sku.id, productId: '', categoryId: '', name: sku.name, spec: '', unit: '', barcode: sku.barcode, retailPriceFen: sku.retailPriceFen, memberPriceFen: sku.memberPriceFen, qty }] };
      const request = openOrderRequestFor(bill, { clientOrderId: orderId(), storeId: api.seed.storeIds.DEMO01!, deviceId: 'GTTEST0001', memberId: null, pointsToRedeem: 0, expectedTotalFen: sku.retailPriceFen * qty });
      const res = await api.call('POST', '/api/orders', { token: assistant, body: request });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return checkoutResponse.parse(res.body).order;
    }

    const pay = async (id: string, body: unknown) => api.call('POST', `/api/orders/${id}/payments`, { token: assistant, body });
    const poll = async (paymentId: string) => paymentResponse.parse((await api.call('GET', `/api/payments/${paymentId}`, { token: assistant })).body);

    it('a code that waits for the password shows the honest wait, then pays the open order', async () => {
      const order = await openOrder();
      expect(order.status).toBe('open');
      const clientPaymentId = newPaymentId();
      const first = paymentResponse.parse((await pay(order.id, { clientPaymentId, mode: 'code', authCode: '134567890123456782' })).body);
      expect(first.payment).toMatchObject({ status: 'pending', mode: 'code', channel: 'wechat', amountFen: order.totalFen });
      const waiting = waitingViewOf(first.payment);
      expect(waiting.tone).toBe('waiting');
      expect(waiting.detail).toMatch(/^已等待 \d+ 秒 \/ 最多 45 秒$/);

      wechat.confirm(clientPaymentId);
      await new Promise((r) => setTimeout(r, 2_100));
      const done = await poll(clientPaymentId);
      expect(done.payment.status).toBe('succeeded');
      expect(done.order.status).toBe('paid');
      expect(done.order.receiptNo).not.toBe('');
      expect(waitingViewOf(done.payment)).toMatchObject({ tone: 'paid', polling: false });
    });

    it('a failed code shows the platform\'s reason; 换一种方式 is a new attempt on the same open order', async () => {
      const order = await openOrder();
      const failed = paymentResponse.parse((await pay(order.id, { clientPaymentId: newPaymentId(), mode: 'code', authCode: '284567890123456783' })).body);
      expect(waitingViewOf(failed.payment)).toEqual({ tone: 'failed', title: '支付失败', detail: '余额不足', polling: false });
      const qr = paymentResponse.parse((await pay(order.id, { clientPaymentId: newPaymentId(), mode: 'qr', channel: 'wechat' })).body);
      expect(qr.payment.codeUrl).toMatch(/^weixin:\/\//);
      expect(qr.order.id).toBe(order.id);
    });

    it('after a return to WeChat, the counter sees where the refund stands; other stores and merchants cannot', async () => {
      const order = await openOrder(1);
      const clientPaymentId = newPaymentId();
      await pay(order.id, { clientPaymentId, mode: 'code', authCode: '104567890123456781' });
      const ret = await api.call('POST', '/api/returns', { token: assistant, body: { clientReturnId: `ret_${clientPaymentId.slice(4)}`, orderId: order.id, reason: '顾客不想要了' } });
      expect(ret.status, JSON.stringify(ret.body)).toBe(201);
      expect(ret.body.return.refunds).toEqual([{ method: expect.stringMatching(/^wechat/), amountFen: order.totalFen }]);

      const res = await api.call('GET', `/api/orders/${order.id}/refunds`, { token: assistant });
      expect(res.status).toBe(200);
      const { items } = refundsResponse.parse(res.body);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ returnId: ret.body.return.id, channel: 'wechat', amountFen: order.totalFen, status: 'succeeded' });
      expect(counterRefundLine(items[0]!)).toBe('已退回顾客微信');

      const otherStore = await api.staffToken('o_demo_assistant_2');
      expect((await api.call('GET', `/api/orders/${order.id}/refunds`, { token: otherStore })).status).toBe(403);
      await seedOtherMerchant(api.deps.db);
      const stranger = await api.staffToken('o_other_owner');
      expect((await api.call('GET', `/api/orders/${order.id}/refunds`, { token: stranger })).status).toBe(404);
      expect((await api.call('GET', `/api/orders/${order.id}/refunds`)).status).toBe(401);
    });
  });
}
