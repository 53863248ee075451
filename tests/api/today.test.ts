import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { todayResponse } from '../../shared/api/reports';
import { businessDate } from '../../api/_kernel/clock';
import { newId } from '../../shared/ids';
import { rebuildRollups } from '../../api/_reports/rollups';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`today's takings on ${target.name}`, () => {
    let api: TestApi;

    beforeAll(async () => {
      api = await startTestApi(target);
    });
    afterAll(async () => api?.stop());

    /** Orders go in directly here; the boss home reads the report rollups, rebuilt from them as a bulk load would. */
    async function paidOrder(storeCode: string, date: string, tenders: [string, number][], status: 'paid' | 'cancelled' = 'paid') {
      const id = newId('order');
      const storeId = api.seed.storeIds[storeCode]!;
      const total = tenders.reduce((s, [, f]) => s + f, 0);
      await api.deps.db.insertInto('orders').values({ id, merchant_id: api.seed.merchantId, store_id: storeId, channel: 'counter', status, total_fen: total, business_date: date }).execute();
      await api.deps.db
        .insertInto('order_tenders')
        .values(tenders.map(([method, fen]) => ({ id: newId('order'), merchant_id: api.seed.merchantId, order_id: id, store_id: storeId, method, amount_fen: fen, business_date: date })))
        .execute();
      await rebuildRollups(api.deps.db, api.seed.merchantId);
    }

    it('is zero before the first sale', async () => {
      const owner = await api.staffToken('o_demo_owner');
      const res = await api.call('GET', '/api/boss/today', { token: owner });
      expect(res.status).toBe(200);
      expect(todayResponse.parse(res.body)).toEqual({ date: businessDate(new Date()), storeId: null, takingsFen: 0, orderCount: 0, avgTicketFen: 0, byTender: [] });
    });

    it('sums the day\'s paid orders per tender, only in the caller\'s stores', async () => {
      const today = businessDate(new Date());
      await paidOrder('DEMO01', today, [['cash', 1001]]);
      await paidOrder('DEMO01', today, [['cash', 500], ['wechat', 1500]]);
      await paidOrder('DEMO02', today, [['alipay', 999]]);
      await paidOrder('DEMO01', '2020-01-01', [['cash', 77777]]);
      await paidOrder('DEMO01', today, [['cash', 123]], 'cancelled');

      const owner = await api.staffToken('o_demo_owner');
      const all = todayResponse.parse((await api.call('GET', '/api/boss/today', { token: owner })).body);
      expect(all).toMatchObject({ takingsFen: 4000, orderCount: 3, avgTicketFen: 1333 });
      expect(all.byTender).toEqual([{ tender: 'alipay', fen: 999 }, { tender: 'cash', fen: 1501 }, { tender: 'wechat', fen: 1500 }]);

      const manager = await api.staffToken('o_demo_manager');
      const mine = todayResponse.parse((await api.call('GET', '/api/boss/today', { token: manager })).body);
      expect(mine).toMatchObject({ takingsFen: 3001, orderCount: 2, avgTicketFen: 1501 });
    });

    it('cuts the business day at midnight Beijing time', () => {
      expect(businessDate(new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23');
      expect(businessDate(new Date('2026-11-23T16:00:00Z'))).toBe('2026-11-24');
    });
  });
}
