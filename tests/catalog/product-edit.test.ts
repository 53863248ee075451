import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { checkInvariants, invariantsHold, orderId } from '../_support/selling';
import { productPage } from '../../shared/api/catalog';
import { opening_stock_value_fen_max, productDetail } from '../../shared/api/products';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`editing a product and its opening stock on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let manager: string;
    let assistant: string;
    let otherOwner: string;
    let demo01: string;
    let demo02: string;
    let tops: string;
    let shoes: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      await seedOtherMerchant(api.deps.db);
      [owner, manager, assistant, otherOwner] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_assistant_1'), api.staffToken('o_other_owner')]);
      demo01 = api.seed.storeIds.DEMO01!;
      demo02 = api.seed.storeIds.DEMO02!;
      tops = (await api.call('POST', '/api/categories', { token: owner, body: { name: '女装上衣' } })).body.id;
      shoes = (await api.call('POST', '/api/categories', { token: owner, body: { name: '女鞋' } })).body.id;
    });
    afterAll(async () => api?.stop());

    const detail = async (productId: string) => productDetail.parse((await api.call('GET', `/api/products/${productId}`, { token: owner })).body);
    const levels = async (skuIds: string[]) =>
      api.deps.db.selectFrom('stock_levels').select(['store_id', 'sku_id', 'on_hand']).where('sku_id', 'in', skuIds).orderBy('sku_id').orderBy('store_id').execute();
    const journal = (eventKey: string) =>
      api.deps.db
        .selectFrom('journal_lines')
        .innerJoin('journal_entries', 'journal_entries.id', 'journal_lines.entry_id')
        .select(['journal_lines.account', 'journal_lines.debit_fen', 'journal_lines.credit_fen'])
        .where('journal_entries.event_key', '=', eventKey)
        .orderBy('journal_lines.account')
        .execute();
    const tee = (openingQty?: [number, number]) => ({
      name: '纯棉T恤',
      categoryId: tops,
      unit: '件',
      ...(openingQty ? { openingStoreId: demo01 } : {}),
      skus: [
        { spec: { 颜色: '白', 尺码: 'M' }, retailPriceFen: 5900, costFen: 3000, ...(openingQty ? { openingQty: openingQty[0] } : {}) },
        { spec: { 颜色: '白', 尺码: 'L' }, retailPriceFen: 5900, costFen: 3000, ...(openingQty ? { openingQty: openingQty[1] } : {}) },
      ],
    });

    it('adds a product with opening stock in one store: opening movements, the level, and 库存商品 against 实收资本 at cost', async () => {
      const res = await api.call('POST', '/api/products', { token: owner, body: tee([5, 3]) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const productId = res.body.productId as string;
      const d = await detail(productId);
      const ids = d.skus.map((s) => s.id);
      const byId = new Map((await levels(ids)).map((l) => [l.sku_id, l]));
      const m = d.skus.find((s) => s.spec.尺码 === 'M')!;
      const l = d.skus.find((s) => s.spec.尺码 === 'L')!;
      expect(byId.get(m.id)).toMatchObject({ store_id: demo01, on_hand: 5 });
      expect(byId.get(l.id)).toMatchObject({ store_id: demo01, on_hand: 3 });
      const moves = await api.deps.db.selectFrom('stock_movements').select(['kind', 'on_hand_delta', 'idempotency_key', 'ref_id']).where('sku_id', 'in', ids).orderBy('idempotency_key').execute();
      expect(moves).toEqual(
        [m, l]
          .map((s) => ({ kind: 'opening', on_hand_delta: s.spec.尺码 === 'M' ? 5 : 3, idempotency_key: `opening:${productId}:${s.id}`, ref_id: productId }))
          .sort((a, b) => (a.idempotency_key < b.idempotency_key ? -1 : 1)),
      );
      expect((await journal(`opening_stock:${productId}`)).map((x) => [x.account, Number(x.debit_fen), Number(x.credit_fen)])).toEqual([
        ['inventory', 8 * 3000, 0],
        ['owner_equity', 0, 8 * 3000],
      ]);
      // The counter in that store sees the stock; another store has none.
      const counter = productPage.parse((await api.call('GET', `/api/stores/${demo01}/products?q=${encodeURIComponent('纯棉T恤')}`, { token: assistant })).body).items[0]!;
      expect(counter.skus.map((s) => s.available).sort()).toEqual([3, 5]);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('refuses bad opening stock and writes nothing: no store, a store the manager does not work in, a value over the limit', async () => {
      const count = async () => Number((await api.deps.db.selectFrom('products').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const before = await count();
      const noStore = await api.call('POST', '/api/products', { token: owner, body: { ...tee([1, 1]), openingStoreId: undefined } });
      expect(noStore.status).toBe(400);
      expect(JSON.stringify(noStore.body)).toContain('openingStoreId');
      const negative = await api.call('POST', '/api/products', { token: owner, body: tee([-1, 1]) });
      expect(negative.status).toBe(400);
      const notHers = await api.call('POST', '/api/products', { token: manager, body: { ...tee([1, 1]), openingStoreId: demo02 } });
      expect(notHers.status).toBe(403);
      const huge = { ...tee(), openingStoreId: demo01, skus: [{ spec: { 颜色: '金' }, retailPriceFen: 900_000_000, costFen: 800_000_000, openingQty: 99_999 }] };
      const tooMuch = await api.call('POST', '/api/products', { token: owner, body: huge });
      expect(tooMuch.status).toBe(400);
      expect(tooMuch.body.error.message).toContain(String(opening_stock_value_fen_max / 100));
      expect(await count()).toBe(before);
    });

    it('edits name, category, unit and active, audited; only the owner; SKUs keep their ids and specs', async () => {
      const created = await api.call('POST', '/api/products', { token: owner, body: { ...tee(), name: '帆布鞋' } });
      const productId = created.body.productId as string;
      const before = await detail(productId);
      const res = await api.call('PATCH', `/api/products/${productId}`, { token: owner, body: { name: '高帮帆布鞋', categoryId: shoes, unit: '双' } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const after = productDetail.parse(res.body);
      expect(after.product).toMatchObject({ name: '高帮帆布鞋', categoryId: shoes, unit: '双', active: true });
      expect(after.skus).toEqual(before.skus);
      // The new name is searchable by its pinyin initials.
      const found = productPage.parse((await api.call('GET', `/api/stores/${demo01}/products?q=gbfbx`, { token: assistant })).body).items;
      expect(found.map((p) => p.id)).toEqual([productId]);

      expect((await api.call('PATCH', `/api/products/${productId}`, { token: manager, body: { name: 'x' } })).status).toBe(403);
      expect((await api.call('PATCH', `/api/products/${productId}`, { token: otherOwner, body: { name: 'x' } })).status).toBe(404);
      const otherCategory = (await api.deps.db.selectFrom('categories').select('id').where('merchant_id', '<>', api.seed.merchantId).executeTakeFirstOrThrow()).id;
      expect((await api.call('PATCH', `/api/products/${productId}`, { token: owner, body: { categoryId: otherCategory } })).status).toBe(404);
      expect((await api.call('PATCH', `/api/products/${productId}`, { token: owner, body: {} })).status).toBe(400);

      const off = await api.call('PATCH', `/api/products/${productId}`, { token: owner, body: { active: false } });
      expect(off.body.product.active).toBe(false);
      const gone = productPage.parse((await api.call('GET', `/api/stores/${demo01}/products?q=gbfbx`, { token: assistant })).body).items;
      expect(gone).toEqual([]);
      const sale = await api.call('POST', '/api/orders', {
        token: assistant,
        body: { clientOrderId: orderId(), storeId: demo01, lines: [{ skuId: before.skus[0]!.id, qty: 1 }], tenders: [{ method: 'cash', amountFen: 5900 }], expectedTotalFen: 5900 },
      });
      expect(sale.status).toBe(400);
      await api.call('PATCH', `/api/products/${productId}`, { token: owner, body: { active: true } });

      const log = await api.deps.db.selectFrom('audit_log').select(['action', 'detail']).where('subject_id', '=', productId).orderBy('id').execute();
      expect(log.map((l) => l.action)).toEqual(['product.created', 'product.updated', 'product.updated', 'product.updated']);
      expect(log[1]!.detail).toMatchObject({ before: { name: '帆布鞋', unit: '件', categoryId: tops }, after: { name: '高帮帆布鞋', unit: '双', categoryId: shoes } });
    });

    it('adds a new colour as new SKUs with opening stock; refuses a spec it has, other spec items, or a single-spec product', async () => {
      const created = await api.call('POST', '/api/products', { token: owner, body: { ...tee(), name: '亚麻衬衫' } });
      const productId = created.body.productId as string;
      const before = await detail(productId);
      const black = [
        { spec: { 尺码: 'M', 颜色: '黑' }, retailPriceFen: 6900, costFen: 3500, openingQty: 2 },
        { spec: { 颜色: '黑', 尺码: 'L' }, retailPriceFen: 6900, costFen: 3500 },
      ];
      const res = await api.call('POST', `/api/products/${productId}/skus`, { token: owner, body: { skus: black, openingStoreId: demo01 } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const after = productDetail.parse(res.body);
      expect(after.skus.length).toBe(4);
      for (const s of before.skus) expect(after.skus.find((x) => x.id === s.id)).toEqual(s);
      const added = after.skus.filter((s) => !before.skus.some((b) => b.id === s.id));
      expect(added.map((s) => s.spec.颜色)).toEqual(['黑', '黑']);
      const blackM = added.find((s) => s.spec.尺码 === 'M')!;
      expect(await levels([blackM.id])).toEqual([{ store_id: demo01, sku_id: blackM.id, on_hand: 2 }]);
      expect((await journal(`opening_stock:${added[0]!.id}`)).map((x) => Number(x.debit_fen) + Number(x.credit_fen))).toEqual([7000, 7000]);

      const again = await api.call('POST', `/api/products/${productId}/skus`, { token: owner, body: { skus: [{ spec: { 颜色: '白', 尺码: 'M' }, retailPriceFen: 1, costFen: 1 }] } });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain('白 / M');
      // A stopped SKU keeps its spec: it is started again, not made twice.
      await api.call('PATCH', `/api/skus/${blackM.id}`, { token: owner, body: { active: false } });
      const stopped = await api.call('POST', `/api/products/${productId}/skus`, { token: owner, body: { skus: [{ spec: { 颜色: '黑', 尺码: 'M' }, retailPriceFen: 1, costFen: 1 }] } });
      expect(stopped.status).toBe(409);
      expect(stopped.body.error.message).toContain('停售');
      const axes = await api.call('POST', `/api/products/${productId}/skus`, { token: owner, body: { skus: [{ spec: { 颜色: '红' }, retailPriceFen: 1, costFen: 1 }] } });
      expect(axes.status).toBe(400);
      expect(axes.body.error.fields[0].path).toBe('skus.0.spec');
      const single = await api.call('POST', '/api/products', { token: owner, body: { name: '矿泉水', categoryId: tops, unit: '瓶', skus: [{ retailPriceFen: 200, costFen: 100 }] } });
      const onSingle = await api.call('POST', `/api/products/${single.body.productId}/skus`, { token: owner, body: { skus: [{ spec: { 口味: '柠檬' }, retailPriceFen: 1, costFen: 1 }] } });
      expect(onSingle.status).toBe(400);
      expect((await api.call('POST', `/api/products/${productId}/skus`, { token: manager, body: { skus: black } })).status).toBe(403);
      expect((await detail(productId)).skus.length).toBe(4);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('changes a barcode through the SKU: check digit checked, a taken one is a conflict, audited', async () => {
      const created = await api.call('POST', '/api/products', { token: owner, body: { ...tee(), name: '条纹T恤' } });
      const [a, b] = (await detail(created.body.productId)).skus;
      const bad = await api.call('PATCH', `/api/skus/${a!.id}`, { token: owner, body: { barcode: '6901234567891' } });
      expect(bad.status).toBe(400);
      const taken = await api.call('PATCH', `/api/skus/${a!.id}`, { token: owner, body: { barcode: b!.barcode } });
      expect(taken.status).toBe(409);
      const ok = await api.call('PATCH', `/api/skus/${a!.id}`, { token: owner, body: { barcode: '6901234567892' } });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.sku.barcode).toBe('6901234567892');
      const scan = await api.call('GET', `/api/stores/${demo01}/barcodes/6901234567892`, { token: assistant });
      expect(scan.body.sku.id).toBe(a!.id);
      const log = await api.deps.db.selectFrom('audit_log').select('detail').where('subject_id', '=', a!.id).where('action', '=', 'sku.updated').execute();
      expect(log.at(-1)!.detail).toMatchObject({ before: { barcode: a!.barcode }, after: { barcode: '6901234567892' } });
    });

    it('lists stopped products to the owner only, with every SKU, until one is started again', async () => {
      const created = await api.call('POST', '/api/products', { token: owner, body: { ...tee(), name: '停售测试衫' } });
      const productId = created.body.productId as string;
      const [first] = (await detail(productId)).skus;
      // One SKU stopped by itself, then the whole product: the stopped list still shows both SKUs, so the owner sees what restarting brings back.
      await api.call('PATCH', `/api/skus/${first!.id}`, { token: owner, body: { active: false } });
      await api.call('PATCH', `/api/products/${productId}`, { token: owner, body: { active: false } });
      const stopped = async (token: string, query = '') => api.call('GET', `/api/stores/${demo01}/stopped-products${query}`, { token });
      const list = productPage.parse((await stopped(owner)).body).items;
      const row = list.find((p) => p.id === productId);
      expect(row?.skus).toHaveLength(2);
      expect(productPage.parse((await stopped(owner, '?q=tscss')).body).items.map((p) => p.id)).toEqual([productId]);
      // It is not among the products on sale, and what is on sale is not in the stopped list.
      const selling = productPage.parse((await api.call('GET', `/api/stores/${demo01}/products?limit=100`, { token: owner })).body).items;
      expect(selling.some((p) => p.id === productId)).toBe(false);
      expect(list.every((p) => !selling.some((s) => s.id === p.id))).toBe(true);

      expect((await stopped(manager)).status).toBe(403);
      expect((await stopped(assistant)).status).toBe(403);
      expect((await api.call('GET', `/api/stores/${demo01}/stopped-products`, { token: otherOwner })).status).toBe(404);

      await api.call('PATCH', `/api/products/${productId}`, { token: owner, body: { active: true } });
      expect(productPage.parse((await stopped(owner)).body).items.some((p) => p.id === productId)).toBe(false);
      const back = productPage.parse((await api.call('GET', `/api/stores/${demo01}/products?q=tscss`, { token: assistant })).body).items;
      // The SKU stopped by itself stays stopped: restarting the product does not undo that choice.
      expect(back.map((p) => p.skus.length)).toEqual([1]);
    });

    it('changes one SKU\'s retail, member and cost price: only what is sent, member not above retail, only the owner, audited', async () => {
      const created = await api.call('POST', '/api/products', { token: owner, body: { ...tee(), name: '改价T恤' } });
      const [a] = (await detail(created.body.productId)).skus;
      const ok = await api.call('PATCH', `/api/skus/${a!.id}`, { token: owner, body: { retailPriceFen: 6900, memberPriceFen: 6500 } });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.sku).toMatchObject({ retailPriceFen: 6900, memberPriceFen: 6500, costFen: 3000, barcode: a!.barcode });
      const above = await api.call('PATCH', `/api/skus/${a!.id}`, { token: owner, body: { memberPriceFen: 7000 } });
      expect(above.status).toBe(400);
      expect(above.body.error.fields).toEqual([{ path: 'memberPriceFen', message: '会员价不能高于零售价' }]);
      // A retail price below cost is the owner's call (a clearance): the phone asks first, the server accepts it.
      const clearance = await api.call('PATCH', `/api/skus/${a!.id}`, { token: owner, body: { retailPriceFen: 2500 } });
      expect(clearance.body.sku).toMatchObject({ retailPriceFen: 2500, memberPriceFen: 2500, costFen: 3000 });
      expect((await api.call('PATCH', `/api/skus/${a!.id}`, { token: manager, body: { retailPriceFen: 1 } })).status).toBe(403);
      expect((await api.call('PATCH', `/api/skus/${a!.id}`, { token: otherOwner, body: { retailPriceFen: 1 } })).status).toBe(404);
      expect((await detail(created.body.productId)).skus[0]).toMatchObject({ retailPriceFen: 2500, memberPriceFen: 2500 });
      const log = await api.deps.db.selectFrom('audit_log').select('detail').where('subject_id', '=', a!.id).where('action', '=', 'sku.updated').orderBy('id').execute();
      expect(log).toHaveLength(2);
      expect(log[0]!.detail).toMatchObject({ before: { retail: 5900, member: 5900 }, after: { retail: 6900, member: 6500, cost: 3000 } });
    });
  });
}
