import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { barcodeLookupResponse, categoriesResponse, productPage, type ProductSummary } from '../../shared/api/catalog';
import { retailBarcodeKind } from '../../shared/barcode';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`catalog on ${target.name}`, () => {
    let api: TestApi;
    let token: string;
    const demo01 = () => api.seed.storeIds.DEMO01!;

    beforeAll(async () => {
      api = await startTestApi(target);
      token = await api.staffToken('o_demo_assistant_1');
    });
    afterAll(async () => api?.stop());

    async function allPages(url: string, limit: number): Promise<ProductSummary[]> {
      const items: ProductSummary[] = [];
      let cursor: string | null = null;
      do {
        const sep = url.includes('?') ? '&' : '?';
        const res = await api.call('GET', `${url}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token });
        expect(res.status).toBe(200);
        const page = productPage.parse(res.body);
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    }

    it('pages through the whole demo catalog exactly once, with valid EAN-13 barcodes', async () => {
      const items = await allPages(`/api/stores/${demo01()}/products`, 17);
      const skus = items.flatMap((p) => p.skus);
      expect(new Set(items.map((p) => p.id)).size).toBe(items.length);
      expect(skus.length).toBe(api.seed.skuCount);
      expect(skus.length).toBeGreaterThanOrEqual(180);
      for (const s of skus) expect(retailBarcodeKind(s.barcode)).toBe('ean13');
      // Variants: the T-shirt comes in colours × sizes.
      const tee = items.find((p) => p.name === '纯棉圆领T恤')!;
      expect(tee.skus.length).toBe(25);
      expect(tee.skus[0]!.spec).toHaveProperty('颜色');
      // Stock is the store's, from the ledger.
      expect(skus.every((s) => s.available > 0)).toBe(true);
      for (const p of items) expect(p.priceFen).toBe(Math.min(...p.skus.map((s) => s.retailPriceFen)));
    });

    it('shows the same catalog publicly by store code, without a token', async () => {
      const res = await api.call('GET', '/api/public/stores/DEMO01/products?limit=5');
      expect(res.status).toBe(200);
      expect(productPage.parse(res.body).items).toHaveLength(5);
      const store = await api.call('GET', '/api/public/stores/DEMO01');
      expect(store.body).toMatchObject({ code: 'DEMO01', merchantName: '柜台演示商行' });
      expect((await api.call('GET', '/api/public/stores/NOPE99')).status).toBe(404);
      expect((await api.call('GET', '/api/public/stores/bad code!')).status).toBe(400);
    });

    it('searches by name, by pinyin initials, and by exact barcode', async () => {
      const byName = productPage.parse((await api.call('GET', `/api/stores/${demo01()}/products?q=${encodeURIComponent('可乐')}`, { token })).body);
      expect(byName.items.map((p) => p.name)).toEqual(['可口可乐']);
      const byPinyin = productPage.parse((await api.call('GET', `/api/stores/${demo01()}/products?q=nfsq`, { token })).body);
      expect(byPinyin.items.map((p) => p.name)).toEqual(['农夫山泉饮用天然水']);
      const barcode = byPinyin.items[0]!.skus[0]!.barcode;
      const byCode = productPage.parse((await api.call('GET', `/api/stores/${demo01()}/products?q=${barcode}`, { token })).body);
      expect(byCode.items.map((p) => p.name)).toEqual(['农夫山泉饮用天然水']);
      // LIKE wildcards are searched as text, not as patterns.
      const wild = productPage.parse((await api.call('GET', `/api/stores/${demo01()}/products?q=%25`, { token })).body);
      expect(wild.items).toEqual([]);
    });

    it('filters by category', async () => {
      const cats = categoriesResponse.parse((await api.call('GET', '/api/public/stores/DEMO01/categories')).body);
      const clothes = cats.items.find((c) => c.name === '服装')!;
      const items = await allPages(`/api/stores/${demo01()}/products?categoryId=${clothes.id}`, 40);
      expect(items.length).toBe(6);
      expect(items.every((p) => p.categoryId === clothes.id)).toBe(true);
    });

    it('looks up a barcode for the counter scanner', async () => {
      const page = productPage.parse((await api.call('GET', `/api/stores/${demo01()}/products?q=kkkl`, { token })).body);
      const sku = page.items[0]!.skus[1]!;
      const res = await api.call('GET', `/api/stores/${demo01()}/barcodes/${sku.barcode}`, { token });
      expect(res.status).toBe(200);
      const found = barcodeLookupResponse.parse(res.body);
      expect(found.sku.id).toBe(sku.id);
      expect(found.product.name).toBe('可口可乐');
      expect((await api.call('GET', `/api/stores/${demo01()}/barcodes/6900000000012`, { token })).status).toBe(404);
    });
  });
}
