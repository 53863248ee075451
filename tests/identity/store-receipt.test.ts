import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { findSku, orderId } from '../_support/selling';
import { checkoutResponse, pricingContextResponse } from '../../shared/api/orders';
import { receiptModel } from '../../shared/receipt/model';
import { layoutReceipt, receipt_columns_58mm, renderPlainText } from '../../shared/receipt/layout';

/**
 * A store's own receipt texts and 抹零 rule, set by the owner on 门店管理
 * (#15): the line under the store's name and the closing words reach the
 * receipt and the printed layout; the rule reaches the counter's pricing.
 */
for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`a store's receipt texts and 抹零 rule, on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let manager: string;
    let assistant: string;
    let storeId: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      [owner, manager, assistant] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_assistant_1')]);
      storeId = api.seed.storeIds.DEMO01!;
    });
    afterAll(async () => api?.stop());

    async function cashSale() {
      const sku = await findSku(api, assistant, 'wlj');
      const res = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 1 }], tenders: [{ method: 'cash', amountFen: 1_000 }], expectedTotalFen: sku.retailPriceFen } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const order = checkoutResponse.parse(res.body).order;
      return receiptModel.parse((await api.call('GET', `/api/orders/${order.id}/receipt`, { token: assistant })).body.receipt);
    }

    it('prints the default closing words until the owner sets the store’s own, and its line under the name', async () => {
      const plain = await cashSale();
      expect(plain.footer).toBe('谢谢惠顾，欢迎再次光临');
      expect(plain.header).toBeUndefined();

      const edited = await api.call('PATCH', `/api/merchant/stores/${storeId}`, { token: owner, body: { receiptHeader: '会员热线 400-800-1234', receiptFooter: '七天无理由退换\n关注公众号领券' } });
      expect(edited.status, JSON.stringify(edited.body)).toBe(200);
      expect(edited.body.store).toMatchObject({ receiptHeader: '会员热线 400-800-1234', receiptFooter: '七天无理由退换\n关注公众号领券' });
      const own = await cashSale();
      expect(own).toMatchObject({ header: '会员热线 400-800-1234', footer: '七天无理由退换\n关注公众号领券' });
      const printed = renderPlainText(layoutReceipt(own), receipt_columns_58mm).map((l) => l.trim());
      expect(printed.indexOf('会员热线 400-800-1234')).toBeGreaterThan(printed.findIndex((l) => l.includes(own.storeName)));
      expect(printed).toEqual(expect.arrayContaining(['七天无理由退换', '关注公众号领券']));

      // Emptied, the closing words are the default again.
      await api.call('PATCH', `/api/merchant/stores/${storeId}`, { token: owner, body: { receiptHeader: '', receiptFooter: '' } });
      expect((await cashSale()).footer).toBe('谢谢惠顾，欢迎再次光临');
    });

    it('refuses a header over its limit or with a line break, and a manager, naming the field and changing nothing', async () => {
      const before = (await api.call('GET', '/api/merchant/stores', { token: owner })).body;
      const long = await api.call('PATCH', `/api/merchant/stores/${storeId}`, { token: owner, body: { receiptHeader: '长'.repeat(41) } });
      expect(long.status).toBe(400);
      expect(JSON.stringify(long.body)).toContain('store_receipt_header_length_max');
      const broken = await api.call('PATCH', `/api/merchant/stores/${storeId}`, { token: owner, body: { receiptHeader: '一行\n两行' } });
      expect(broken.status).toBe(400);
      expect(JSON.stringify(broken.body)).toContain('receiptHeader');
      const escape = await api.call('PATCH', `/api/merchant/stores/${storeId}`, { token: owner, body: { receiptFooter: 'a\u001b@b' } });
      expect(escape.status).toBe(400);
      expect((await api.call('PATCH', `/api/merchant/stores/${storeId}`, { token: manager, body: { receiptFooter: '店长改的' } })).status).toBe(403);
      expect((await api.call('GET', '/api/merchant/stores', { token: owner })).body).toEqual(before);
    });

    it('the store’s 抹零 rule is what the counter prices cash with', async () => {
      expect((await api.call('PUT', `/api/stores/${storeId}/settings`, { token: owner, body: { cashRounding: 'yuan' } })).status).toBe(200);
      expect(pricingContextResponse.parse((await api.call('GET', `/api/stores/${storeId}/pricing-context`, { token: assistant })).body).cashRounding).toBe('yuan');
      expect((await api.call('PUT', `/api/stores/${storeId}/settings`, { token: manager, body: { cashRounding: 'none' } })).status).toBe(403);
      expect((await api.call('PUT', `/api/stores/${storeId}/settings`, { token: owner, body: { cashRounding: 'none' } })).status).toBe(200);
    });
  });
}
