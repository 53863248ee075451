import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, invariantsHold } from '../_support/selling';
import { seedOtherMerchant } from '../_support/other-merchant';
import { inventoryHealthResponse, type HealthView } from '../../shared/api/inventory-health';
import { businessDate } from '../../api/_kernel/clock';
import { addDays } from '../../api/_reservations/reservations.service';
import { lastYear } from '../../api/_inventory-health/health.service';
import { suggestStock } from '../../shared/inventory-health/suggest';
import { generateStoreHistory, type Generated } from './generated';

interface Sums {
  cogsFen: number;
  inventoryFenDays: number;
  soldQty: number;
  endOnHandQty: number;
  endValueFen: number;
  slowValueFen: number;
  stockoutDays: number;
  skuDays: number;
}

/**
 * The independent computation: walks the generated records day by day in
 * memory, with no SQL and none of the report's code, and sums what the report
 * should show for each SKU.
 */
function replay(g: Generated, from: string, to: string, slowDays: number): Map<string, Sums> {
  const out = new Map<string, Sums>();
  const slowFrom = addDays(to, -(slowDays - 1));
  for (const s of g.skus) {
    let onHand = 0;
    let reserved = 0;
    for (const m of g.movements) {
      if (m.skuId !== s.id || m.day >= from) continue;
      onHand += m.onHand;
      reserved += m.reserved;
    }
    // The store carries a SKU from the day of its first movement there.
    const firstDay = g.movements.filter((m) => m.skuId === s.id).reduce((a, m) => (m.day < a ? m.day : a), '9999-12-31');
    let onHandDays = 0;
    let stockoutDays = 0;
    let days = 0;
    for (let d = from; d <= to; d = addDays(d, 1)) {
      for (const m of g.movements) {
        if (m.skuId !== s.id || m.day !== d) continue;
        onHand += m.onHand;
        reserved += m.reserved;
      }
      onHandDays += Math.max(0, onHand);
      if (d < firstDay) continue;
      if (onHand - reserved <= 0) stockoutDays++;
      days++;
    }
    const inPeriod = (day: string, a: string, b: string) => day >= a && day <= b;
    const net = (a: string, b: string) =>
      g.sales.filter((x) => x.skuId === s.id && inPeriod(x.day, a, b)).reduce((t, x) => t + x.qty, 0) - g.returns.filter((x) => x.skuId === s.id && inPeriod(x.day, a, b)).reduce((t, x) => t + x.qty, 0);
    const cogs =
      g.sales.filter((x) => x.skuId === s.id && inPeriod(x.day, from, to)).reduce((t, x) => t + x.costFen, 0) -
      g.returns.filter((x) => x.skuId === s.id && inPeriod(x.day, from, to)).reduce((t, x) => t + x.costFen, 0);
    const end = Math.max(0, onHand);
    out.set(s.id, {
      cogsFen: cogs,
      inventoryFenDays: onHandDays * s.costFen,
      soldQty: net(from, to),
      endOnHandQty: end,
      endValueFen: end * s.costFen,
      slowValueFen: net(slowFrom, to) > 0 ? 0 : end * s.costFen,
      stockoutDays: s.active ? stockoutDays : 0,
      skuDays: s.active ? days : 0,
    });
  }
  return out;
}

function total(sums: Sums[]): Sums {
  const t: Sums = { cogsFen: 0, inventoryFenDays: 0, soldQty: 0, endOnHandQty: 0, endValueFen: 0, slowValueFen: 0, stockoutDays: 0, skuDays: 0 };
  for (const s of sums) for (const k of Object.keys(t) as (keyof Sums)[]) t[k] += s[k];
  return t;
}

