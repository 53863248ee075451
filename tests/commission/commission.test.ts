import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { checkoutResponse, type OrderView } from '../../shared/api/orders';
import { commissionStatementsResponse, performanceResponse } from '../../shared/api/commission';
import { newId } from '../../shared/ids';

const at = (day: string) => new Date(`${day}T04:00:00Z`);

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`staff performance and commission on ${target.name}`, () => {
    let api: TestApi;
    let assistant: string;
    let manager: string;
    let owner: string;
    let other: string;
    let storeId: string;
    let otherCategory: string;
    const sold: OrderView[] = [];

    beforeAll(async () => {
      api = await startTestApi(target);
      const o = await seedOtherMerchant(api.deps.db);
      otherCategory = (await api.deps.db.selectFrom('categories').select('id').where('merchant_id', '=', o.merchantId).executeTakeFirstOrThrow()).id;
      [assistant, manager, owner, other] = await Promise.all([api.staffToken('o_demo_assistant_1'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_owner'), api.staffToken('o_other_owner')]);
      storeId = api.seed.storeIds.DEMO01!;
    });
    afterAll(async () => api?.stop());

    async function categoryOf(skuId: string): Promise<string> {
      return (await api.deps.db.selectFrom('skus').innerJoin('products', 'products.id', 'skus.product_id').select('products.category_id').where('skus.id', '=', skuId).executeTakeFirstOrThrow()).category_id;
    }

    async function sell(token: string, lines: { skuId: string; qty: number; unit: number }[], discount?: number): Promise<OrderView> {
      const list = lines.reduce((s, l) => s + l.unit * l.qty, 0);
      const total = list - (discount ?? 0);
      const res = await api.call('POST', '/api/orders', {
        token,
        body: { clientOrderId: orderId(), storeId, lines: lines.map((l) => ({ skuId: l.skuId, qty: l.qty })), ...(discount ? { orderDiscount: { kind: 'amount_off', fen: discount, reason: '老顾客' } } : {}), tenders: [{ method: 'card', amountFen: total, reference: 'POS-1' }], expectedTotalFen: total },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const order = checkoutResponse.parse(res.body).order;
      sold.push(order);
      return order;
    }

    const rule = (token: string, body: Record<string, unknown>) => api.call('POST', '/api/commission/rules', { token, body });

    it('sets rules by role, category and SKU; refuses overlapping tiers, other merchants\' targets and non-owners, writing nothing', async () => {
      const tea = await findSku(api, assistant, 'wlj');
      const noodles = await findSku(api, assistant, 'ksfbhc');
      const before = Number((await api.deps.db.selectFrom('commission_rules').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const overlapping = await rule(owner, { scope: 'role', role: 'assistant', kind: 'percent', tiers: [{ fromFen: 0, toFen: 100_000, rateBp: 100 }, { fromFen: 99_999, toFen: null, rateBp: 200 }] });
      expect(overlapping.status).toBe(400);
      expect(overlapping.body.error.message).toContain('重叠');
      expect((await rule(owner, { scope: 'role', role: 'assistant', kind: 'percent', tiers: [{ fromFen: 0, toFen: null, perItemFen: 1 }] })).status).toBe(400);
      expect((await rule(owner, { scope: 'category', categoryId: otherCategory, kind: 'percent', tiers: [{ fromFen: 0, toFen: null, rateBp: 1 }] })).status).toBe(400);
      expect((await rule(owner, { scope: 'category', role: 'assistant', kind: 'percent', tiers: [{ fromFen: 0, toFen: null, rateBp: 1 }] })).status).toBe(400);
      expect((await rule(owner, { scope: 'role', role: 'assistant', kind: 'percent', tiers: [{ fromFen: 0, toFen: null, rateBp: 10_001 }] })).status).toBe(400);
      expect((await rule(manager, { scope: 'role', role: 'assistant', kind: 'percent', tiers: [{ fromFen: 0, toFen: null, rateBp: 100 }] })).status).toBe(403);
      expect((await rule(assistant, { scope: 'role', role: 'assistant', kind: 'percent', tiers: [{ fromFen: 0, toFen: null, rateBp: 100 }] })).status).toBe(403);
      expect(Number((await api.deps.db.selectFrom('commission_rules').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(before);

      // Role: 1% of net sales below 1 000 yuan a month, 2% from 1 000 yuan. Noodles' category: 3%. Tea: 0.50 per can, 0.80 from 1 000 yuan.
      expect((await rule(owner, { scope: 'role', role: 'assistant', kind: 'percent', tiers: [{ fromFen: 0, toFen: 100_000, rateBp: 100 }, { fromFen: 100_000, toFen: null, rateBp: 200 }] })).status).toBe(201);
      expect((await rule(owner, { scope: 'category', categoryId: await categoryOf(noodles.id), kind: 'percent', tiers: [{ fromFen: 0, toFen: null, rateBp: 300 }] })).status).toBe(201);
      // Set twice: the second replaces the first.
      expect((await rule(owner, { scope: 'sku', skuId: tea.id, kind: 'per_item', tiers: [{ fromFen: 0, toFen: null, perItemFen: 10 }] })).status).toBe(201);
      const last = await rule(owner, { scope: 'sku', skuId: tea.id, kind: 'per_item', tiers: [{ fromFen: 100_000, toFen: null, perItemFen: 80 }, { fromFen: 0, toFen: 100_000, perItemFen: 50 }] });
      expect(last.status).toBe(201);
      expect(last.body.items).toHaveLength(3);
      expect((await api.call('GET', '/api/commission/rules', { token: manager })).body.items).toHaveLength(3);
      expect((await api.call('GET', '/api/commission/rules', { token: other })).body.items).toEqual([]);
    });

    it('reports each assistant\'s sales net of discounts and returns, average ticket and items per sale, matching the orders read back', async () => {
      const tea = await findSku(api, assistant, 'wlj');
      const noodles = await findSku(api, assistant, 'ksfbhc');
      const shirt = await findSku(api, assistant, 'cmyltx');
      api.setNow(at('2026-03-05'));
      await sell(assistant, [{ skuId: tea.id, qty: 10, unit: tea.retailPriceFen }, { skuId: shirt.id, qty: 2, unit: shirt.retailPriceFen }], 500);
      api.setNow(at('2026-03-12'));
      const o2 = await sell(assistant, [{ skuId: noodles.id, qty: 6, unit: noodles.retailPriceFen }, { skuId: shirt.id, qty: 1, unit: shirt.retailPriceFen }]);
      await sell(manager, [{ skuId: tea.id, qty: 1, unit: tea.retailPriceFen }]);
      api.setNow(at('2026-03-20'));
      // One shirt of the second sale comes back in March; two noodles of it in April.
      const shirtLine = o2.lines.find((l) => l.skuId === shirt.id)!;
      const noodleLine = o2.lines.find((l) => l.skuId === noodles.id)!;
      expect((await api.call('POST', '/api/returns', { token: manager, body: { clientReturnId: newId('return'), orderId: o2.id, reason: '不合适', lines: [{ orderLineId: shirtLine.id, qty: 1 }] } })).status).toBe(201);
      api.setNow(at('2026-04-02'));
      expect((await api.call('POST', '/api/returns', { token: manager, body: { clientReturnId: newId('return'), orderId: o2.id, reason: '过期', lines: [{ orderLineId: noodleLine.id, qty: 2 }] } })).status).toBe(201);

      const res = await api.call('GET', `/api/staff-performance?from=2026-03-01&to=2026-03-31&storeId=${storeId}`, { token: owner });
      expect(res.status).toBe(200);
      const perf = performanceResponse.parse(res.body).items;
      const mine = perf.find((p) => p.staffId === api.seed.staffIds.assistant1)!;
      // Independent: from the orders as checkout answered them.
      const assistantOrders = sold.filter((o) => o.staffId === api.seed.staffIds.assistant1);
      const sales = assistantOrders.reduce((s, o) => s + o.totalFen, 0);
      const items = 10 + 2 + 6 + 1 - 1;
      expect(mine).toMatchObject({ saleCount: 2, salesFen: sales, discountFen: assistantOrders.reduce((s, o) => s + o.discountFen, 0), returnsFen: shirtLine.netFen, netSalesFen: sales - shirtLine.netFen, items });
      // 客单价 and 客件数 are per sale before returns (shared/figures.ts), as the boss home and the reports show them.
      expect(mine.avgTicketFen).toBe(Math.round(sales / 2));
      expect(mine.itemsPerSaleCentis).toBe(Math.round(((10 + 2 + 6 + 1) / 2) * 100));
      // April holds the noodles' return against the March sale.
      const april = performanceResponse.parse((await api.call('GET', '/api/staff-performance?from=2026-04-01&to=2026-04-30', { token: owner })).body).items;
      const noodlesBack = Math.floor((noodleLine.netFen * 2) / 6);
      expect(april.find((p) => p.staffId === api.seed.staffIds.assistant1)).toMatchObject({ saleCount: 0, salesFen: 0, returnsFen: noodlesBack, netSalesFen: -noodlesBack, items: -2 });

      // A manager sees their own store and is refused another; assistants and other merchants see nothing.
      expect((await api.call('GET', `/api/staff-performance?from=2026-03-01&to=2026-03-31&storeId=${api.seed.storeIds.DEMO02}`, { token: manager })).status).toBe(403);
      expect((await api.call('GET', '/api/staff-performance?from=2026-03-01&to=2026-03-31', { token: assistant })).status).toBe(403);
      expect(performanceResponse.parse((await api.call('GET', '/api/staff-performance?from=2026-03-01&to=2026-03-31', { token: other })).body).items).toEqual([]);
      expect((await api.call('GET', `/api/staff-performance?from=2026-03-01&to=2026-03-31&storeId=${storeId}`, { token: other })).status).toBe(404);
      expect((await api.call('GET', '/api/staff-performance?from=2026-03-31&to=2026-03-01', { token: owner })).status).toBe(400);
    });

    it('states March\'s commission from the records by SKU > category > role, and the owner confirms it once, booking a balanced accrual', async () => {
      const tea = await findSku(api, assistant, 'wlj');
      const noodles = await findSku(api, assistant, 'ksfbhc');
      const shirt = await findSku(api, assistant, 'cmyltx');
      api.setNow(at('2026-03-31'));
      expect((await api.call('POST', '/api/commission/statements/confirm', { token: owner, body: { staffId: api.seed.staffIds.assistant1, month: '2026-03', expectedAmountFen: 0 } })).status).toBe(400);
      api.setNow(at('2026-04-03'));
      const res = await api.call('GET', '/api/commission/statements?month=2026-03', { token: owner });
      expect(res.status).toBe(200);
      const st = commissionStatementsResponse.parse(res.body).items.find((s) => s.staffId === api.seed.staffIds.assistant1)!;
      // Independently, from the order lines in SQL: net per SKU of the assistant's March sales less March returns.
      const rows = await sql<{ sku_id: string; fen: number; qty: number }>`
        select l.sku_id, sum(l.net_fen - coalesce(r.fen, 0))::bigint as fen, sum(l.qty - coalesce(r.qty, 0))::bigint as qty
        from order_lines l join orders o on o.id = l.order_id
        left join (select rl.order_line_id, sum(rl.amount_fen) as fen, sum(rl.qty) as qty from return_lines rl join returns x on x.id = rl.return_id
                   where x.business_date between '2026-03-01' and '2026-03-31' and x.status = 'completed' group by rl.order_line_id) r on r.order_line_id = l.id
        where o.staff_id = ${api.seed.staffIds.assistant1} and o.business_date between '2026-03-01' and '2026-03-31'
        group by l.sku_id`.execute(api.deps.db);
      const by = new Map(rows.rows.map((r) => [r.sku_id, { fen: Number(r.fen), qty: Number(r.qty) }]));
      const net = [...by.values()].reduce((s, x) => s + x.fen, 0);
      expect(st.netSalesFen).toBe(net);
      const upper = net >= 100_000;
      const expected = by.get(tea.id)!.qty * (upper ? 80 : 50) + Math.floor((by.get(noodles.id)!.fen * 300) / 10_000) + Math.floor((by.get(shirt.id)!.fen * (upper ? 200 : 100)) / 10_000);
      expect(st).toMatchObject({ status: 'draft', amountFen: expected });
      expect(expected).toBeGreaterThan(0);

      const confirm = (token: string, expectedAmountFen: number) => api.call('POST', '/api/commission/statements/confirm', { token, body: { staffId: api.seed.staffIds.assistant1, month: '2026-03', expectedAmountFen } });
      expect((await confirm(manager, expected)).status).toBe(403);
      expect((await confirm(other, expected)).status).toBe(404);
      const stale = await confirm(owner, expected + 1);
      expect(stale.status).toBe(409);
      expect(await api.deps.db.selectFrom('commission_statements').selectAll().execute()).toEqual([]);
      const ok = await confirm(owner, expected);
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.statement).toMatchObject({ status: 'confirmed', amountFen: expected });
      expect((await confirm(owner, expected)).status).toBe(409);
      const lines = await api.deps.db.selectFrom('journal_entries').innerJoin('journal_lines', 'journal_lines.entry_id', 'journal_entries.id').select(['account', 'debit_fen', 'credit_fen']).where('event_key', 'like', 'commission:%').orderBy('line_no').execute();
      expect(lines).toEqual([{ account: 'commission_expense', debit_fen: expected, credit_fen: 0 }, { account: 'commission_payable', debit_fen: 0, credit_fen: expected }]);
      // A later rule change does not move a confirmed statement.
      await rule(owner, { scope: 'role', role: 'assistant', kind: 'percent', tiers: [{ fromFen: 0, toFen: null, rateBp: 5000 }] });
      const after = commissionStatementsResponse.parse((await api.call('GET', '/api/commission/statements?month=2026-03', { token: owner })).body).items.find((s) => s.staffId === api.seed.staffIds.assistant1)!;
      expect(after.amountFen).toBe(expected);
      const tb = await api.call('GET', '/api/ledger/trial-balance', { token: owner });
      expect(tb.status).toBe(200);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('pays a sale in a child category by its parent category\'s rule, for lines sold after the product moved there', async () => {
      const noodles = await findSku(api, assistant, 'ksfbhc');
      const parent = await categoryOf(noodles.id);
      const child = await api.call('POST', '/api/categories', { token: owner, body: { name: '袋装面', parentId: parent } });
      expect(child.status, JSON.stringify(child.body)).toBe(201);
      const productId = (await api.deps.db.selectFrom('skus').select('product_id').where('id', '=', noodles.id).executeTakeFirstOrThrow()).product_id;
      expect((await api.call('PATCH', `/api/products/${productId}`, { token: owner, body: { categoryId: child.body.id } })).status).toBe(200);
      api.setNow(at('2026-05-12'));
      const order = await sell(assistant, [{ skuId: noodles.id, qty: 4, unit: noodles.retailPriceFen }]);
      api.setNow(at('2026-06-02'));
      const st = commissionStatementsResponse.parse((await api.call('GET', '/api/commission/statements?month=2026-05', { token: owner })).body).items.find((s) => s.staffId === api.seed.staffIds.assistant1)!;
      // The noodles' old category (now the parent) pays 3%, not the assistants' role rule (50% since the last change).
      expect(st.amountFen).toBe(Math.floor((order.totalFen * 300) / 10_000));
    });
  });
}
