import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { unzipSync } from 'fflate';
import { parse } from 'csv-parse/sync';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { findSku, orderId } from '../_support/selling';

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
    const sold = movements.find((m) => m.ref_id === sale.body.order.id && m.sku_id === sku.id)!;
    expect(sold.on_hand_delta).toBe('-2');
    expect(text('stock_movements.csv')).not.toMatch(/'-\d/);
    const stores = parse(text('stores.csv'), { columns: true, bom: true }) as Record<string, string>[];
    expect(stores.find((s) => s.id === storeId)!.name).toBe("'=1+1");
    const orders = parse(text('orders.csv'), { columns: true, bom: true }) as Record<string, string>[];
    expect(orders.find((o) => o.id === sale.body.order.id)!.total_fen).toBe(String(2 * sku.retailPriceFen));
  });
});
