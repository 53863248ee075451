import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { newId } from '../../shared/ids';
import { ean13 } from '../../shared/barcode';
import { catalog_import_bytes_max, catalog_import_rows_max } from '../../shared/catalog/sheet';

/**
 * The catalog sheet (#15): the template imports clean, the export of what
 * was imported is the same rows, importing the export changes nothing, a
 * file with bad rows lists every problem and writes nothing, and the limits
 * are named. On every database the tests reach.
 */
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const header = '分类,商品名称,单位,规格,条码,零售价,会员价,成本价,状态';

async function sheetRows(bytes: Uint8Array): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const out: string[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (typeof v === 'number' ? v.toFixed(2) : String(v ?? '')))));
  return out;
}

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`catalog import on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      owner = await api.staffToken('o_demo_owner');
    });
    afterAll(async () => api?.stop());

    async function get(path: string, token = owner) {
      const res = await api.app.request(path, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, type: res.headers.get('content-type') ?? '', bytes: new Uint8Array(await res.arrayBuffer()) };
    }
    async function upload(bytes: Uint8Array | string, q: { importId?: string; apply?: boolean; acceptBelowCost?: boolean } = {}, token = owner, contentType = 'text/csv') {
      const params = new URLSearchParams({ importId: q.importId ?? newId('catalogImport') });
      if (q.apply) params.set('apply', 'true');
      if (q.acceptBelowCost) params.set('acceptBelowCost', 'true');
      const res = await api.app.request(`/api/catalog/imports?${params}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body: typeof bytes === 'string' ? bytes : (new Uint8Array(bytes) as Uint8Array<ArrayBuffer>) });
      return { status: res.status, body: (await res.json()) as any };
    }
    const skuCount = async () => Number((await api.deps.db.selectFrom('skus').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

    it('imports the template clean, exports the same rows, and a second import of the export changes nothing', async () => {
      const template = await get('/api/catalog/template');
      expect(template.status).toBe(200);
      expect(template.type).toContain('spreadsheetml');
      const dry = await upload(template.bytes, {}, owner, xlsxType);
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({ applied: false, problemCount: 0, warningCount: 0, counts: { rows: 3, newProducts: 2, newSkus: 3, updatedSkus: 0 } });
      const before = await skuCount();
      expect(await skuCount()).toBe(before);
      const importId = newId('catalogImport');
      const applied = await upload(template.bytes, { importId, apply: true }, owner, xlsxType);
      expect(applied.status).toBe(201);
      expect(applied.body.counts).toMatchObject({ newProducts: 2, newSkus: 3 });
      expect(await skuCount()).toBe(before + 3);

      // A double tap is the same import; the same id with another file is refused.
      const again = await upload(template.bytes, { importId, apply: true }, owner, xlsxType);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ replayed: true, counts: { newSkus: 3 } });
      expect(await skuCount()).toBe(before + 3);
      expect((await upload(`${header}\n饮料,另一个,瓶,,,1,,0.5,`, { importId, apply: true })).status).toBe(409);

      const exported = await get('/api/catalog/export?format=xlsx');
      expect(exported.status).toBe(200);
      const templateRows = await sheetRows(template.bytes);
      const exportRows = await sheetRows(exported.bytes);
      expect(exportRows[0]).toEqual(templateRows[0]);
      for (const row of templateRows.slice(1)) expect(exportRows).toContainEqual(row);

      const roundTrip = await upload(exported.bytes, { apply: true }, owner, xlsxType);
      expect(roundTrip.status).toBe(201);
      expect(roundTrip.body.counts).toMatchObject({ newProducts: 0, newSkus: 0, updatedSkus: 0, unchangedSkus: exportRows.length - 1 });

      const csv = await get('/api/catalog/export?format=csv');
      const csvRound = await upload(csv.bytes, { apply: true });
      expect(csvRound.body.counts).toMatchObject({ newSkus: 0, updatedSkus: 0, unchangedSkus: exportRows.length - 1 });
    });

    it('lists every bad row with its reason on a dry run, and an import of the file writes nothing', async () => {
      const existing = await api.deps.db.selectFrom('skus').innerJoin('products', 'products.id', 'skus.product_id').select(['skus.barcode', 'products.name']).where('products.name', '=', '可口可乐').executeTakeFirstOrThrow();
      const good = ean13('699800000001');
      const file = [
        header,
        `饮料,新饮料,瓶,,${good},3.50,,2,在售`,
        `饮料,另一个新饮料,瓶,,${good},3.50,,2,在售`,
        '饮料,校验位错,瓶,,6901234567890,3,,2,',
        '不存在的分类,好东西,个,,,3,,2,',
        '饮料,价格错,瓶,,,三块,,2,',
        '饮料,会员价高,瓶,,,3,4,2,',
        '饮料,规格错,瓶,红色,,3,,2,',
        `饮料,冒名顶替,瓶,,${existing.barcode},3,,2,`,
        '饮料,状态错,瓶,,,3,,2,下架',
        '饮料,两位以上小数,瓶,,,3.456,,2,',
      ].join('\n');
      const before = await skuCount();
      const dry = await upload(file);
      expect(dry.status).toBe(200);
      const where = dry.body.problems.map((p: { line: number; column: string }) => `${p.line}:${p.column}`);
      expect(where).toEqual(['3:条码', '4:条码', '5:分类', '6:零售价', '7:会员价', '8:规格', '9:条码', '10:状态', '11:零售价']);
      expect(dry.body.problems[0].message).toContain('与第 2 行');
      expect(dry.body.problems[1].message).toContain('校验位');
      expect(dry.body.problems[6].message).toContain('可口可乐');
      const refused = await upload(file, { apply: true });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain('没有导入任何商品');
      expect(refused.body.error.fields).toHaveLength(9);
      expect(await skuCount()).toBe(before);
    });

    it('warns of a price below cost and imports it only when the owner accepts', async () => {
      const file = `${header}\n饮料,亏本水,瓶,,,1.00,,1.50,在售`;
      const dry = await upload(file);
      expect(dry.body).toMatchObject({ problemCount: 0, warningCount: 1 });
      expect(dry.body.warnings[0]).toMatchObject({ line: 2, column: '零售价' });
      const refused = await upload(file, { apply: true });
      expect(refused.status).toBe(409);
      const accepted = await upload(file, { apply: true, acceptBelowCost: true });
      expect(accepted.status).toBe(201);
      const sku = await api.deps.db.selectFrom('skus').innerJoin('products', 'products.id', 'skus.product_id').select(['skus.barcode', 'skus.retail_price_fen', 'skus.cost_fen']).where('products.name', '=', '亏本水').executeTakeFirstOrThrow();
      // No barcode given: a store code in the EAN-13 in-store range.
      expect(sku).toMatchObject({ retail_price_fen: 100, cost_fen: 150 });
      expect(sku.barcode).toMatch(/^2\d{12}$/);
    });

    it('changes prices of known barcodes, reads Excel numbers exactly, a GBK CSV and a multipart upload', async () => {
      const water = await api.deps.db
        .selectFrom('skus')
        .innerJoin('products', 'products.id', 'skus.product_id')
        .innerJoin('categories', 'categories.id', 'products.category_id')
        .select(['skus.barcode', 'skus.spec', 'products.name', 'products.unit', 'categories.name as category'])
        .where('products.name', '=', '王老吉凉茶')
        .executeTakeFirstOrThrow();
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('商品资料');
      ws.addRow(header.split(','));
      // 4.3 is 4.2999… in binary: it must still be 430 fen.
      ws.addRow([water.category, water.name, water.unit, '', Number(water.barcode), 4.3, 4.1, 2.2, '在售']);
      const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
      const form = new FormData();
      form.append('file', new Blob([bytes]), 'prices.xlsx');
      const res = await api.app.request(`/api/catalog/imports?importId=${newId('catalogImport')}&apply=true`, { method: 'POST', headers: { authorization: `Bearer ${owner}` }, body: form });
      expect(res.status).toBe(201);
      expect(((await res.json()) as any).counts).toMatchObject({ updatedSkus: 1, newSkus: 0 });
      const after = await api.deps.db.selectFrom('skus').select(['retail_price_fen', 'member_price_fen', 'cost_fen']).where('barcode', '=', water.barcode).executeTakeFirstOrThrow();
      expect(after).toEqual({ retail_price_fen: 430, member_price_fen: 410, cost_fen: 220 });
      const audit = await api.deps.db.selectFrom('audit_log').select(['detail', 'subject_id']).where('action', '=', 'catalog.imported').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      expect(audit.detail).toMatchObject({ updatedSkus: 1, changesIn: 'catalog_import_changes' });
      const changes = await api.deps.db.selectFrom('catalog_import_changes').select(['before', 'after']).where('import_id', '=', audit.subject_id!).execute();
      expect(changes).toHaveLength(1);
      expect(changes[0]!.after).toEqual({ retailFen: 430, memberFen: 410, costFen: 220, active: true });

      // Excel in a Chinese locale saves CSV as GB18030.
      const gbk = iconv.encode(`${header}\r\n饮料,国标编码的茶,瓶,,,5,,3,在售\r\n`, 'gb18030');
      const dry = await upload(new Uint8Array(gbk));
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({ problemCount: 0, counts: { newProducts: 1 } });
    });

    it('refuses a missing column, a file past the row limit or the size limit, and what is not a sheet', async () => {
      const missing = await upload('分类,商品名称,零售价\n饮料,水,2');
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toContain('成本价');
      const tooMany = `${header}\n${'饮料,水,瓶,,,2,,1,\n'.repeat(catalog_import_rows_max + 1)}`;
      const rows = await upload(tooMany);
      expect(rows.status).toBe(400);
      expect(rows.body.error.message).toContain(`${catalog_import_rows_max}`);
      expect(rows.body.error.message).toContain('catalog_import_rows_max');
      const big = await upload(new Uint8Array(30 * 1024 * 1024));
      expect(big.status).toBe(413);
      expect(big.body.error.message).toContain('catalog_import_bytes_max');
      expect(catalog_import_bytes_max).toBeLessThan(30 * 1024 * 1024);
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]);
      const notSheet = await upload(png, {}, owner, 'image/png');
      expect(notSheet.status).toBe(400);
      expect(notSheet.body.error.message).toContain('不是 Excel');
    });

    it('is the owner’s alone, and one merchant’s barcodes and export are its own', async () => {
      const manager = await api.staffToken('o_demo_manager');
      const assistant = await api.staffToken('o_demo_assistant_1');
      expect((await upload(`${header}\n饮料,水,瓶,,,2,,1,`, {}, manager)).status).toBe(403);
      expect((await upload(`${header}\n饮料,水,瓶,,,2,,1,`, {}, assistant)).status).toBe(403);
      expect((await get('/api/catalog/export', manager)).status).toBe(403);
      const them = await seedOtherMerchant(api.deps.db);
      const other = await api.staffToken('o_other_owner');
      const theirCode = ean13('699700000001');
      await api.deps.db.updateTable('skus').set({ barcode: theirCode }).where('merchant_id', '=', them.merchantId).execute();
      // The other merchant's barcode is free here: barcodes are unique per merchant.
      const dry = await upload(`${header}\n饮料,别家同码的茶,瓶,,${theirCode},5,,3,`);
      expect(dry.body).toMatchObject({ problemCount: 0, counts: { newSkus: 1 } });
      const theirs = await sheetRows((await get('/api/catalog/export', other)).bytes);
      expect(theirs).toHaveLength(2);
      expect(theirs[1]![1]).toBe('别家的茶');
    });
  });
}
