import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { findSku, orderId } from '../_support/selling';
import { checkoutResponse, type OrderView } from '../../shared/api/orders';
import { returnResponse } from '../../shared/api/returns';
import { performanceResponse } from '../../shared/api/commission';
import { reportTable, todayResponse, type ReportTable } from '../../shared/api/reports';
import { byAssistantResponse, dailyResponse } from '../../shared/api/boss';
import { averageTicketFen, itemsPerSaleX100 } from '../../shared/figures';
import { newId } from '../../shared/ids';

/**
 * One figure, one number: on one seeded day with discounts, a partial and a
 * full return and three sellers, every API that shows a figure shows the same
 * number, and it is the number computed by hand from the orders as checkout
 * answered them (shared/figures.ts).
 */
const day = '2026-06-16';
const at = (hour: number) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`);

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`one figure, one number on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let storeId: string;
    const sold: OrderView[] = [];
    const refunds = new Map<string, number>();
    const returnedItems = new Map<string, number>();

    beforeAll(async () => {
      api = await startTestApi(target);
      owner = await api.staffToken('o_demo_owner');
      storeId = api.seed.storeIds.DEMO01!;
      const [assistant, manager] = await Promise.all([api.staffToken('o_demo_assistant_1'), api.staffToken('o_demo_manager')]);
      const tea = await findSku(api, assistant, 'wlj');
      const noodles = await findSku(api, assistant, 'ksfbhc');
      const shirt = await findSku(api, assistant, 'cmyltx');

      async function sell(token: string, lines: { skuId: string; qty: number; unit: number }[], discount = 0): Promise<OrderView> {
        const total = lines.reduce((s, l) => s + l.unit * l.qty, 0) - discount;
        const res = await api.call('POST', '/api/orders', {
          token,
          body: { clientOrderId: orderId(), storeId, lines: lines.map((l) => ({ skuId: l.skuId, qty: l.qty })), ...(discount ? { orderDiscount: { kind: 'amount_off', fen: discount, reason: '老顾客' } } : {}), tenders: [{ method: 'card', amountFen: total, reference: 'POS-1' }], expectedTotalFen: total },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        const order = checkoutResponse.parse(res.body).order;
        sold.push(order);
        return order;
      }
      async function giveBack(order: OrderView, lines: { orderLineId: string; qty: number }[]) {
        const res = await api.call('POST', '/api/returns', { token: manager, body: { clientReturnId: newId('return'), orderId: order.id, reason: '不合适', lines } });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        const r = returnResponse.parse(res.body).return;
        expect(r.status).toBe('completed');
        const staff = order.staffId!;
        refunds.set(staff, (refunds.get(staff) ?? 0) + r.amountFen);
        returnedItems.set(staff, (returnedItems.get(staff) ?? 0) + lines.reduce((s, l) => s + l.qty, 0));
      }

      api.setNow(at(10));
      const a1 = await sell(assistant, [{ skuId: tea.id, qty: 3, unit: tea.retailPriceFen }, { skuId: shirt.id, qty: 1, unit: shirt.retailPriceFen }], 300);
      await sell(assistant, [{ skuId: noodles.id, qty: 1, unit: noodles.retailPriceFen }]);
      const a3 = await sell(assistant, [{ skuId: tea.id, qty: 1, unit: tea.retailPriceFen }]);
      await sell(manager, [{ skuId: noodles.id, qty: 4, unit: noodles.retailPriceFen }], 200);
      const m2 = await sell(manager, [{ skuId: shirt.id, qty: 2, unit: shirt.retailPriceFen }]);
      await sell(owner, [{ skuId: tea.id, qty: 2, unit: tea.retailPriceFen }]);
      api.setNow(at(15));
      // A partial return of a discounted sale, a sale returned in full, and one shirt of two.
      await giveBack(a1, [{ orderLineId: a1.lines.find((l) => l.skuId === shirt.id)!.id, qty: 1 }]);
      await giveBack(a3, a3.lines.map((l) => ({ orderLineId: l.id, qty: l.qty })));
      await giveBack(m2, [{ orderLineId: m2.lines[0]!.id, qty: 1 }]);
    });
    afterAll(async () => api?.stop());

    /** The figures by hand from the orders checkout answered and the returns' amounts. */
    function byHand(staffId?: string) {
      const mine = sold.filter((o) => staffId === undefined || o.staffId === staffId);
      const salesFen = mine.reduce((s, o) => s + o.totalFen, 0);
      const items = mine.reduce((s, o) => s + o.lines.reduce((t, l) => t + l.qty, 0), 0);
      const refundFen = staffId === undefined ? [...refunds.values()].reduce((a, b) => a + b, 0) : (refunds.get(staffId) ?? 0);
      const back = staffId === undefined ? [...returnedItems.values()].reduce((a, b) => a + b, 0) : (returnedItems.get(staffId) ?? 0);
      return { orderCount: mine.length, salesFen, refundFen, netSalesFen: salesFen - refundFen, avgTicketFen: averageTicketFen(salesFen, mine.length), itemsPerSaleX100: itemsPerSaleX100(items, mine.length), netQty: items - back };
    }

    async function get<T>(path: string, schema: { parse: (x: unknown) => T }): Promise<T> {
      const res = await api.call('GET', path, { token: owner });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return schema.parse(res.body);
    }
    const report = (kind: string, extra = '') => get<ReportTable>(`/api/reports/sales/${kind}?from=${day}&to=${day}&storeId=${storeId}${extra}`, reportTable);

    it('the seeded day has discounts, returns and three sellers, and the hand figures differ gross and net', () => {
      expect(new Set(sold.map((o) => o.staffId)).size).toBe(3);
      expect(sold.some((o) => o.discountFen > 0)).toBe(true);
      const all = byHand();
      expect(all.refundFen).toBeGreaterThan(0);
      // Were 客单价 net of returns, it would differ: the test would tell the two definitions apart.
      expect(averageTicketFen(all.netSalesFen, all.orderCount)).not.toBe(all.avgTicketFen);
    });

    it("the day's 实收, 单数 and 客单价 agree on the boss home, its 14 days, the summary, the daily trend and the store report", async () => {
      const want = byHand();
      const today = await get(`/api/boss/today?storeId=${storeId}`, todayResponse);
      expect(today).toMatchObject({ date: day, takingsFen: want.netSalesFen, orderCount: want.orderCount, avgTicketFen: want.avgTicketFen });
      expect(today.byTender.reduce((s, t) => s + t.fen, 0)).toBe(want.netSalesFen);
      const daily = (await get(`/api/boss/daily?storeId=${storeId}`, dailyResponse)).items.find((d) => d.date === day)!;
      expect(daily).toEqual({ date: day, takingsFen: want.netSalesFen, orderCount: want.orderCount });
      const summary = await report('summary');
      expect(summary.rows).toHaveLength(1);
      expect(summary.rows[0]).toMatchObject({ period: day, ...want });
      expect(summary.total).toMatchObject(want);
      const trend = await report('trend', '&granularity=day');
      expect(trend.rows[0]).toMatchObject({ period: day, ...want });
      const store = await report('store');
      expect(store.rows.find((r) => r.storeId === storeId)).toMatchObject(want);
    });

    it('each seller\'s 客单价, 单数 and 净销售额 agree on the boss home, 业绩与提成 and the assistant report', async () => {
      const byAssistant = (await get(`/api/boss/today/by-assistant?storeId=${storeId}`, byAssistantResponse)).items;
      const perf = (await get(`/api/staff-performance?from=${day}&to=${day}&storeId=${storeId}`, performanceResponse)).items;
      const assistants = await report('assistant');
      const ids = [...new Set(sold.map((o) => o.staffId!))];
      expect(byAssistant.map((a) => a.staffId).sort()).toEqual([...ids].sort());
      for (const id of ids) {
        const want = byHand(id);
        expect(byAssistant.find((a) => a.staffId === id), id).toMatchObject({ takingsFen: want.netSalesFen, orderCount: want.orderCount, avgTicketFen: want.avgTicketFen });
        expect(perf.find((p) => p.staffId === id), id).toMatchObject({ saleCount: want.orderCount, salesFen: want.salesFen, returnsFen: want.refundFen, netSalesFen: want.netSalesFen, items: want.netQty, avgTicketFen: want.avgTicketFen, itemsPerSaleCentis: want.itemsPerSaleX100 });
        expect(assistants.rows.find((r) => r.staffId === id), id).toMatchObject(want);
      }
    });

    it('exports the summary as the daily rows and the total', async () => {
      const res = await api.app.request(`/api/reports/sales/summary?from=2026-06-14&to=${day}&storeId=${storeId}&format=csv`, { headers: { authorization: `Bearer ${owner}` } });
      expect(res.status).toBe(200);
      const rows = parse((await res.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
      expect(rows.map((r) => r['日期'])).toEqual(['2026-06-14', '2026-06-15', day, '合计']);
      const want = byHand();
      const yuan = (fen: number) => (fen / 100).toFixed(2);
      expect(rows[2]).toMatchObject({ 单数: String(want.orderCount), 净销售额: yuan(want.netSalesFen), 客单价: yuan(want.avgTicketFen) });
      expect(rows[3]).toMatchObject({ 单数: String(want.orderCount), 净销售额: yuan(want.netSalesFen), 客单价: yuan(want.avgTicketFen) });
    });

    it('shows slow sellers with their stock on hand and its value at cost', async () => {
      const slow = await report('slow', '&limit=500');
      const stock = await api.deps.db
        .selectFrom('stock_levels as l')
        .innerJoin('skus as k', 'k.id', 'l.sku_id')
        .select(['l.sku_id', 'l.on_hand', 'k.cost_fen'])
        .where('l.store_id', '=', storeId)
        .execute();
      const bySku = new Map(stock.map((s) => [s.sku_id, s]));
      expect(slow.columns.map((c) => c.title)).toEqual(expect.arrayContaining(['库存', '库存金额']));
      expect(slow.rows.some((r) => Number(r.stockValueFen) > 0)).toBe(true);
      for (const r of slow.rows) {
        const s = bySku.get(String(r.skuId));
        const onHand = Math.max(0, Number(s?.on_hand ?? 0));
        expect(r.onHand, String(r.skuId)).toBe(onHand);
        expect(r.stockValueFen, String(r.skuId)).toBe(onHand * Number(s?.cost_fen ?? 0));
      }
    });
  });
}
