import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { checkoutResponse } from '../../shared/api/orders';
import { productPage } from '../../shared/api/catalog';
import { priceChangeResponse } from '../../shared/api/store-prices';
import { newId } from '../../shared/ids';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`prices per store on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let manager: string;
    let assistant: string;
    let assistant2: string;
    let demo01: string;
    let demo02: string;
    let otherStore: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      otherStore = (await seedOtherMerchant(api.deps.db)).storeId;
      [owner, manager, assistant, assistant2] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_assistant_1'), api.staffToken('o_demo_assistant_2')]);
      demo01 = api.seed.storeIds.DEMO01!;
      demo02 = api.seed.storeIds.DEMO02!;
    });
    afterAll(async () => api?.stop());

    async function priceIn(store: 'DEMO01' | 'DEMO02', token: string, q: string) {
      const res = await api.call('GET', `/api/stores/${api.seed.storeIds[store]}/products?q=${encodeURIComponent(q)}`, { token });
      return productPage.parse(res.body).items[0]!.skus[0]!;
    }

    it('a store price changes the counter search, the barcode scan, the shop and checkout in that store only', async () => {
      const water = await findSku(api, assistant, 'nfsq');
      const newRetail = water.retailPriceFen + 123;
      const newMember = water.memberPriceFen + 23;
      const set = await api.call('PUT', `/api/stores/${demo01}/prices/${water.id}`, { token: manager, body: { retailPriceFen: newRetail, memberPriceFen: newMember } });
      expect(set.status).toBe(200);
      expect(set.body.price).toMatchObject({ retailPriceFen: newRetail, memberPriceFen: newMember, merchantRetailPriceFen: water.retailPriceFen });

      expect(await priceIn('DEMO01', assistant, 'nfsq')).toMatchObject({ retailPriceFen: newRetail, memberPriceFen: newMember });
      expect(await priceIn('DEMO02', assistant2, 'nfsq')).toMatchObject({ retailPriceFen: water.retailPriceFen, memberPriceFen: water.memberPriceFen });
      const scan1 = await api.call('GET', `/api/stores/${demo01}/barcodes/${water.barcode}`, { token: assistant });
      expect(scan1.body.sku).toMatchObject({ retailPriceFen: newRetail });
      const scan2 = await api.call('GET', `/api/stores/${demo02}/barcodes/${water.barcode}`, { token: assistant2 });
      expect(scan2.body.sku).toMatchObject({ retailPriceFen: water.retailPriceFen });
      const shop1 = productPage.parse((await api.call('GET', '/api/public/stores/DEMO01/products?q=nfsq')).body).items[0]!.skus[0]!;
      const shop2 = productPage.parse((await api.call('GET', '/api/public/stores/DEMO02/products?q=nfsq')).body).items[0]!.skus[0]!;
      expect(shop1.retailPriceFen).toBe(newRetail);
      expect(shop2.retailPriceFen).toBe(water.retailPriceFen);

      const sell = async (token: string, storeId: string, unit: number) => {
        const res = await api.call('POST', '/api/orders', {
          token,
          body: { clientOrderId: orderId(), storeId, lines: [{ skuId: water.id, qty: 2 }], tenders: [{ method: 'cash', amountFen: 2 * unit }], expectedTotalFen: 2 * unit },
        });
        expect(res.status).toBe(201);
        const { order } = checkoutResponse.parse(res.body);
        const revenue = await api.deps.db
          .selectFrom('journal_lines')
          .innerJoin('journal_entries', 'journal_entries.id', 'journal_lines.entry_id')
          .select('journal_lines.credit_fen')
          .where('journal_entries.event_key', '=', `sale:${order.id}`)
          .where('journal_lines.account', '=', 'sales_revenue')
          .executeTakeFirstOrThrow();
        return { total: order.totalFen, revenue: Number(revenue.credit_fen) };
      };
      expect(await sell(assistant, demo01, newRetail)).toEqual({ total: 2 * newRetail, revenue: 2 * newRetail });
      expect(await sell(assistant2, demo02, water.retailPriceFen)).toEqual({ total: 2 * water.retailPriceFen, revenue: 2 * water.retailPriceFen });
      expect(await checkInvariants(api)).toEqual(invariantsHold);

      const list = await api.call('GET', `/api/stores/${demo01}/prices?q=nfsq`, { token: manager });
      expect(list.body.items.map((i: { skuId: string }) => i.skuId)).toEqual([water.id]);

      const removed = await api.call('DELETE', `/api/stores/${demo01}/prices/${water.id}`, { token: manager });
      expect(removed.body).toMatchObject({ removed: true });
      expect(await priceIn('DEMO01', assistant, 'nfsq')).toMatchObject({ retailPriceFen: water.retailPriceFen });
      const trail = await api.deps.db.selectFrom('audit_log').select(['action', 'detail']).where('subject_id', '=', water.id).where('action', 'like', 'store_price.%').orderBy('id').execute();
      expect(trail.map((t) => [t.action, t.detail])).toEqual([
        ['store_price.set', { storeId: demo01, before: null, after: { retail: newRetail, member: newMember } }],
        ['store_price.removed', { storeId: demo01, before: { retail: newRetail, member: newMember }, after: null }],
      ]);
    });

    it('a manager prices their own store only, never the merchant price; another merchant sees nothing', async () => {
      const cola = await findSku(api, assistant, 'kkkl');
      const body = { retailPriceFen: 300 };
      expect((await api.call('PUT', `/api/stores/${demo02}/prices/${cola.id}`, { token: manager, body })).status).toBe(403);
      expect((await api.call('GET', `/api/stores/${demo02}/prices`, { token: manager })).status).toBe(403);
      expect((await api.call('PATCH', `/api/skus/${cola.id}`, { token: manager, body })).status).toBe(403);
      expect((await api.call('PUT', `/api/stores/${demo01}/prices/${cola.id}`, { token: assistant, body })).status).toBe(403);
      expect((await api.call('PUT', `/api/stores/${otherStore}/prices/${cola.id}`, { token: manager, body })).status).toBe(404);
      const otherOwner = await api.staffToken('o_other_owner');
      expect((await api.call('PUT', `/api/stores/${demo01}/prices/${cola.id}`, { token: otherOwner, body })).status).toBe(404);
      expect((await api.call('PUT', `/api/stores/${otherStore}/prices/${cola.id}`, { token: otherOwner, body })).status).toBe(404);
      const bad = await api.call('PUT', `/api/stores/${demo01}/prices/${cola.id}`, { token: manager, body: { retailPriceFen: 300, memberPriceFen: 301 } });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('memberPriceFen');
      expect(JSON.stringify(bad.body)).toContain('会员价不能高于零售价');
      const rows = await api.deps.db.selectFrom('store_prices').select('sku_id').where('sku_id', '=', cola.id).execute();
      expect(rows).toEqual([]);
    });

    it('a bulk change previews what it applies, replays by id, refuses another body under the same id, and audits every SKU', async () => {
      const chips = await findSku(api, assistant, 'lssp');
      const categoryId = (await api.deps.db.selectFrom('products').innerJoin('skus', 'skus.product_id', 'products.id').select('products.category_id').where('skus.id', '=', chips.id).executeTakeFirstOrThrow()).category_id;
      const body = { id: newId('priceChange'), categoryId, change: { kind: 'percent', bp: 500 }, fields: ['retail', 'member'] };
      expect((await api.call('POST', '/api/price-changes?preview=1', { token: manager, body })).status).toBe(403);
      const preview = priceChangeResponse.parse((await api.call('POST', '/api/price-changes?preview=1', { token: owner, body })).body);
      expect(preview.applied).toBe(false);
      expect(preview.rows.length).toBeGreaterThan(0);
      expect(await priceIn('DEMO01', assistant, 'lssp')).toMatchObject({ retailPriceFen: chips.retailPriceFen });

      const applied = await api.call('POST', '/api/price-changes', { token: owner, body });
      expect(applied.status).toBe(201);
      expect(applied.body.rows).toEqual(preview.rows);
      const row = preview.rows.find((r) => r.skuId === chips.id)!;
      expect(row.after.retailPriceFen).toBe(chips.retailPriceFen + Math.round(chips.retailPriceFen * 0.05));
      expect(await priceIn('DEMO01', assistant, 'lssp')).toMatchObject({ retailPriceFen: row.after.retailPriceFen, memberPriceFen: row.after.memberPriceFen });

      const replay = await api.call('POST', '/api/price-changes', { token: owner, body });
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(applied.body);
      expect(await priceIn('DEMO01', assistant, 'lssp')).toMatchObject({ retailPriceFen: row.after.retailPriceFen });
      const conflict = await api.call('POST', '/api/price-changes', { token: owner, body: { ...body, change: { kind: 'percent', bp: 600 } } });
      expect(conflict.status).toBe(409);

      const trail = await api.deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'price_change.applied').where('subject_id', '=', body.id).execute();
      expect(trail).toHaveLength(1);
      const skus = (trail[0]!.detail as { skus: { skuId: string; before: unknown; after: unknown }[] }).skus;
      expect(skus).toHaveLength(preview.rows.length);
      expect(skus.find((s) => s.skuId === chips.id)).toEqual({ skuId: chips.id, before: { retail: chips.retailPriceFen, member: chips.memberPriceFen }, after: { retail: row.after.retailPriceFen, member: row.after.memberPriceFen } });
    });

    it('a bulk change for one store writes store prices and leaves the merchant price alone', async () => {
      const cola = await findSku(api, assistant, 'kkkl');
      const body = { id: newId('priceChange'), storeId: demo02, skuIds: [cola.id], change: { kind: 'amount', fen: -50 }, fields: ['retail'] };
      const applied = priceChangeResponse.parse((await api.call('POST', '/api/price-changes', { token: owner, body })).body);
      expect(applied.rows[0]!.after.retailPriceFen).toBe(cola.retailPriceFen - 50);
      expect(await priceIn('DEMO02', assistant2, 'kkkl')).toMatchObject({ retailPriceFen: cola.retailPriceFen - 50 });
      expect(await priceIn('DEMO01', assistant, 'kkkl')).toMatchObject({ retailPriceFen: cola.retailPriceFen });
    });
  });
}
