import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { checkInvariants, invariantsHold } from '../_support/selling';
import { newId } from '../../shared/ids';
import { ean13 } from '../../shared/barcode';
import { catalogImportResponse } from '../../shared/api/catalog-import';
import { specText } from '../../shared/catalog/sheet';
import { productPage } from '../../shared/api/catalog';
import { opening_qty_max, opening_stock_value_fen_max } from '../../shared/api/products';

/**
 * Opening stock (期初库存) in the catalog sheet (#15): the new SKUs' stock is
 * booked in the chosen store with the import, one movement each and one
 * balanced journal entry; bad quantities, stock on a SKU the shop already
 * has and a value past the limit are listed on the dry run and nothing is
 * written; a replay writes once; another merchant's store is not found.
 */
const header = '分类,商品名称,单位,规格,条码,零售价,会员价,成本价,状态,期初库存';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`catalog import with opening stock on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let demo01: string;
    let demo02: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      owner = await api.staffToken('o_demo_owner');
      demo01 = api.seed.storeIds.DEMO01!;
      demo02 = api.seed.storeIds.DEMO02!;
    });
    afterAll(async () => api?.stop());

    async function upload(file: string, q: { importId?: string; apply?: boolean; storeId?: string } = {}, token = owner) {
      const params = new URLSearchParams({ importId: q.importId ?? newId('catalogImport') });
      if (q.apply) params.set('apply', 'true');
      if (q.storeId) params.set('storeId', q.storeId);
      const res = await api.app.request(`/api/catalog/imports?${params}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: file });
      return { status: res.status, body: (await res.json()) as any };
    }
    const journal = (eventKey: string) =>
      api.deps.db
        .selectFrom('journal_lines')
        .innerJoin('journal_entries', 'journal_entries.id', 'journal_lines.entry_id')
        .select(['journal_lines.account', 'journal_lines.debit_fen', 'journal_lines.credit_fen', 'journal_entries.store_id'])
        .where('journal_entries.event_key', '=', eventKey)
        .orderBy('journal_lines.account')
        .execute();
    const movesOf = (importId: string) => api.deps.db.selectFrom('stock_movements').select(['sku_id', 'store_id', 'kind', 'on_hand_delta', 'idempotency_key']).where('ref_id', '=', importId).execute();
    const skuByBarcode = (barcode: string) => api.deps.db.selectFrom('skus').select(['id', 'cost_fen']).where('barcode', '=', barcode).executeTakeFirstOrThrow();

    it('books the new SKUs’ stock in the chosen store: movements, on hand, 库存商品 against 实收资本, once on a replay', async () => {
      const [a, b, c] = [ean13('699600000011'), ean13('699600000012'), ean13('699600000013')];
      const file = [header, `饮料,期初汽水,瓶,口味:橙,${a},3.50,,2,在售,24`, `饮料,期初汽水,瓶,口味:柠檬,${b},3.50,,2.10,在售,`, `饮料,期初果汁,瓶,,${c},6,,4.05,在售,7`].join('\n');
      const value = 24 * 200 + 7 * 405;

      const dry = catalogImportResponse.parse((await upload(file, { storeId: demo02 })).body);
      expect(dry).toMatchObject({ applied: false, problemCount: 0, openingStoreId: demo02, counts: { newSkus: 3, openingSkus: 2, openingUnits: 31, openingValueFen: value } });
      expect(await api.deps.db.selectFrom('skus').select('id').where('barcode', '=', a).executeTakeFirst()).toBeUndefined();

      const importId = newId('catalogImport');
      const applied = await upload(file, { importId, apply: true, storeId: demo02 });
      expect(applied.status, JSON.stringify(applied.body)).toBe(201);
      expect(applied.body).toMatchObject({ openingStoreId: demo02, counts: { openingUnits: 31, openingValueFen: value } });
      const [sa, sb, sc] = await Promise.all([skuByBarcode(a), skuByBarcode(b), skuByBarcode(c)]);
      const moves = await movesOf(importId);
      expect(moves.map((m) => [m.sku_id, m.store_id, m.kind, m.on_hand_delta, m.idempotency_key]).sort()).toEqual(
        [
          [sa.id, demo02, 'opening', 24, `opening:${importId}:${sa.id}`],
          [sc.id, demo02, 'opening', 7, `opening:${importId}:${sc.id}`],
        ].sort(),
      );
      const levels = await api.deps.db.selectFrom('stock_levels').select(['sku_id', 'store_id', 'on_hand']).where('sku_id', 'in', [sa.id, sb.id, sc.id]).execute();
      expect(levels.map((l) => [l.sku_id, l.store_id, l.on_hand]).sort()).toEqual([
        [sa.id, demo02, 24],
        [sc.id, demo02, 7],
      ].sort());
      expect((await journal(`opening_stock:${importId}`)).map((x) => [x.account, Number(x.debit_fen), Number(x.credit_fen), x.store_id])).toEqual([
        ['inventory', value, 0, demo02],
        ['owner_equity', 0, value, demo02],
      ]);
      // The counter of that store sells from it.
      const counter = productPage.parse((await api.call('GET', `/api/stores/${demo02}/products?q=${encodeURIComponent('期初果汁')}`, { token: owner })).body).items[0]!;
      expect(counter.skus[0]!.available).toBe(7);

      // A double tap answers the first import and books nothing again; the same id naming another store is other content.
      const again = await upload(file, { importId, apply: true, storeId: demo02 });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ replayed: true, openingStoreId: demo02, counts: { openingUnits: 31 } });
      const elsewhere = await upload(file, { importId, apply: true, storeId: demo01 });
      expect(elsewhere.status).toBe(409);
      expect(elsewhere.body.error.message).toContain('另一个门店');
      expect(await movesOf(importId)).toHaveLength(2);
      expect(await journal(`opening_stock:${importId}`)).toHaveLength(2);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('goes into the owner’s first store when none is named, and a file with no quantities names none', async () => {
      const code = ean13('699600000021');
      const importId = newId('catalogImport');
      const res = await upload(`${header}\n饮料,默认门店的水,瓶,,${code},2,,1,在售,5`, { importId, apply: true });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      // The owner's stores are all the merchant's, in the order of their ids.
      const { merchant_id } = await api.deps.db.selectFrom('stores').select('merchant_id').where('id', '=', demo01).executeTakeFirstOrThrow();
      const first = await api.deps.db.selectFrom('stores').select('id').where('merchant_id', '=', merchant_id).orderBy('id').executeTakeFirstOrThrow();
      expect(res.body.openingStoreId).toBe(first.id);
      expect((await movesOf(importId)).map((m) => m.store_id)).toEqual([res.body.openingStoreId]);
      // A file of the old shape, without the column, still imports and books no stock.
      const old = await upload('分类,商品名称,单位,规格,条码,零售价,会员价,成本价,状态\n饮料,旧表格的水,瓶,,,2,,1,在售', { apply: true });
      expect(old.status).toBe(201);
      expect(old.body).toMatchObject({ openingStoreId: null, counts: { newSkus: 1, openingSkus: 0, openingUnits: 0, openingValueFen: 0 } });
    });

    it('lists bad quantities, stock on a SKU the shop has, and a value past the limit on the dry run, and writes nothing', async () => {
      const known = await api.deps.db
        .selectFrom('skus')
        .innerJoin('products', 'products.id', 'skus.product_id')
        .innerJoin('categories', 'categories.id', 'products.category_id')
        .select(['skus.barcode', 'skus.spec', 'skus.retail_price_fen', 'skus.member_price_fen', 'skus.cost_fen', 'products.name', 'products.unit', 'categories.name as category'])
        .where('products.name', '=', '可口可乐')
        .executeTakeFirstOrThrow();
      const yuan = (fen: number) => (fen / 100).toFixed(2);
      const file = [
        header,
        '饮料,半瓶水,瓶,,,2,,1,在售,1.5',
        '饮料,负数水,瓶,,,2,,1,在售,-3',
        `饮料,太多水,瓶,,,2,,1,在售,${opening_qty_max + 1}`,
        '饮料,文字水,瓶,,,2,,1,在售,十箱',
        `${known.category},${known.name},${known.unit},${specText(known.spec)},${known.barcode},${yuan(known.retail_price_fen)},${yuan(known.member_price_fen)},${yuan(known.cost_fen)},在售,12`,
        '饮料,好水,瓶,,,2,,1,在售,3',
      ].join('\n');
      const movements = async () => Number((await api.deps.db.selectFrom('stock_movements').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      const before = await movements();
      const dry = await upload(file);
      expect(dry.status).toBe(200);
      expect(dry.body.problems.map((p: { line: number; column: string }) => `${p.line}:${p.column}`)).toEqual(['2:期初库存', '3:期初库存', '4:期初库存', '5:期初库存', '6:期初库存']);
      const messages = dry.body.problems.map((p: { message: string }) => p.message);
      expect(messages[0]).toContain('整数');
      expect(messages[1]).toContain('负');
      expect(messages[2]).toContain('opening_qty_max');
      expect(messages[3]).toContain('十箱');
      expect(messages[4]).toContain('已有商品不能导入期初库存，请用盘点');
      const refused = await upload(file, { apply: true });
      expect(refused.status).toBe(400);
      expect(refused.body.error.fields.map((f: { path: string }) => f.path)).toContain('第6行.期初库存');

      // 一亿元 at cost over the whole file: each row within its own limit, the row that crosses the total is named.
      const costFen = 80_000_000;
      const qty = Math.floor(opening_stock_value_fen_max / costFen / 2) + 1;
      const big = [header, `饮料,金条甲,根,,,900000,,800000,在售,${qty}`, `饮料,金条乙,根,,,900000,,800000,在售,${qty}`].join('\n');
      const tooMuch = await upload(big);
      expect(tooMuch.body.problems).toEqual([expect.objectContaining({ line: 3, column: '期初库存' })]);
      expect(tooMuch.body.problems[0].message).toContain('opening_stock_value_fen_max');
      expect((await upload(big, { apply: true })).status).toBe(400);
      expect(await movements()).toBe(before);
    });

    it('takes only a store of the owner’s merchant, checked before the file, and is the owner’s alone', async () => {
      const them = await seedOtherMerchant(api.deps.db);
      const file = `${header}\n饮料,别家门店的水,瓶,,,2,,1,在售,5`;
      const theirs = await upload(file, { apply: true, storeId: them.storeId });
      expect(theirs.status).toBe(404);
      // Checked before the body is read: a store of another merchant is not found even for a file that is not a sheet.
      const params = new URLSearchParams({ importId: newId('catalogImport'), storeId: them.storeId });
      const early = await api.app.request(`/api/catalog/imports?${params}`, { method: 'POST', headers: { authorization: `Bearer ${owner}`, 'content-type': 'image/png' }, body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0]) });
      expect(early.status).toBe(404);
      expect((await api.deps.db.selectFrom('products').select('id').where('name', '=', '别家门店的水').execute()).length).toBe(0);
      const assistant = await api.staffToken('o_demo_assistant_1');
      const manager = await api.staffToken('o_demo_manager');
      expect((await upload(file, { apply: true, storeId: demo01 }, assistant)).status).toBe(403);
      expect((await upload(file, { apply: true, storeId: demo01 }, manager)).status).toBe(403);
      expect((await api.deps.db.selectFrom('products').select('id').where('name', '=', '别家门店的水').execute()).length).toBe(0);
    });
  });
}