/** The figures, from the replayed sums, by the definitions written out again here. */
function expectFigures(h: HealthView, s: Sums, days: number) {
  expect(h.sums).toEqual(s);
  const avg = s.inventoryFenDays / days;
  expect(h.figures.averageInventoryFen).toBeCloseTo(avg, 6);
  if (avg > 0) expect(h.figures.turnover).toBeCloseTo(s.cogsFen / avg, 9);
  if (avg > 0 && s.cogsFen > 0) expect(h.figures.daysOfInventory).toBeCloseTo((avg * days) / s.cogsFen, 6);
  if (s.soldQty + s.endOnHandQty > 0) expect(h.figures.sellThrough).toBeCloseTo(s.soldQty / (s.soldQty + s.endOnHandQty), 9);
  if (s.endValueFen > 0) expect(h.figures.slowMovingRate).toBeCloseTo(s.slowValueFen / s.endValueFen, 9);
  if (s.skuDays > 0) expect(h.figures.stockoutRate).toBeCloseTo(s.stockoutDays / s.skuDays, 9);
  expect(h.score === null || (h.score >= 0 && h.score <= 100)).toBe(true);
}

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`inventory health on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let g: Generated;
    let today: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      owner = await api.staffToken('o_demo_owner');
      today = businessDate(new Date());
      g = await generateStoreHistory(api.deps.db, api.seed.merchantId, api.seed.staffIds.owner!, today, 365 + 120, 20261123);
    });
    afterAll(async () => api?.stop());

    const health = async (query: string, token = owner) => api.call('GET', `/api/boss/inventory-health?${query}`, { token });

    it('agrees with a replay of the generated records: store, categories, SKUs and the same period last year', async () => {
      expect(g.sales.length).toBeGreaterThan(500);
      expect(g.returns.length).toBeGreaterThan(10);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
      const from = addDays(today, -59);
      const res = await health(`storeId=${g.storeId}&from=${from}&to=${today}&slowDays=14`);
      expect(res.status).toBe(200);
      const r = inventoryHealthResponse.parse(res.body);
      expect(r).toMatchObject({ from, to: today, days: 60, slowDays: 14 });
      const bySku = replay(g, from, today, 14);
      const store = total([...bySku.values()]);
      expectFigures(r.store, store, 60);
      // The SKU stocked once long ago is out every day; the inactive one never counts.
      expect(bySku.get(g.skus[0]!.id)!.stockoutDays).toBe(60);
      expect(bySku.get(g.skus[6]!.id)!.skuDays).toBe(0);
      expect(store.stockoutDays).toBeGreaterThan(60);
      for (const c of r.categories) expectFigures(c.health, total(g.skus.filter((s) => s.categoryId === c.categoryId).map((s) => bySku.get(s.id)!)), 60);
      expect(r.categories.reduce((n, c) => n + c.skuCount, 0)).toBe(g.skus.length);
      expect(r.worstSkus.length).toBeGreaterThan(0);
      for (const w of r.worstSkus) expectFigures(w.health, bySku.get(w.skuId)!, 60);
      // Worst first, and the sold-out SKU is among them for its stockouts.
      expect(r.worstSkus.map((w) => w.dragPoints)).toEqual([...r.worstSkus.map((w) => w.dragPoints)].sort((a, b) => b - a));
      expect(r.worstSkus.find((w) => w.skuId === g.skus[0]!.id)?.reason).toBe('stockout');

      // A period across the first day of the history: days before a SKU's first movement are not stockouts.
      const [earlyFrom, earlyTo] = [addDays(today, -(365 + 120 + 9)), addDays(today, -(365 + 120 - 20))];
      const early = inventoryHealthResponse.parse((await health(`storeId=${g.storeId}&from=${earlyFrom}&to=${earlyTo}&slowDays=14`)).body);
      const earlySums = total([...replay(g, earlyFrom, earlyTo, 14).values()]);
      expectFigures(early.store, earlySums, 30);
      expect(earlySums.skuDays).toBeLessThan(6 * 30);
      expect(earlySums.skuDays).toBeGreaterThan(0);

      const [lyFrom, lyTo] = [lastYear(from), lastYear(today)];
      expect(r.lastYear).toMatchObject({ from: lyFrom, to: lyTo });
      const ly = total([...replay(g, lyFrom, lyTo, 14).values()]);
      expectFigures(r.lastYear.health, ly, Math.round((Date.parse(lyTo) - Date.parse(lyFrom)) / 86_400_000) + 1);
    });

    it('suggests stock levels from last year\'s same weeks and this year\'s trend, as the replayed weeks say', async () => {
      const res = await health(`storeId=${g.storeId}&weeksAhead=4`);
      const r = inventoryHealthResponse.parse(res.body);
      expect(r.suggestions).toMatchObject({ weeksAhead: 4, from: addDays(today, 1), to: addDays(today, 28) });
      expect(r.suggestions.items.length).toBeGreaterThan(0);
      const weekly = (skuId: string, start: string, weeks: number) =>
        Array.from({ length: weeks }, (_, w) => g.sales.filter((x) => x.skuId === skuId && x.day >= addDays(start, 7 * w) && x.day <= addDays(start, 7 * w + 6)).reduce((t, x) => t + x.qty, 0));
      const levels = new Map((await api.deps.db.selectFrom('stock_levels').select(['sku_id', 'on_hand', 'reserved']).where('store_id', '=', g.storeId).execute()).map((l) => [l.sku_id, l.on_hand - l.reserved]));
      for (const item of r.suggestions.items) {
        const input = {
          weeksAhead: 4,
          lastYearAhead: weekly(item.skuId, addDays(lastYear(today), 1), 4),
          recent: weekly(item.skuId, addDays(today, -55), 8),
          recentLastYear: weekly(item.skuId, addDays(lastYear(today), -55), 8),
          available: levels.get(item.skuId)!,
        };
        const expected = suggestStock(input);
        expect(item).toMatchObject({ lastYearQty: input.lastYearAhead.reduce((a, b) => a + b, 0), recentQty: input.recent.reduce((a, b) => a + b, 0), suggestedQty: expected.suggestedQty, orderQty: expected.orderQty, available: input.available, method: 'last_year_scaled' });
      }
      // Inactive SKUs are not suggested.
      expect(r.suggestions.items.map((i) => i.skuId)).not.toContain(g.skus[6]!.id);
    });

    it('refuses bad periods, other merchants\' stores and assistants, clearly', async () => {
      expect((await health(`storeId=${g.storeId}&to=${addDays(today, 1)}`)).status).toBe(400);
      expect((await health(`storeId=${g.storeId}&from=${today}&to=${addDays(today, -1)}`)).status).toBe(400);
      const long = await health(`storeId=${g.storeId}&from=${addDays(today, -366)}&to=${today}`);
      expect(long.status).toBe(400);
      expect(long.body.error.message).toContain('health_period_days_max');
      expect((await health(`storeId=${g.storeId}&from=${addDays(today, -365)}&to=${today}`)).status).toBe(200);
      expect((await health(`storeId=${g.storeId}&slowDays=6`)).status).toBe(400);
      const assistant = await api.staffToken('o_demo_assistant_1');
      expect((await health(`storeId=${api.seed.storeIds.DEMO01}`, assistant)).status).toBe(403);
      const manager = await api.staffToken('o_demo_manager');
      expect((await health(`storeId=${api.seed.storeIds.DEMO01}`, manager)).status).toBe(200);
      expect((await health(`storeId=${api.seed.storeIds.DEMO02}`, manager)).status).toBe(403);
      const other = await seedOtherMerchant(api.deps.db);
      expect((await health(`storeId=${other.storeId}`)).status).toBe(404);
    });
  });
}
