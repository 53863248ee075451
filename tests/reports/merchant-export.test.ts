import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { unzipSync } from 'fflate';
import { parse } from 'csv-parse/sync';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { findSku, orderId } from '../_support/selling';
import { fenToYuan } from '../../shared/money';

const pglite = dbTargets().find((t) => t.name === 'pglite')!;

describe("the owner's full export writes numbers as numbers and defuses formulas in text", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(pglite);
  });
  afterAll(async () => api?.stop());

  it('keeps a negative quantity a bare number and puts an apostrophe before text a spreadsheet would run', async () => {
    const assistant = await api.staffToken('o_demo_assistant_1');
    const owner = await api.staffToken('o_demo_owner');
    const storeId = api.seed.storeIds.DEMO01!;
    const sku = await findSku(api, assistant, 'nfsq');
    const sale = await api.call('POST', '/api/orders', {
      token: assistant,
      body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 2 }], tenders: [{ method: 'cash', amountFen: 2 * sku.retailPriceFen }], expectedTotalFen: 2 * sku.retailPriceFen },
    });
    expect(sale.status).toBe(201);
    await sql`update stores set name = '=1+1' where id = ${storeId}`.execute(api.deps.db);

    const res = await api.app.request('/api/exports/merchant', { headers: { authorization: `Bearer ${owner}` } });
    expect(res.status).toBe(200);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const text = (name: string) => new TextDecoder().decode(files[name]!);
    const movements = parse(text('stock_movements.csv'), { columns: true, bom: true }) as Record<string, string>[];
    const sold = movements.find((m) => m['关联编号'] === sale.body.order.id && m['商品规格编号'] === sku.id)!;
    expect(sold['在手变动']).toBe('-2');
    expect(text('stock_movements.csv')).not.toMatch(/'-\d/);
    const stores = parse(text('stores.csv'), { columns: true, bom: true }) as Record<string, string>[];
    expect(stores.find((s) => s['编号'] === storeId)!['名称']).toBe("'=1+1");
    const orders = parse(text('orders.csv'), { columns: true, bom: true }) as Record<string, string>[];
    expect(orders.find((o) => o['编号'] === sale.body.order.id)!['合计（元）']).toBe(fenToYuan(2 * sku.retailPriceFen));
  });

  it('names columns in Chinese, writes amounts in yuan and times in Beijing time, and says what each file holds in 说明.csv', async () => {
    const owner = await api.staffToken('o_demo_owner');
    const res = await api.app.request('/api/exports/merchant', { headers: { authorization: `Bearer ${owner}` } });
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const read = (name: string) => parse(new TextDecoder().decode(files[name]!), { columns: true, bom: true }) as Record<string, string>[];
    const lines = read('order_lines.csv');
    expect(Object.keys(lines[0]!)).toEqual(expect.arrayContaining(['编号', '订单编号', '商品名称', '数量', '净额（元）', '成本（元）']));
    const db = api.deps.db;
    const line = await db.selectFrom('order_lines').select(['id', 'net_fen']).where('merchant_id', '=', api.seed.merchantId).executeTakeFirstOrThrow();
    expect(lines.find((l) => l['编号'] === line.id)!['净额（元）']).toBe(fenToYuan(line.net_fen));
    const order = await db.selectFrom('orders').select(['id', 'created_at']).where('merchant_id', '=', api.seed.merchantId).executeTakeFirstOrThrow();
    const beijing = new Date(order.created_at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    expect(read('orders.csv').find((o) => o['编号'] === order.id)!['创建时间']).toBe(beijing);
    // A header in English would be a column whose words are not named in export-names.ts.
    for (const name of Object.keys(files).filter((n) => n.endsWith('.csv'))) {
      const header = Object.keys(read(name)[0] ?? {});
      expect(header.filter((h) => /^[a-z_]+$/.test(h)), name).toEqual([]);
    }
    const readme = read('说明.csv');
    const files_listed = readme.map((r) => r['文件']);
    expect(files_listed.sort()).toEqual(Object.keys(files).sort());
    for (const r of readme) expect(r['内容'], r['文件']).not.toBe('');
    expect(readme.find((r) => r['文件'] === 'orders.csv')!['行数']).toBe(String(read('orders.csv').length));
  });
});
