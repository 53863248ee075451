import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, invariantsHold } from '../_support/selling';
import { seedOtherMerchant } from '../_support/other-merchant';
import { stocktakeResponse } from '../../shared/api/stock-ops';
import { newId } from '../../shared/ids';
import { accountBalance, expectStatus, level, sell, setStock, type DemoSku, suite_setup_timeout_ms } from './support';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`stocktakes on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let manager: string;
    let assistant: string;
    let otherOwner: string;
    let s1: string;
    /** The two smallest categories' SKUs, so counts stay short. */
    let catA: { id: string; skus: DemoSku[] };
    let catB: { id: string; skus: DemoSku[] };

    beforeAll(async () => {
      api = await startTestApi(target);
      await seedOtherMerchant(api.deps.db);
      [owner, manager, assistant, otherOwner] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_assistant_1'), api.staffToken('o_other_owner')]);
      s1 = api.seed.storeIds.DEMO01!;
      const rows = await api.deps.db
        .selectFrom('skus')
        .innerJoin('products', 'products.id', 'skus.product_id')
        .select(['skus.id', 'skus.barcode', 'skus.cost_fen', 'skus.retail_price_fen', 'products.category_id'])
        .where('skus.merchant_id', '=', api.seed.merchantId)
        .orderBy('skus.barcode')
        .execute();
      const byCat = new Map<string, DemoSku[]>();
      for (const r of rows) byCat.set(r.category_id, [...(byCat.get(r.category_id) ?? []), { id: r.id, barcode: r.barcode, costFen: r.cost_fen, retailPriceFen: r.retail_price_fen, categoryId: r.category_id }]);
      const cats = [...byCat.entries()].filter(([, s]) => s.length >= 2).sort((x, y) => x[1].length - y[1].length);
      catA = { id: cats[0]![0], skus: cats[0]![1] };
      catB = { id: cats[1]![0], skus: cats[1]![1] };
    }, suite_setup_timeout_ms);
    afterAll(async () => api?.stop());

    const start = (token: string, body: Record<string, unknown>) => api.call('POST', '/api/stocktakes', { token, body });
    const count = (token: string, id: string, body: Record<string, unknown>) => api.call('POST', `/api/stocktakes/${id}/counts`, { token, body: { clientScanId: newId('request'), ...body } });
    const approve = (token: string, id: string, uncounted: 'skip' | 'zero' = 'skip') => api.call('POST', `/api/stocktakes/${id}/approve`, { token, body: { uncounted } });

    it('counts by scanning while the store keeps selling, and approves the variance against the book at count time', async () => {
      const [a, c] = catA.skus as [DemoSku, DemoSku];
      await setStock(api, s1, a.id, 10);
      await setStock(api, s1, c.id, 5);
      const id = newId('stocktake');
      expectStatus(await start(assistant, { stocktakeId: id, storeId: s1, categoryId: catA.id }), 403);
      const started = await start(manager, { stocktakeId: id, storeId: s1, categoryId: catA.id });
      expectStatus(started, 201);
      const st = stocktakeResponse.parse(started.body).stocktake;
      expect(st.lineCount).toBe(catA.skus.length);
      expect(st.lines.find((l) => l.skuId === a.id)).toMatchObject({ expectedQty: 10, countedQty: null, bookQty: 10 });
      expectStatus(await start(manager, { stocktakeId: id, storeId: s1, categoryId: catA.id }), 200);
      expectStatus(await start(manager, { stocktakeId: newId('stocktake'), storeId: s1, categoryId: catA.id }), 409);

      // Two sold between the snapshot and the count: the shelf really holds 8, of which the assistant finds 7.
      expectStatus(await sell(api, assistant, s1, a, 2), 201);
      const scanId = newId('request');
      for (const clientScanId of [scanId, newId('request'), newId('request'), scanId]) expectStatus(await count(assistant, id, { clientScanId, barcode: a.barcode, mode: 'add', qty: 1 }), 200);
      const added = await api.call('GET', `/api/stocktakes/${id}`, { token: assistant });
      expect(added.body.stocktake.lines.find((l: { skuId: string }) => l.skuId === a.id).countedQty).toBe(3);
      expectStatus(await count(assistant, id, { clientScanId: scanId, barcode: a.barcode, mode: 'add', qty: 2 }), 409);
      const exact = await count(assistant, id, { skuId: a.id, mode: 'set', qty: 7 });
      expectStatus(exact, 200);
      expect(exact.body.line).toMatchObject({ countedQty: 7, bookQty: 8, varianceQty: -1, varianceFen: -a.costFen });
      expectStatus(await count(assistant, id, { barcode: c.barcode, mode: 'set', qty: 6 }), 200);
      // One more sale after the count: it must survive the approval.
      expectStatus(await sell(api, assistant, s1, a, 1), 201);

      const outside = catB.skus[0]!;
      expectStatus(await count(assistant, id, { barcode: outside.barcode, mode: 'add', qty: 1 }), 400);
      expectStatus(await count(assistant, id, { barcode: '6900000000012', mode: 'add', qty: 1 }), 404);
      expectStatus(await count(otherOwner, id, { barcode: a.barcode, mode: 'add', qty: 1 }), 404);
      expectStatus(await count(assistant, id, { barcode: a.barcode, mode: 'add', qty: 0 }), 400);

      const review = stocktakeResponse.parse((await api.call('GET', `/api/stocktakes/${id}`, { token: manager })).body).stocktake;
      expect(review.countedCount).toBe(2);
      expect(review.lines.find((l) => l.skuId === c.id)).toMatchObject({ countedQty: 6, bookQty: 5, varianceQty: 1, varianceFen: c.costFen });

      expectStatus(await approve(assistant, id), 403);
      expectStatus(await approve(otherOwner, id), 404);
      const adjBefore = await accountBalance(api, 'stock_adjustments', s1);
      const invBefore = await accountBalance(api, 'inventory', s1);
      const others = await Promise.all(catA.skus.slice(2).map((s) => level(api, s1, s.id)));
      const approved = await approve(manager, id);
      expectStatus(approved, 200);
      expect(approved.body.stocktake).toMatchObject({ status: 'approved', gainFen: c.costFen, lossFen: a.costFen });
      expect(await level(api, s1, a.id)).toEqual({ onHand: 6, reserved: 0 }); // 10 − 2 − 1 sold, − 1 missing
      expect(await level(api, s1, c.id)).toEqual({ onHand: 6, reserved: 0 });
      expect(await Promise.all(catA.skus.slice(2).map((s) => level(api, s1, s.id)))).toEqual(others);
      expect(await accountBalance(api, 'stock_adjustments', s1)).toBe(adjBefore + a.costFen - c.costFen);
      expect(await accountBalance(api, 'inventory', s1)).toBe(invBefore - a.costFen + c.costFen);
      const moves = await api.deps.db.selectFrom('stock_movements').select(['sku_id', 'kind', 'on_hand_delta']).where('ref_id', '=', id).orderBy('on_hand_delta').execute();
      expect(moves).toEqual([
        { sku_id: a.id, kind: 'stocktake_adjust', on_hand_delta: -1 },
        { sku_id: c.id, kind: 'stocktake_adjust', on_hand_delta: 1 },
      ]);

      const twice = await approve(manager, id);
      expectStatus(twice, 409);
      expect(twice.body.error.message).toContain('重复审核');
      expect(await level(api, s1, a.id)).toEqual({ onHand: 6, reserved: 0 });
      expectStatus(await count(assistant, id, { barcode: a.barcode, mode: 'add', qty: 1 }), 409);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('counts SKUs nobody found as zero when the manager says so', async () => {
      const [first, ...rest] = catB.skus as [DemoSku, ...DemoSku[]];
      for (const s of rest) await setStock(api, s1, s.id, 3);
      await setStock(api, s1, first.id, 4);
      const id = newId('stocktake');
      expectStatus(await start(owner, { stocktakeId: id, storeId: s1, categoryId: catB.id }), 201);
      expectStatus(await count(manager, id, { skuId: first.id, mode: 'set', qty: 4 }), 200);
      const lossBefore = await accountBalance(api, 'stock_adjustments', s1);
      const done = await approve(owner, id, 'zero');
      expectStatus(done, 200);
      const lost = rest.reduce((s, x) => s + 3 * x.costFen, 0);
      expect(done.body.stocktake).toMatchObject({ gainFen: 0, lossFen: lost });
      expect(await level(api, s1, first.id)).toEqual({ onHand: 4, reserved: 0 });
      for (const s of rest) expect(await level(api, s1, s.id)).toEqual({ onHand: 0, reserved: 0 });
      expect(await accountBalance(api, 'stock_adjustments', s1)).toBe(lossBefore + lost);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('refuses an approval that sales after the count contradict, and takes a recount', async () => {
      const a = catA.skus[0]!;
      await setStock(api, s1, a.id, 6);
      const id = newId('stocktake');
      expectStatus(await start(manager, { stocktakeId: id, storeId: s1, categoryId: catA.id }), 201);
      expectStatus(await count(assistant, id, { skuId: a.id, mode: 'set', qty: 1 }), 200);
      expectStatus(await sell(api, assistant, s1, a, 3), 201);
      const refused = await approve(manager, id);
      expectStatus(refused, 409);
      expect(refused.body.error.message).toContain(a.id);
      expect((await api.call('GET', `/api/stocktakes/${id}`, { token: manager })).body.stocktake.status).toBe('counting');
      expect(await level(api, s1, a.id)).toEqual({ onHand: 3, reserved: 0 });
      expectStatus(await count(assistant, id, { skuId: a.id, mode: 'set', qty: 2 }), 200);
      expectStatus(await approve(manager, id), 200);
      expect(await level(api, s1, a.id)).toEqual({ onHand: 2, reserved: 0 });
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('cancels a count without touching stock', async () => {
      const id = newId('stocktake');
      expectStatus(await start(manager, { stocktakeId: id, storeId: s1 }), 201);
      const full = (await api.call('GET', `/api/stocktakes/${id}`, { token: manager })).body.stocktake;
      expect(full.lineCount).toBe(api.seed.skuCount);
      expectStatus(await api.call('POST', `/api/stocktakes/${id}/cancel`, { token: assistant }), 403);
      expectStatus(await api.call('POST', `/api/stocktakes/${id}/cancel`, { token: manager }), 200);
      expectStatus(await approve(manager, id), 409);
      const listed = await api.call('GET', `/api/stocktakes?storeId=${s1}`, { token: assistant });
      expectStatus(listed, 200);
      expect(listed.body.items.map((x: { status: string }) => x.status)).toContain('cancelled');
    });
  });
}
