import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { retailBarcodeKind } from '../../shared/barcode';
import { categoriesResponse } from '../../shared/api/catalog';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`managing the catalog on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let assistant: string;
    let categoryId: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      [owner, assistant] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_assistant_1')]);
      categoryId = categoriesResponse.parse((await api.call('GET', '/api/public/stores/DEMO01/categories')).body).items[0]!.id;
    });
    afterAll(async () => api?.stop());

    it('adds a product with variants; printed codes are checked, store codes are made in the in-store range', async () => {
      const res = await api.call('POST', '/api/products', {
        token: owner,
        body: {
          name: '手工酸梅汤',
          categoryId,
          unit: '瓶',
          skus: [
            { barcode: '6901234567892', spec: { 规格: '350ml' }, retailPriceFen: 800, memberPriceFen: 700, costFen: 300 },
            { spec: { 规格: '1L' }, retailPriceFen: 1800, costFen: 700 },
            { spec: { 规格: '2L' }, retailPriceFen: 3000, costFen: 1200 },
          ],
        },
      });
      expect(res.status).toBe(201);
      const codes = res.body.product.skus.map((s: { barcode: string }) => s.barcode);
      expect(codes).toContain('6901234567892');
      const own = codes.filter((c: string) => c.startsWith('2'));
      expect(own).toHaveLength(2);
      for (const c of own) expect(retailBarcodeKind(c)).toBe('ean13');
      const found = await api.call('GET', `/api/public/stores/DEMO01/products?q=smt`);
      expect(found.body.items.map((p: { name: string }) => p.name)).toContain('手工酸梅汤');
      const scan = await api.call('GET', `/api/stores/${api.seed.storeIds.DEMO01}/barcodes/${own[0]}`, { token: assistant });
      expect(scan.status).toBe(200);
    });

    it('changes a price with an audit record of before and after', async () => {
      const page = await api.call('GET', `/api/public/stores/DEMO01/products?q=smt`);
      const sku = page.body.items[0].skus[0];
      const res = await api.call('PATCH', `/api/skus/${sku.id}`, { token: owner, body: { retailPriceFen: 900 } });
      expect(res.status).toBe(200);
      expect(res.body.sku).toMatchObject({ retailPriceFen: 900 });
      const trail = await api.deps.db.selectFrom('audit_log').select(['action', 'detail']).where('subject_id', '=', sku.id).execute();
      expect(trail[0]?.detail).toMatchObject({ before: { retail: sku.retailPriceFen }, after: { retail: 900 } });
    });

    it('refuses wrong check digits, duplicates, bad prices, unknown categories and assistants, writing nothing', async () => {
      const count = async () => Number((await api.deps.db.selectFrom('skus').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const before = await count();
      const base = { name: '测试', categoryId, unit: '件', skus: [{ retailPriceFen: 100, costFen: 50 }] };
      const cases: [string, unknown, number][] = [
        [owner, { ...base, skus: [{ barcode: '6901234567893', retailPriceFen: 100, costFen: 50 }] }, 400],
        [owner, { ...base, skus: [{ barcode: '6901234567892', retailPriceFen: 100, costFen: 50 }] }, 409],
        [owner, { ...base, skus: [{ barcode: '96385074', retailPriceFen: 100, costFen: 50 }, { barcode: '96385074', retailPriceFen: 100, costFen: 50 }] }, 400],
        [owner, { ...base, skus: [{ retailPriceFen: 100, memberPriceFen: 200, costFen: 50 }] }, 400],
        [owner, { ...base, skus: [{ retailPriceFen: -1, costFen: 50 }] }, 400],
        [owner, { ...base, skus: [{ retailPriceFen: 1.5, costFen: 50 }] }, 400],
        [owner, { ...base, skus: [{ retailPriceFen: 100, costFen: 50 }, { retailPriceFen: 100, costFen: 50 }] }, 400],
        [owner, { ...base, categoryId: 'cat_01JZZZZZZZZZZZZZZZZZZZZZZZ' }, 404],
        [assistant, base, 403],
      ];
      for (const [token, body, status] of cases) expect({ body, status: (await api.call('POST', '/api/products', { token, body })).status }).toEqual({ body, status });
      expect(await count()).toBe(before);
    });
  });
}
