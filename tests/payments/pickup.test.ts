import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { findSku, orderId } from '../_support/selling';
import { fakeChannels, type FakeChannel } from '../_support/fake-channel';
import { seedOtherMerchant } from '../_support/other-merchant';
import { checkoutResponse, type OrderView } from '../../shared/api/orders';
import { paymentResponse } from '../../shared/api/payments';
import { handoverResponse, pickupsResponse, publicReceiptResponse } from '../../shared/api/pickup';
import { newId } from '../../shared/ids';
import { pickupCodeOf, pickupCodeOffset, pickup_code_space } from '../../api/_sales/pickup-code';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`pickup codes and handover on ${target.name}`, () => {
    let api: TestApi;
    let wechat: FakeChannel;
    let assistant: string;
    let otherOwner: string;
    let otherAssistant: string;
    let shopper: string;
    let storeId: string;
    const clock = Date.parse('2026-11-23T03:00:00Z');

    beforeAll(async () => {
      const fakes = fakeChannels();
      wechat = fakes.wechat;
      wechat.clock = () => new Date(clock);
      api = await startTestApi(target, { payments: fakes.registry });
      api.setNow(new Date(clock));
      await seedOtherMerchant(api.deps.db);
      [assistant, otherOwner, otherAssistant] = await Promise.all([api.staffToken('o_demo_assistant_1'), api.staffToken('o_other_owner'), api.staffToken('o_demo_assistant_2')]);
      storeId = api.seed.storeIds.DEMO01!;
      const code = await api.loginCode('wechat', 'o_demo_member_1');
      shopper = (await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code, storeCode: 'DEMO01' } })).body.token as string;
    });
    afterAll(async () => api?.stop());

    /** A shop order paid through the platform's notification, as a shopper's would be. */
    async function paidShopOrder(tableNo?: string): Promise<OrderView> {
      const sku = await findSku(api, assistant, 'wlj');
      const created = await api.call('POST', '/api/shop/orders', { token: shopper, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 1 }], expectedTotalFen: sku.memberPriceFen, ...(tableNo ? { tableNo } : {}) } });
      expect(created.status).toBe(201);
      const order = checkoutResponse.parse(created.body).order;
      expect(order.pickupCode).toBeNull();
      const p = paymentResponse.parse((await api.call('POST', `/api/shop/orders/${order.id}/pay`, { token: shopper, body: { clientPaymentId: newId('payment'), channel: 'wechat' } })).body).payment;
      wechat.pay(p.id);
      const n = wechat.notification(p.id, { at: new Date(clock) });
      expect((await api.call('POST', '/api/pay/wechat/notify', { rawBody: n.raw, headers: n.headers })).status).toBeLessThan(300);
      const mine = await api.call('GET', `/api/shop/orders/${order.id}`, { token: shopper });
      return checkoutResponse.shape.order.parse(mine.body.order);
    }

    it('maps the receipt numbers of a store day to distinct pickup codes', () => {
      const offset = pickupCodeOffset('sto_x', '2026-11-23');
      const codes = new Set(Array.from({ length: 9999 }, (_, i) => pickupCodeOf(i + 1, offset)));
      expect(codes.size).toBe(9999);
      expect([...codes].every((c) => /^\d{6}$/.test(c) && Number(c) < pickup_code_space)).toBe(true);
    });

    it('gives a paid shop order a pickup code unique in the store day, its table, and a receipt link by token', async () => {
      const orders = [await paidShopOrder('A3'), await paidShopOrder(), await paidShopOrder('B12')];
      for (const o of orders) expect(o.pickupCode).toMatch(/^\d{6}$/);
      expect(new Set(orders.map((o) => o.pickupCode)).size).toBe(3);
      expect(orders.map((o) => o.tableNo)).toEqual(['A3', null, 'B12']);
      const receipt = await api.call('GET', `/api/orders/${orders[0]!.id}/receipt`, { token: assistant });
      expect(receipt.body.receipt.qr).toBe(`${api.deps.config.publicBaseUrl}/r/${orders[0]!.receiptToken}`);
      expect(receipt.body.receipt).toMatchObject({ pickupCode: orders[0]!.pickupCode, tableNo: 'A3' });
      const pub = await api.call('GET', `/api/public/receipts/${orders[0]!.receiptToken}`);
      expect(pub.status).toBe(200);
      expect(publicReceiptResponse.parse(pub.body).pickup).toEqual({ code: orders[0]!.pickupCode, tableNo: 'A3', handedOverAt: null });
      expect((await api.call('GET', `/api/public/receipts/${'x'.repeat(22)}`)).status).toBe(404);
      // The order id alone never opens a receipt.
      expect((await api.call('GET', `/api/public/receipts/${orders[0]!.id}`)).status).toBe(404);
    });

    it('refuses a table that is not a QR table, changing nothing', async () => {
      const sku = await findSku(api, assistant, 'wlj');
      const id = orderId();
      const bad = await api.call('POST', '/api/shop/orders', { token: shopper, body: { clientOrderId: id, storeId, lines: [{ skuId: sku.id, qty: 1 }], expectedTotalFen: sku.memberPriceFen, tableNo: '桌 3' } });
      expect(bad.status).toBe(400);
      expect(await api.deps.db.selectFrom('orders').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
    });

    it('lists waiting orders, hands one over once (audited), replays the same key and refuses a second handover', async () => {
      const order = await paidShopOrder('C1');
      const before = pickupsResponse.parse((await api.call('GET', `/api/stores/${storeId}/pickups`, { token: assistant })).body);
      expect(before.waiting.map((w) => w.orderId)).toContain(order.id);
      const key = newId('handover');
      const first = await api.call('POST', `/api/stores/${storeId}/pickups/handover`, { token: assistant, body: { code: order.pickupCode, handoverKey: key } });
      expect(first.status).toBe(201);
      expect(handoverResponse.parse(first.body).order).toMatchObject({ orderId: order.id, tableNo: 'C1', handedOverAt: expect.any(String) });
      const replay = await api.call('POST', `/api/stores/${storeId}/pickups/handover`, { token: assistant, body: { code: order.pickupCode, handoverKey: key } });
      expect(replay.status).toBe(200);
      expect(replay.body.replayed).toBe(true);
      const second = await api.call('POST', `/api/stores/${storeId}/pickups/handover`, { token: assistant, body: { code: order.pickupCode, handoverKey: newId('handover') } });
      expect(second.status).toBe(409);
      expect(second.body.error.message).toContain('不能重复交货');
      const audits = await api.deps.db.selectFrom('audit_log').select(['action', 'actor_id']).where('subject_id', '=', order.id).where('action', '=', 'order.handed_over').execute();
      expect(audits).toHaveLength(1);
      const after = pickupsResponse.parse((await api.call('GET', `/api/stores/${storeId}/pickups`, { token: assistant })).body);
      expect(after.waiting.map((w) => w.orderId)).not.toContain(order.id);
      expect(after.count).toBe(before.count - 1);
      const unknown = await api.call('POST', `/api/stores/${storeId}/pickups/handover`, { token: assistant, body: { code: '000000', handoverKey: newId('handover') } });
      expect([404, 409]).toContain(unknown.status);
      expect((await api.call('POST', `/api/stores/${storeId}/pickups/handover`, { token: assistant, body: { code: '12ab', handoverKey: newId('handover') } })).status).toBe(400);
    });

    it('refuses another merchant’s staff and an assistant of another store', async () => {
      const order = await paidShopOrder();
      for (const token of [otherOwner, otherAssistant]) {
        const list = await api.call('GET', `/api/stores/${storeId}/pickups`, { token });
        expect([403, 404]).toContain(list.status);
        const hand = await api.call('POST', `/api/stores/${storeId}/pickups/handover`, { token, body: { code: order.pickupCode, handoverKey: newId('handover') } });
        expect([403, 404]).toContain(hand.status);
      }
      const row = await api.deps.db.selectFrom('orders').select('handed_over_at').where('id', '=', order.id).executeTakeFirstOrThrow();
      expect(row.handed_over_at).toBeNull();
    });
  });
}
