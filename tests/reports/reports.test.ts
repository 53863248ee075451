import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';

/** Decodes UTF-8 keeping a byte order mark, so the tests can see it. */
const utf8 = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { reportTable, type ReportTable } from '../../shared/api/reports';
import { fenToYuan } from '../../shared/money';
import { rebuildRollups, rollup_tables } from '../../api/_reports/rollups';
import { generateSales, type Generated } from './generate';
import { goodsFigures, loadFacts, orderFigures, tenderFigures, type Facts, type Filter } from './replay';

const mondayOf = (d: string) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  const dow = new Date(t).getUTCDay();
  return new Date(t - ((dow + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
};

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`sales reports on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let manager: string;
    let assistant: string;
    let gen: Generated;
    let facts: Facts;
    let other: Awaited<ReturnType<typeof seedOtherMerchant>>;
    const all = () => [api.seed.storeIds.DEMO01!, api.seed.storeIds.DEMO02!];

    beforeAll(async () => {
      api = await startTestApi(target);
      const [o, m, a1, a2] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_assistant_1'), api.staffToken('o_demo_assistant_2')]);
      [owner, manager, assistant] = [o, m, a1];
      gen = await generateSales(api, { assistant1: a1, assistant2: a2, manager: m, owner: o }, '2026-08-10', 84);
      api.setNow(new Date('2026-11-20T04:00:00Z'));
      facts = await loadFacts(api.deps.db, api.seed.merchantId);
      other = await seedOtherMerchant(api.deps.db);
    }, 240_000);
    afterAll(async () => api?.stop());

    async function report(kind: string, query: Record<string, string>, token = owner): Promise<ReportTable> {
      const res = await api.call('GET', `/api/reports/sales/${kind}?${new URLSearchParams(query)}`, { token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return reportTable.parse(res.body);
    }

    const pick = (row: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, row[k]]));
    const orderKeys = ['orderCount', 'salesFen', 'refundFen', 'netSalesFen', 'netQty', 'avgTicketFen', 'itemsPerSaleX100', 'costFen', 'marginFen', 'marginBp'];
    const goodsKeys = ['netQty', 'soldFen', 'returnedFen', 'netSalesFen', 'costFen', 'marginFen', 'marginBp'];
    const zeroOrder = Object.fromEntries(orderKeys.map((k) => [k, 0]));

    it('generated months of sales and returns, some approved later and some rejected', async () => {
      const approvedLater = await api.deps.db.selectFrom('returns').select('id').where('merchant_id', '=', api.seed.merchantId).where('status', '=', 'completed').where('decided_at', 'is not', null).execute();
      expect(approvedLater.length).toBeGreaterThan(0);
      expect(gen.orders.length).toBeGreaterThan(100);
      expect(facts.returns.length).toBeGreaterThan(10);
      expect(gen.returns.some((r) => r.status === 'rejected')).toBe(true);
      expect(gen.returns.some((r) => r.status === 'completed')).toBe(true);
    });

    it('keeps rollups at write time that equal a rebuild from the raw records', async () => {
      const snapshot = async () => {
        const out: Record<string, unknown[]> = {};
        for (const t of rollup_tables) out[t] = (await sql<Record<string, unknown>>`select * from ${sql.table(t)} where merchant_id = ${api.seed.merchantId} order by 1, 2, 3, 4, 5`.execute(api.deps.db)).rows;
        return out;
      };
      const incremental = await snapshot();
      for (const t of rollup_tables) expect(incremental[t]!.length, t).toBeGreaterThan(0);
      await rebuildRollups(api.deps.db, api.seed.merchantId);
      expect(await snapshot()).toEqual(incremental);
    });

    // A period that starts and ends inside months, so SKU figures come from both the daily and the monthly rollups.
    const periods: [string, string][] = [
      ['2026-08-20', '2026-10-25'],
      ['2026-08-01', '2026-11-30'],
      ['2026-09-07', '2026-09-07'],
    ];

    for (const [from, to] of periods) {
      it(`summary, stores, assistants and channels equal a replay of the records (${from}…${to})`, async () => {
        for (const [storeIds, query] of [[all(), {}], [[api.seed.storeIds.DEMO02!], { storeId: api.seed.storeIds.DEMO02! }]] as const) {
          const f: Filter = { stores: [...storeIds], from, to };
          const q = { from, to, ...query };
          const summary = await report('summary', q);
          expect(pick(summary.total!, orderKeys)).toEqual(orderFigures(facts, f, () => 'all').get('all') ?? zeroOrder);

          const stores = await report('store', q);
          const byStore = orderFigures(facts, f, (x) => x.store);
          expect(stores.rows.map((r) => r.storeId)).toEqual(storeIds.length === 2 ? [api.seed.storeIds.DEMO01, api.seed.storeIds.DEMO02] : storeIds);
          for (const r of stores.rows) expect(pick(r, orderKeys)).toEqual(byStore.get(String(r.storeId)) ?? zeroOrder);
          expect(pick(stores.total!, orderKeys)).toEqual(pick(summary.total!, orderKeys));

          const assistants = await report('assistant', q);
          const byStaff = orderFigures(facts, f, (x) => x.staff);
          expect(new Set(assistants.rows.map((r) => r.staffId))).toEqual(new Set(byStaff.keys()));
          for (const r of assistants.rows) expect(pick(r, orderKeys)).toEqual(byStaff.get(String(r.staffId)));

          const channels = await report('channel', q);
          const byChannel = orderFigures(facts, f, (x) => x.channel);
          expect(channels.rows.length).toBe(byChannel.size);
          for (const r of channels.rows) expect(pick(r, orderKeys)).toEqual(byChannel.get(String(r.channelCode)));
        }
      });

      it(`daily, weekly and monthly trends equal a replay (${from}…${to})`, async () => {
        const f: Filter = { stores: all(), from, to };
        for (const [g, key] of [['day', (d: string) => d], ['week', mondayOf], ['month', (d: string) => d.slice(0, 7)]] as const) {
          const t = await report('trend', { from, to, granularity: g });
          const byPeriod = orderFigures(facts, f, (x) => key(x.day));
          for (const r of t.rows) expect(pick(r, orderKeys), `${g} ${r.period}`).toEqual(byPeriod.get(String(r.period)) ?? zeroOrder);
          expect(t.rows.filter((r) => Number(r.orderCount) > 0 || Number(r.refundFen) > 0).length).toBe(byPeriod.size);
          expect(pick(t.total!, orderKeys)).toEqual(orderFigures(facts, f, () => 'all').get('all') ?? zeroOrder);
        }
      });

      it(`categories, SKUs, best and slow sellers equal a replay (${from}…${to})`, async () => {
        const f: Filter = { stores: all(), from, to };
        const cats = await report('category', { from, to });
        const byCat = goodsFigures(facts, f, (x) => x.category);
        expect(cats.rows.length).toBe(byCat.size);
        for (const r of cats.rows) expect(pick(r, goodsKeys)).toEqual(byCat.get(String(r.categoryId)));

        const skus = await report('sku', { from, to });
        const bySku = goodsFigures(facts, f, (x) => x.sku);
        expect(skus.rows.length).toBe(bySku.size);
        for (const r of skus.rows) expect(pick(r, goodsKeys)).toEqual(bySku.get(String(r.skuId)));
        const netSales = skus.rows.map((r) => Number(r.netSalesFen));
        expect(netSales).toEqual([...netSales].sort((a, b) => b - a));

        // One store's SKU figures come from the per-store rollups, all stores' from the merchant-wide ones.
        const one = await report('sku', { from, to, storeId: api.seed.storeIds.DEMO02! });
        const oneSku = goodsFigures(facts, { stores: [api.seed.storeIds.DEMO02!], from, to }, (x) => x.sku);
        expect(one.rows.length).toBe(oneSku.size);
        for (const r of one.rows) expect(pick(r, goodsKeys)).toEqual(oneSku.get(String(r.skuId)));
        const oneCat = await report('category', { from, to, storeId: api.seed.storeIds.DEMO01! });
        const byCat1 = goodsFigures(facts, { stores: [api.seed.storeIds.DEMO01!], from, to }, (x) => x.category);
        expect(oneCat.rows.length).toBe(byCat1.size);
        for (const r of oneCat.rows) expect(pick(r, goodsKeys)).toEqual(byCat1.get(String(r.categoryId)));

        const best = await report('best', { from, to, limit: '5' });
        const ranked = [...bySku].filter(([, v]) => v.netQty! > 0).sort(([ka, a], [kb, b]) => b.netQty! - a.netQty! || b.netSalesFen! - a.netSalesFen! || (ka < kb ? -1 : 1));
        expect(best.rows.map((r) => r.skuId)).toEqual(ranked.slice(0, 5).map(([k]) => k));

        const slow = await report('slow', { from, to, limit: '500' });
        const activeSkus = await api.deps.db.selectFrom('skus').select('id').where('merchant_id', '=', api.seed.merchantId).where('active', '=', true).execute();
        expect(slow.rows.length).toBe(Math.min(500, activeSkus.length));
        const slowQty = slow.rows.map((r) => Number(r.netQty));
        expect(slowQty).toEqual([...slowQty].sort((a, b) => a - b));
        for (const r of slow.rows) expect(Number(r.netQty)).toBe(bySku.get(String(r.skuId))?.netQty ?? 0);
      });

      it(`cash and platform takings by tender equal a replay (${from}…${to})`, async () => {
        const t = await report('tender', { from, to });
        const byMethod = tenderFigures(facts, { stores: all(), from, to });
        expect(t.rows.map((r) => r.method)).toEqual([...byMethod.keys()].sort());
        for (const r of t.rows) expect(pick(r, ['takenCount', 'takenFen', 'refundCount', 'refundedFen', 'netFen'])).toEqual(byMethod.get(String(r.method)));
      });
    }

    it('shows a manager only the stores assigned, and no assistant any report', async () => {
      const mine = await report('store', { from: '2026-08-01', to: '2026-11-30' }, manager);
      expect(mine.storeIds).toEqual([api.seed.storeIds.DEMO01]);
      expect(mine.rows.map((r) => r.storeId)).toEqual([api.seed.storeIds.DEMO01]);
      const summary = await report('summary', { from: '2026-08-01', to: '2026-11-30' }, manager);
      expect(pick(summary.total!, orderKeys)).toEqual(orderFigures(facts, { stores: [api.seed.storeIds.DEMO01!], from: '2026-08-01', to: '2026-11-30' }, () => 'all').get('all'));

      expect((await api.call('GET', `/api/reports/sales/summary?storeId=${api.seed.storeIds.DEMO02}`, { token: manager })).status).toBe(403);
      expect((await api.call('GET', '/api/reports/sales/summary', { token: assistant })).status).toBe(403);
      expect((await api.call('GET', '/api/reports/sales/summary?format=csv', { token: assistant })).status).toBe(403);
      expect((await api.call('GET', '/api/reports/sales/summary')).status).toBe(401);
      expect((await api.call('GET', `/api/reports/sales/summary?storeId=${other.storeId}`, { token: owner })).status).toBe(404);
      const otherOwner = await api.staffToken('o_other_owner');
      const theirs = await report('summary', { from: '2026-08-01', to: '2026-11-30' }, otherOwner);
      expect(theirs.total).toMatchObject({ orderCount: 0, salesFen: 0 });
    });

    it('refuses bad periods and unknown reports with a reason', async () => {
      const bad = async (path: string) => {
        const res = await api.call('GET', path, { token: owner });
        expect(res.status, path).toBe(400);
        return String(res.body.error.message);
      };
      expect(await bad('/api/reports/sales/summary?from=2026-10-02&to=2026-10-01')).toContain('晚于');
      expect(await bad('/api/reports/sales/summary?from=2025-01-01&to=2026-01-02')).toContain('report_range_days_max');
      expect(await bad('/api/reports/sales/summary?from=2026-02-30&to=2026-03-01')).toContain('日期不存在');
      expect(await bad('/api/reports/sales/nope')).toBeTruthy();
      expect(await bad('/api/reports/sales/sku?limit=501')).toBeTruthy();
      // The longest allowed period, exactly report_range_days_max days, is fine.
      expect((await api.call('GET', '/api/reports/sales/summary?from=2025-11-21&to=2026-11-21', { token: owner })).status).toBe(200);
    });

    async function download(path: string, token = owner): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
      const res = await api.app.request(path, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
    }

    it('downloads every report as CSV with a BOM, Chinese headers and yuan to two decimals', async () => {
      for (const kind of ['summary', 'trend', 'store', 'category', 'sku', 'assistant', 'channel', 'tender', 'best', 'slow']) {
        const q = `from=2026-08-20&to=2026-10-25`;
        const json = reportTable.parse((await api.call('GET', `/api/reports/sales/${kind}?${q}`, { token: owner })).body);
        const res = await download(`/api/reports/sales/${kind}?${q}&format=csv`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain('text/csv');
        expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(json.title)}`);
        expect([...res.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const records: string[][] = parse(utf8(res.bytes).slice(1));
        expect(records[0]).toEqual(json.columns.map((c) => c.title));
        expect(records.length).toBe(1 + json.rows.length + (json.total ? 1 : 0));
        json.rows.forEach((row, i) => {
          json.columns.forEach((c, j) => {
            const v = row[c.key]!;
            const want = c.kind === 'fen' || c.kind === 'x100' ? fenToYuan(Number(v)) : c.kind === 'bp' ? `${fenToYuan(Number(v))}%` : String(v);
            expect(records[i + 1]![j], `${kind} ${c.key}`).toBe(want);
          });
        });
        if (json.total) expect(records.at(-1)![0]).toBe(json.columns[0]!.kind === 'text' ? '合计' : String(json.total[json.columns[0]!.key]));
      }
      const store = utf8((await download('/api/reports/sales/store?from=2026-08-20&to=2026-10-25&format=csv')).bytes);
      expect(store.split('\r\n')[0]).toBe('\uFEFF门店,单数,销售额,退款额,净销售额,净销量(件),客单价,客件数,销售成本,毛利,毛利率');
      expect(store).toMatch(/\r\n合计,\d+,\d+\.\d{2},\d+\.\d{2},/);
    });

    it('downloads reports as XLSX that exceljs opens, with the same rows', async () => {
      for (const kind of ['store', 'sku', 'tender', 'trend']) {
        const q = `from=2026-08-20&to=2026-10-25`;
        const json = reportTable.parse((await api.call('GET', `/api/reports/sales/${kind}?${q}`, { token: owner })).body);
        const res = await download(`/api/reports/sales/${kind}?${q}&format=xlsx`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain('spreadsheetml');
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(Buffer.from(res.bytes) as unknown as ArrayBuffer);
        const sheet = wb.worksheets[0]!;
        expect(sheet.name).toBe(json.title);
        expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(json.columns.map((c) => c.title));
        expect(sheet.rowCount).toBe(1 + json.rows.length + (json.total ? 1 : 0));
        json.rows.forEach((row, i) => {
          json.columns.forEach((c, j) => {
            const cell = sheet.getRow(i + 2).getCell(j + 1);
            const v = row[c.key]!;
            if (c.kind === 'fen' || c.kind === 'x100' || c.kind === 'bp') {
              expect(cell.value).toBe(Number(fenToYuan(Number(v))));
              expect(Number(cell.value).toFixed(2)).toBe(fenToYuan(Number(v)));
              expect(cell.numFmt).toContain('0.00');
            } else expect(cell.value ?? '').toBe(c.kind === 'int' ? Number(v) : String(v));
          });
        });
      }
    });

    it('exports the whole merchant as CSV files in a zip: the owner only, every table with a merchant_id, no other merchant', async () => {
      await sql`create table zz_future_module (id text primary key, merchant_id text not null, note text)`.execute(api.deps.db);
      await sql`insert into zz_future_module values ('a', ${api.seed.merchantId}, '新模块, "引号"'), ('b', ${other.merchantId}, '别家')`.execute(api.deps.db);
      try {
        expect((await download('/api/exports/merchant', manager)).status).toBe(403);
        expect((await download('/api/exports/merchant', assistant)).status).toBe(403);
        const res = await download('/api/exports/merchant');
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/zip');
        const files = unzipSync(res.bytes);
        const names = Object.keys(files).sort();
        for (const t of ['说明.csv', 'merchants.csv', 'stores.csv', 'orders.csv', 'order_lines.csv', 'order_tenders.csv', 'returns.csv', 'journal_lines.csv', 'report_order_daily.csv', 'zz_future_module.csv']) expect(names).toContain(t);
        const { rows: withMerchant } = await sql<{ table_name: string }>`select distinct table_name from information_schema.columns where table_schema = current_schema() and column_name = 'merchant_id'`.execute(api.deps.db);
        // Every table with a merchant_id, merchants.csv and the readme.
        expect(names.length).toBe(withMerchant.filter((t) => t.table_name !== 'payment_notifications').length + 2);
        const read = (name: string) => {
          const text = utf8(files[name]!);
          expect(text.startsWith('\uFEFF')).toBe(true);
          return parse(text.slice(1), { columns: true }) as Record<string, string>[];
        };
        const orders = read('orders.csv');
        expect(orders.length).toBe((await api.deps.db.selectFrom('orders').select('id').where('merchant_id', '=', api.seed.merchantId).execute()).length);
        expect(orders.every((o) => o['商户编号'] === api.seed.merchantId)).toBe(true);
        expect(read('order_lines.csv').length).toBe((await api.deps.db.selectFrom('order_lines').select('id').where('merchant_id', '=', api.seed.merchantId).execute()).length);
        expect(read('zz_future_module.csv')).toEqual([{ 编号: 'a', 商户编号: api.seed.merchantId, 说明: '新模块, "引号"' }]);
        expect(read('merchants.csv').map((m) => m['编号'])).toEqual([api.seed.merchantId]);
        for (const name of names) expect(utf8(files[name]!), name).not.toContain(other.merchantId);
      } finally {
        await sql`drop table zz_future_module`.execute(api.deps.db);
      }
    });
  });
}
