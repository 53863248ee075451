import { describe, expect, it } from 'vitest';
import { addSums, emptySums, healthScore, skuDrag, type HealthSums } from '../../shared/inventory-health/score';
import { suggestStock, weeklyStdDev } from '../../shared/inventory-health/suggest';

const sums = (s: Partial<HealthSums>): HealthSums => ({ ...emptySums, ...s });

describe('health score, hand-worked', () => {
  // Each row worked by hand; the comment is the arithmetic.
  const rows: { name: string; days: number; s: HealthSums; components: Record<string, number | null>; score: number | null }[] = [
    {
      // turnover 60000 / 20000 = 3, DOI 30/3 = 10 ≤ 30 → 100; sell-through 50/100 = 0.5 → 100;
      // slow 2500/10000 = 0.25 → 75; stockout 6/300 = 0.02 → 100 × (1 − 0.1) = 90;
      // (30·100 + 20·100 + 30·75 + 20·90) / 100 = 90.5 → 91.
      name: 'a healthy store with some slow stock',
      days: 30,
      s: sums({ cogsFen: 60000, inventoryFenDays: 600000, soldQty: 50, endOnHandQty: 50, endValueFen: 10000, slowValueFen: 2500, stockoutDays: 6, skuDays: 300 }),
      components: { turnover: 100, sellThrough: 100, slowMoving: 75, stockout: 90 },
      score: 91,
    },
    {
      // avg 35000, turnover 10000/35000, DOI 105 → 100 × 75/150 = 50; sell-through 10/50 = 0.2 → 40;
      // slow 0 → 100; stockout 30/300 = 0.1 → 50; (1500 + 800 + 3000 + 1000) / 100 = 63.
      name: 'slow turnover, thin sell-through, frequent stockouts',
      days: 30,
      s: sums({ cogsFen: 10000, inventoryFenDays: 1050000, soldQty: 10, endOnHandQty: 40, endValueFen: 5000, slowValueFen: 0, stockoutDays: 30, skuDays: 300 }),
      components: { turnover: 50, sellThrough: 40, slowMoving: 100, stockout: 50 },
      score: 63,
    },
    {
      // Stock all period and no sale: DOI infinite → 0, sell-through 0 → 0, all slow → 0, never out → 100; 20·100/100 = 20.
      name: 'stock that never sells',
      days: 30,
      s: sums({ cogsFen: 0, inventoryFenDays: 300000, soldQty: 0, endOnHandQty: 10, endValueFen: 10000, slowValueFen: 10000, stockoutDays: 0, skuDays: 30 }),
      components: { turnover: 0, sellThrough: 0, slowMoving: 0, stockout: 100 },
      score: 20,
    },
    {
      // Never any stock: only the stockout component applies, 30/30 days out → 0.
      name: 'an active SKU never in stock',
      days: 30,
      s: sums({ stockoutDays: 30, skuDays: 30 }),
      components: { turnover: null, sellThrough: null, slowMoving: null, stockout: 0 },
      score: 0,
    },
    {
      // DOI exactly 30 → 100 (turnover 1 over 30 days); stockout exactly 20 % → 0; sell-through 1 → 100 (capped).
      // Slow-moving does not apply (no end stock): (30·100 + 20·100 + 20·0) / 70 = 71.43 → 71.
      name: 'edges: DOI at the good limit, stockouts at the bad limit',
      days: 30,
      s: sums({ cogsFen: 3000, inventoryFenDays: 90000, soldQty: 7, endOnHandQty: 0, stockoutDays: 6, skuDays: 30 }),
      components: { turnover: 100, sellThrough: 100, slowMoving: null, stockout: 0 },
      score: 71,
    },
    {
      // DOI exactly 180 → 0: avg 6000 over 30 days, COGS 1000 → turnover 1/6, DOI 180.
      // sell-through 1/(1+3) = 0.25 → 50; slow 0 → 100; (0 + 1000 + 3000) / 80 = 50.
      name: 'DOI at the bad limit',
      days: 30,
      s: sums({ cogsFen: 1000, inventoryFenDays: 180000, soldQty: 1, endOnHandQty: 3, endValueFen: 6000 }),
      components: { turnover: 0, sellThrough: 50, slowMoving: 100, stockout: null },
      score: 50,
    },
    { name: 'nothing at all', days: 1, s: emptySums, components: { turnover: null, sellThrough: null, slowMoving: null, stockout: null }, score: null },
  ];
  it.each(rows)('$name', ({ days, s, components, score }) => {
    const h = healthScore(s, days);
    for (const [k, v] of Object.entries(components)) {
      if (v === null) expect(h.components[k as keyof typeof h.components]).toBeNull();
      else expect(h.components[k as keyof typeof h.components]).toBeCloseTo(v, 9);
    }
    expect(h.score).toBe(score);
  });

  it('reports the figures behind the score', () => {
    const f = healthScore(rows[0]!.s, 30).figures;
    expect(f).toEqual({ averageInventoryFen: 20000, turnover: 3, daysOfInventory: 10, sellThrough: 0.5, slowMovingRate: 0.25, stockoutRate: 0.02 });
    expect(healthScore(rows[2]!.s, 30).figures.daysOfInventory).toBe(Infinity);
    expect(() => healthScore(emptySums, 0)).toThrow(RangeError);
  });

  it('apportions the store\'s lost points to the SKU that loses them', () => {
    // Store = row 1 (score 90.5 before rounding, 9.5 points lost). SKU A holds all the slow stock and the stockouts:
    // slow 0.3 × 100 × 2500/10000 = 7.5; stockout 0.2 × 100 × (6/300) / 0.2 = 2; A's turnover (DOI 10) and sell-through (0.5) are perfect.
    const a = sums({ cogsFen: 30000, inventoryFenDays: 300000, soldQty: 25, endOnHandQty: 25, endValueFen: 5000, slowValueFen: 2500, stockoutDays: 6, skuDays: 150 });
    const b = sums({ cogsFen: 30000, inventoryFenDays: 300000, soldQty: 25, endOnHandQty: 25, endValueFen: 5000, slowValueFen: 0, stockoutDays: 0, skuDays: 150 });
    const store = addSums(a, b);
    expect(store).toEqual(rows[0]!.s);
    const dragA = skuDrag(a, store, 30);
    expect(dragA.byComponent.slowMoving).toBeCloseTo(7.5, 9);
    expect(dragA.byComponent.stockout).toBeCloseTo(2, 9);
    expect(dragA.points).toBeCloseTo(9.5, 9);
    expect(skuDrag(b, store, 30).points).toBe(0);
  });
});

