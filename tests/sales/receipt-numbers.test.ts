import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { checkoutResponse } from '../../shared/api/orders';
import { receiptModel } from '../../shared/receipt/model';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`receipt numbers past 9,999 on ${target.name}`, () => {
    let api: TestApi;
    let token: string;
    let storeId: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      token = await api.staffToken('o_demo_assistant_1');
      storeId = api.seed.storeIds.DEMO01!;
    });
    afterAll(async () => api?.stop());

    async function bill(skuId: string, priceFen: number) {
      const res = await api.call('POST', '/api/orders', {
        token,
        body: { clientOrderId: orderId(), storeId, lines: [{ skuId, qty: 1 }], tenders: [{ method: 'cash', amountFen: priceFen }], expectedTotalFen: priceFen },
      });
      expect(res.status).toBe(201);
      return checkoutResponse.parse(res.body).order;
    }

    it('numbers sale 10,000 and on with more digits, never colliding with sale 1,000, and the store keeps selling', async () => {
      const water = await findSku(api, token, 'nfsq');
      const first = await bill(water.id, water.retailPriceFen);
      const prefix = first.receiptNo.replace(/\d+$/, '');
      // The first sale stands in for sale 1,000 of the day, whose number a truncated 10,000 would repeat.
      await sql`update orders set receipt_no = ${`${prefix}1000`} where id = ${first.id}`.execute(api.deps.db);
      await sql`update receipt_counters set last_no = 9998 where store_id = ${storeId}`.execute(api.deps.db);

      const orders = [];
      for (let i = 0; i < 4; i++) orders.push(await bill(water.id, water.retailPriceFen));
      expect(orders.map((o) => o.receiptNo)).toEqual([`${prefix}9999`, `${prefix}10000`, `${prefix}10001`, `${prefix}10002`]);

      // The printed receipt accepts the longer number.
      const receipt = (await api.call('GET', `/api/orders/${orders[1]!.id}/receipt`, { token })).body;
      expect(receiptModel.parse(receipt.receipt).receiptNo).toBe(`${prefix}10000`);
      const counter = await sql<{ last_no: number }>`select last_no from receipt_counters where store_id = ${storeId}`.execute(api.deps.db);
      expect(counter.rows[0]!.last_no).toBe(10002);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });
  });
}
