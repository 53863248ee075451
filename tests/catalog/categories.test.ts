import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { categoriesResponse, productPage } from '../../shared/api/catalog';
import { adminCategoriesResponse, category_depth_max } from '../../shared/api/products';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`the category tree on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let manager: string;
    let assistant: string;
    let otherOwner: string;
    let otherCategory: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      await seedOtherMerchant(api.deps.db);
      [owner, manager, assistant, otherOwner] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_assistant_1'), api.staffToken('o_other_owner')]);
      otherCategory = (await api.deps.db.selectFrom('categories').innerJoin('merchants', 'merchants.id', 'categories.merchant_id').select('categories.id').where('categories.merchant_id', '<>', api.seed.merchantId).executeTakeFirstOrThrow()).id;
    });
    afterAll(async () => api?.stop());

    const tree = async (token = owner) => adminCategoriesResponse.parse((await api.call('GET', '/api/categories', { token })).body).items;
    const shopCategories = async () => categoriesResponse.parse((await api.call('GET', '/api/public/stores/DEMO01/categories')).body).items;
    const create = async (name: string, parentId?: string) => {
      const res = await api.call('POST', '/api/categories', { token: owner, body: { name, ...(parentId ? { parentId } : {}) } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const addProduct = async (name: string, categoryId: string) => {
      const res = await api.call('POST', '/api/products', { token: owner, body: { name, categoryId, unit: '件', skus: [{ retailPriceFen: 5900, costFen: 3000 }] } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.productId as string;
    };
    const auditOf = (subjectId: string) => api.deps.db.selectFrom('audit_log').select(['action', 'detail', 'actor_id']).where('subject_id', '=', subjectId).orderBy('id').execute();

    it('nests a child under a top-level category, lists it after its parent, and refuses a third level naming the limit', async () => {
      const tops = await create('男装');
      const tees = await create('T恤', tops);
      const shirts = await create('衬衫', tops);
      const items = await tree(manager);
      const at = items.findIndex((c) => c.id === tops);
      expect(items.slice(at, at + 3).map((c) => [c.name, c.parentId])).toEqual([
        ['男装', null],
        ['T恤', tops],
        ['衬衫', tops],
      ]);
      const shop = await shopCategories();
      expect(shop.find((c) => c.id === tees)).toMatchObject({ parentId: tops });

      const before = await tree();
      const deeper = await api.call('POST', '/api/categories', { token: owner, body: { name: '短袖T恤', parentId: tees } });
      expect(deeper.status).toBe(400);
      expect(deeper.body.error.message).toContain(`category_depth_max = ${category_depth_max}`);
      const moveUnder = await api.call('PATCH', `/api/categories/${shirts}`, { token: owner, body: { parentId: tees } });
      expect(moveUnder.status).toBe(400);
      expect(moveUnder.body.error.message).toContain('category_depth_max');
      // A parent with children cannot itself become a child: that would make three levels.
      const other = await create('鞋');
      const parentDown = await api.call('PATCH', `/api/categories/${tops}`, { token: owner, body: { parentId: other } });
      expect(parentDown.status).toBe(400);
      expect(parentDown.body.error.message).toContain('还有子分类');
      const self = await api.call('PATCH', `/api/categories/${other}`, { token: owner, body: { parentId: other } });
      expect(self.status).toBe(400);
      // Another merchant's category is as unknown as one that never existed, as a parent too.
      const foreignParent = await api.call('POST', '/api/categories', { token: owner, body: { name: '外来', parentId: otherCategory } });
      expect(foreignParent.status).toBe(404);
      const foreign = await api.call('PATCH', `/api/categories/${otherCategory}`, { token: owner, body: { name: '改名' } });
      expect(foreign.status).toBe(404);
      expect((await tree()).filter((c) => c.id !== other)).toEqual(before);
    });

    it('renames, moves and hides, audited; a hidden category and its children leave the shop but the counter still finds the products', async () => {
      const snacks = await create('休闲食品');
      const nuts = await create('坚果', snacks);
      const candy = await create('糖果');
      const cashews = await addProduct('腰果仁', nuts);
      const lolly = await addProduct('棒棒糖', candy);

      const renamed = await api.call('PATCH', `/api/categories/${nuts}`, { token: owner, body: { name: '坚果炒货' } });
      expect(renamed.status).toBe(200);
      expect(renamed.body.category).toMatchObject({ name: '坚果炒货', parentId: snacks, productCount: 1 });
      const duplicate = await api.call('PATCH', `/api/categories/${nuts}`, { token: owner, body: { name: '糖果' } });
      expect(duplicate.status).toBe(409);

      // A top-level category lists its children's products in the shop.
      const inSnacks = productPage.parse((await api.call('GET', `/api/public/stores/DEMO01/products?categoryId=${snacks}`)).body).items;
      expect(inSnacks.map((p) => p.id)).toEqual([cashews]);

      const moved = await api.call('PATCH', `/api/categories/${candy}`, { token: owner, body: { parentId: snacks } });
      expect(moved.body.category).toMatchObject({ parentId: snacks });
      const both = productPage.parse((await api.call('GET', `/api/public/stores/DEMO01/products?categoryId=${snacks}`)).body).items;
      expect(both.map((p) => p.id).sort()).toEqual([cashews, lolly].sort());

      const hidden = await api.call('PATCH', `/api/categories/${snacks}`, { token: owner, body: { hidden: true } });
      expect(hidden.body.category).toMatchObject({ hidden: true });
      const shop = await shopCategories();
      expect(shop.map((c) => c.id)).not.toContain(snacks);
      expect(shop.map((c) => c.id)).not.toContain(nuts);
      const shopSearch = productPage.parse((await api.call('GET', `/api/public/stores/DEMO01/products?q=${encodeURIComponent('腰果')}`)).body).items;
      expect(shopSearch).toEqual([]);
      expect((await api.call('GET', `/api/public/stores/DEMO01/products/${cashews}`)).status).toBe(404);
      const counter = productPage.parse((await api.call('GET', `/api/stores/${api.seed.storeIds.DEMO01}/products?q=${encodeURIComponent('腰果')}`, { token: assistant })).body).items;
      expect(counter.map((p) => p.id)).toEqual([cashews]);
      expect((await tree(manager)).find((c) => c.id === snacks)).toMatchObject({ hidden: true });

      await api.call('PATCH', `/api/categories/${snacks}`, { token: owner, body: { hidden: false } });
      expect((await shopCategories()).map((c) => c.id)).toContain(nuts);

      const log = await auditOf(snacks);
      expect(log.map((l) => l.action)).toEqual(['category.created', 'category.updated', 'category.updated']);
      expect(log[1]!.detail).toMatchObject({ before: { hidden: false }, after: { hidden: true } });
      expect((await auditOf(candy)).at(-1)!.detail).toMatchObject({ before: { parentId: null }, after: { parentId: snacks } });
    });

    it('reorders one level only when the list names all of it, audited', async () => {
      const bags = await create('箱包皮具');
      const a = await create('背包', bags);
      const b = await create('钱包', bags);
      const c = await create('拉杆箱', bags);
      const stale = await api.call('PUT', '/api/categories/order', { token: owner, body: { parentId: bags, ids: [c, a] } });
      expect(stale.status).toBe(400);
      expect(stale.body.error.message).toContain('全部 3 个分类');
      const res = await api.call('PUT', '/api/categories/order', { token: owner, body: { parentId: bags, ids: [c, a, b] } });
      expect(res.status).toBe(200);
      const children = adminCategoriesResponse.parse(res.body).items.filter((x) => x.parentId === bags);
      expect(children.map((x) => x.name)).toEqual(['拉杆箱', '背包', '钱包']);
      const shop = (await shopCategories()).filter((x) => x.parentId === bags);
      expect(shop.map((x) => x.id)).toEqual([c, a, b]);

      const tops = (await tree()).filter((x) => x.parentId === null).map((x) => x.id);
      const reversed = [...tops].reverse();
      const top = await api.call('PUT', '/api/categories/order', { token: owner, body: { parentId: null, ids: reversed } });
      expect(top.status).toBe(200);
      expect((await shopCategories()).filter((x) => x.parentId === null).map((x) => x.id)).toEqual(reversed);
      const log = await auditOf(bags);
      expect(log.map((l) => l.action)).toContain('category.reordered');
    });

    it('lets managers read the tree and create, but only the owner rename, move, hide or reorder', async () => {
      const items = await tree(manager);
      const first = items[0]!;
      for (const [method, url, body] of [
        ['PATCH', `/api/categories/${first.id}`, { name: '经理改名' }],
        ['PATCH', `/api/categories/${first.id}`, { hidden: true }],
        ['PUT', '/api/categories/order', { parentId: null, ids: items.filter((x) => x.parentId === null).map((x) => x.id) }],
      ] as const) {
        expect((await api.call(method, url, { token: manager, body })).status).toBe(403);
        expect((await api.call(method, url, { token: assistant, body })).status).toBe(403);
      }
      expect((await api.call('GET', '/api/categories', { token: assistant })).status).toBe(403);
      expect((await tree()).find((x) => x.id === first.id)).toEqual(first);
      const theirs = adminCategoriesResponse.parse((await api.call('GET', '/api/categories', { token: otherOwner })).body).items;
      expect(theirs.map((x) => x.id)).toEqual([otherCategory]);
    });
  });
}