describe('suggested stock, hand-worked', () => {
  const rows = [
    // Trend 96/64 = 1.5; forecast 40 × 1.5 = 60; steady weeks, no safety stock; 60 − 25 available = 35 to order.
    { name: 'last year scaled by this year\'s growth', input: { weeksAhead: 4, lastYearAhead: [10, 10, 10, 10], recent: Array(8).fill(12), recentLastYear: Array(8).fill(8), available: 25 }, trend: 1.5, forecast: 60, safety: 0, suggested: 60, order: 35, method: 'last_year_scaled' },
    // Trend 80/8 = 10, capped at 2; forecast 10 × 2 = 20.
    { name: 'trend capped at 2', input: { weeksAhead: 2, lastYearAhead: [5, 5], recent: Array(8).fill(10), recentLastYear: Array(8).fill(1), available: 0 }, trend: 2, forecast: 20, safety: 0, suggested: 20, order: 20, method: 'last_year_scaled' },
    // Trend 8/80 = 0.1, floored at 0.5; forecast 30 × 0.5 = 15; available above the level → nothing to order.
    { name: 'trend floored at 0.5', input: { weeksAhead: 3, lastYearAhead: [10, 10, 10], recent: Array(8).fill(1), recentLastYear: Array(8).fill(10), available: 40 }, trend: 0.5, forecast: 15, safety: 0, suggested: 15, order: 0, method: 'last_year_scaled' },
    // New SKU: weekly mean 3 × 4 weeks = 12; σ = 1 → safety 1.65 × 1 × √4 = 3.3; ⌈15.3⌉ = 16; 16 − 5 = 11.
    { name: 'a new SKU runs on its recent rate', input: { weeksAhead: 4, lastYearAhead: [0, 0, 0, 0], recent: [2, 4, 2, 4], recentLastYear: [0, 0, 0, 0], available: 5 }, trend: 1, forecast: 12, safety: 3.3, suggested: 16, order: 11, method: 'recent_run_rate' },
    { name: 'no history at all', input: { weeksAhead: 4, lastYearAhead: [0, 0, 0, 0], recent: [0, 0], recentLastYear: [0, 0], available: -3 }, trend: 1, forecast: 0, safety: 0, suggested: 0, order: 0, method: 'recent_run_rate' },
  ];
  it.each(rows)('$name', ({ input, trend, forecast, safety, suggested, order, method }) => {
    const s = suggestStock(input);
    expect(s.trend).toBeCloseTo(trend, 9);
    expect(s.forecastQty).toBeCloseTo(forecast, 9);
    expect(s.safetyQty).toBeCloseTo(safety, 9);
    expect(s.suggestedQty).toBe(suggested);
    expect(s.orderQty).toBe(order);
    expect(s.method).toBe(method);
  });
  it('takes the population standard deviation of weekly sales', () => {
    expect(weeklyStdDev([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    expect(weeklyStdDev([7])).toBe(0);
  });
});
