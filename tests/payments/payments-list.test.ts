import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { findSku, orderId } from '../_support/selling';
import { fakeChannels } from '../_support/fake-channel';
import { seedOtherMerchant } from '../_support/other-merchant';
import { businessDate } from '../../api/_kernel/clock';
import { checkoutResponse } from '../../shared/api/orders';
import { paymentResponse, paymentsListResponse, type PaymentListItem } from '../../shared/api/payments';
import { newId } from '../../shared/ids';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`the owner's payments list on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let manager: string;
    let assistant: string;
    let otherOwner: string;
    /** Paid in DEMO01 by WeChat, in DEMO01 by Alipay, in DEMO02 by WeChat, oldest first. */
    const paid: { paymentId: string; orderId: string; receiptNo: string; storeId: string }[] = [];
    let day = '';

    beforeAll(async () => {
      const fakes = fakeChannels();
      api = await startTestApi(target, { payments: fakes.registry });
      await seedOtherMerchant(api.deps.db);
      owner = await api.staffToken('o_demo_owner');
      manager = await api.staffToken('o_demo_manager');
      assistant = await api.staffToken('o_demo_assistant_1');
      otherOwner = await api.staffToken('o_other_owner');
      const assistant2 = await api.staffToken('o_demo_assistant_2');
      const sales = [
        { token: assistant, storeId: api.seed.storeIds.DEMO01!, code: '134567890123456781' },
        { token: assistant, storeId: api.seed.storeIds.DEMO01!, code: '284567890123456781' },
        { token: assistant2, storeId: api.seed.storeIds.DEMO02!, code: '134567890123456791' },
      ];
      // Found in DEMO01; the catalog is the merchant's, so the same SKU sells in DEMO02.
      const sku = await findSku(api, assistant, 'wlj');
      for (const s of sales) {
        const order = await api.call('POST', '/api/orders', { token: s.token, body: { clientOrderId: orderId(), storeId: s.storeId, lines: [{ skuId: sku.id, qty: 1 }], tenders: [], expectedTotalFen: sku.retailPriceFen, awaitPayment: true } });
        expect(order.status).toBe(201);
        const id = checkoutResponse.parse(order.body).order.id;
        const pay = await api.call('POST', `/api/orders/${id}/payments`, { token: s.token, body: { clientPaymentId: newId('payment'), mode: 'code', authCode: s.code } });
        expect(pay.status).toBe(201);
        const body = paymentResponse.parse(pay.body);
        paid.push({ paymentId: body.payment.id, orderId: id, receiptNo: body.order.receiptNo, storeId: s.storeId });
      }
      const row = await api.deps.db.selectFrom('payments').select('created_at').where('id', '=', paid[0]!.paymentId).executeTakeFirstOrThrow();
      day = businessDate(row.created_at);
    });
    afterAll(async () => api?.stop());

    const list = async (token: string, query: Record<string, string> = {}) => {
      const res = await api.call('GET', `/api/payments?${new URLSearchParams(query)}`, { token });
      return { status: res.status, body: res.body, items: res.status === 200 ? paymentsListResponse.parse(res.body).items : [] };
    };
    const ids = (items: PaymentListItem[]) => items.map((p) => p.id);

    it('lists the day’s payments of every store of the owner, newest first, with receipt numbers and amounts', async () => {
      const { status, items } = await list(owner, { date: day });
      expect(status).toBe(200);
      const mine = items.filter((p) => paid.some((x) => x.paymentId === p.id));
      expect(ids(mine)).toEqual(paid.map((p) => p.paymentId).reverse());
      expect(mine.map((p) => p.receiptNo)).toEqual(paid.map((p) => p.receiptNo).reverse());
      expect(mine.every((p) => p.status === 'succeeded' && p.amountFen > 0)).toBe(true);
      expect(mine.map((p) => p.channel)).toEqual(['wechat', 'alipay', 'wechat']);
    });

    it('narrows by channel, status, store and day', async () => {
      expect(ids((await list(owner, { date: day, channel: 'alipay' })).items)).toContain(paid[1]!.paymentId);
      expect((await list(owner, { date: day, channel: 'alipay' })).items.every((p) => p.channel === 'alipay')).toBe(true);
      expect((await list(owner, { date: day, status: 'failed' })).items.some((p) => paid.some((x) => x.paymentId === p.id))).toBe(false);
      const demo02 = await list(owner, { date: day, storeId: api.seed.storeIds.DEMO02! });
      expect(ids(demo02.items)).toEqual([paid[2]!.paymentId]);
      expect((await list(owner, { date: '2001-01-01' })).items).toEqual([]);
    });

    it('finds a payment by the order’s receipt number or id', async () => {
      expect(ids((await list(owner, { q: paid[1]!.receiptNo })).items)).toEqual([paid[1]!.paymentId]);
      expect(ids((await list(owner, { q: paid[2]!.orderId })).items)).toEqual([paid[2]!.paymentId]);
      expect((await list(owner, { q: 'DEMO01-NOPE' })).items).toEqual([]);
    });

    it('pages with a cursor without repeating a payment', async () => {
      const first = await list(owner, { date: day, limit: '2' });
      const page1 = paymentsListResponse.parse(first.body);
      expect(page1.items).toHaveLength(2);
      expect(page1.nextCursor).toBe(page1.items[1]!.id);
      const page2 = paymentsListResponse.parse((await list(owner, { date: day, limit: '2', cursor: page1.nextCursor! })).body);
      expect(ids(page2.items).some((id) => ids(page1.items).includes(id))).toBe(false);
      expect([...ids(page1.items), ...ids(page2.items)]).toEqual(expect.arrayContaining(paid.map((p) => p.paymentId)));
    });

    it('shows a manager only their stores, refuses assistants, and shows another merchant nothing of ours', async () => {
      const m = await list(manager, { date: day });
      expect(m.items.every((p) => p.storeId === api.seed.storeIds.DEMO01)).toBe(true);
      expect(ids(m.items)).not.toContain(paid[2]!.paymentId);
      expect((await list(manager, { storeId: api.seed.storeIds.DEMO02! })).status).toBe(403);
      expect((await list(assistant)).status).toBe(403);
      expect((await list(otherOwner, { date: day })).items).toEqual([]);
      expect((await list(otherOwner, { storeId: api.seed.storeIds.DEMO01! })).status).toBe(404);
    });

    it('refuses a malformed day with a Chinese reason naming the field', async () => {
      const bad = await list(owner, { date: '2026/11/23' });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('date');
      expect(JSON.stringify(bad.body)).toContain('日期应为 YYYY-MM-DD');
    });
  });
}
