import { formatFen } from '../../shared/money.js';
import { figureLabels } from '../../shared/figures.js';
import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { businessDate } from '../_kernel/clock.js';
import { addDays } from '../_reservations/index.js';
import { addSums, emptySums, health_weights, healthScore, skuDrag, type HealthComponent, type HealthSums } from '../../shared/inventory-health/score.js';
import { suggestStock } from '../../shared/inventory-health/suggest.js';
import {
  health_period_days_default,
  health_period_days_max,
  health_recent_weeks,
  health_slow_days_default,
  health_suggestions_max,
  health_weeks_ahead_default,
  health_worst_skus_max,
  type HealthView,
  type InventoryHealthQuery,
  type InventoryHealthResponse,
} from '../../shared/api/inventory-health.js';
import { dailyUnits, skuSums, storeSkus, type SkuInfo } from './health.repository.js';

/** The same calendar day a year earlier; 29 February becomes the 28th. */
export function lastYear(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const days = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return `${y - 1}-${String(m).padStart(2, '0')}-${String(Math.min(d, days)).padStart(2, '0')}`;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
}

function view(s: HealthSums, days: number): HealthView {
  const h = healthScore(s, days);
  const doi = h.figures.daysOfInventory;
  return { score: h.score, components: h.components, figures: { ...h.figures, daysOfInventory: doi === Infinity ? -1 : doi }, sums: s };
}

function reasonText(c: HealthComponent, s: HealthSums, days: number, slowDays: number): string {
  const h = healthScore(s, days);
  switch (c) {
    case 'slowMoving':
      // The SKU's end stock at cost: the same 滞销库存 the store total sums, never an average over days (`shared/figures.ts`).
      return `${slowDays} 天无销售，${figureLabels.slowValueFen}（${figureLabels.endValueFen}）${formatFen(s.slowValueFen)}`;
    case 'stockout':
      return `${days} 天中缺货 ${s.stockoutDays} 天`;
    case 'turnover':
      return h.figures.daysOfInventory === Infinity ? '有库存但期内无销售' : `周转天数 ${Math.round(h.figures.daysOfInventory ?? 0)} 天`;
    case 'sellThrough':
      return `售罄率 ${Math.round((h.figures.sellThrough ?? 0) * 100)}%`;
  }
}

/**
 * A store's inventory health over a period: the score and its components for
 * the store, each category and the SKUs that cost it most points; the same
 * period last year; and a suggested stock level per SKU for the coming weeks.
 */
export async function inventoryHealth(db: Kysely<DB>, merchantId: string, q: InventoryHealthQuery, now: Date): Promise<InventoryHealthResponse> {
  const today = businessDate(now);
  const to = q.to ?? today;
  const from = q.from ?? addDays(to, -(health_period_days_default - 1));
  const slowDays = q.slowDays ?? health_slow_days_default;
  const weeksAhead = q.weeksAhead ?? health_weeks_ahead_default;
  if (to > today) throw new AppError('validation_failed', `统计截止日不能晚于今天 ${today}`, [{ path: 'to', message: 'in the future' }]);
  if (from > to) throw new AppError('validation_failed', '开始日期不能晚于截止日期', [{ path: 'from', message: 'after to' }]);
  const days = daysBetween(from, to);
  if (days > health_period_days_max) throw new AppError('validation_failed', `统计区间最多 ${health_period_days_max} 天（health_period_days_max）`, [{ path: 'from', message: 'period too long' }]);

  const skus = await storeSkus(db, merchantId, q.storeId);
  const slowFrom = addDays(to, -(slowDays - 1));
  const [lyFrom, lyTo] = [lastYear(from), lastYear(to)];
  const [sums, lySums] = await Promise.all([
    skuSums(db, merchantId, q.storeId, skus, from, to, slowFrom),
    skuSums(db, merchantId, q.storeId, skus, lyFrom, lyTo, lastYear(slowFrom)),
  ]);
  const total = (m: Map<string, HealthSums>, keep: (s: SkuInfo) => boolean = () => true) => skus.filter(keep).reduce((acc, s) => addSums(acc, m.get(s.skuId)!), emptySums);
  const store = total(sums);

  const categories = [...new Map(skus.map((s) => [s.categoryId, s.categoryName]))].map(([categoryId, name]) => ({
    categoryId,
    name,
    skuCount: skus.filter((s) => s.categoryId === categoryId).length,
    health: view(total(sums, (s) => s.categoryId === categoryId), days),
  }));
  categories.sort((a, b) => (a.health.score ?? 101) - (b.health.score ?? 101) || a.name.localeCompare(b.name));

  const worstSkus = skus
    .map((s) => {
      const drag = skuDrag(sums.get(s.skuId)!, store, days);
      const reason = (Object.keys(drag.byComponent) as HealthComponent[]).reduce((a, b) => (drag.byComponent[b] > drag.byComponent[a] ? b : a));
      return { s, drag, reason };
    })
    .filter((x) => x.drag.points > 0.005)
    .sort((a, b) => b.drag.points - a.drag.points || (a.s.skuId < b.s.skuId ? -1 : 1))
    .slice(0, health_worst_skus_max)
    .map(({ s, drag, reason }) => ({
      skuId: s.skuId,
      name: s.name,
      spec: s.spec,
      categoryName: s.categoryName,
      health: view(sums.get(s.skuId)!, days),
      dragPoints: Math.round(drag.points * 100) / 100,
      reason,
      reasonText: reasonText(reason, sums.get(s.skuId)!, days, slowDays),
    }));

  return {
    storeId: q.storeId,
    from,
    to,
    days,
    slowDays,
    weights: { ...health_weights },
    store: view(store, days),
    lastYear: { from: lyFrom, to: lyTo, health: view(total(lySums), daysBetween(lyFrom, lyTo)) },
    categories,
    worstSkus,
    suggestions: await suggestions(db, merchantId, q.storeId, skus, to, weeksAhead),
  };
}

/** Weekly sales per SKU in three windows, then the shared method (`shared/inventory-health/suggest.ts`). */
async function suggestions(db: Kysely<DB>, merchantId: string, storeId: string, skus: SkuInfo[], to: string, weeksAhead: number): Promise<InventoryHealthResponse['suggestions']> {
  const recentFrom = addDays(to, -(7 * health_recent_weeks - 1));
  const lyTo = lastYear(to);
  const lyRecentFrom = addDays(lyTo, -(7 * health_recent_weeks - 1));
  const lyAheadTo = addDays(lyTo, 7 * weeksAhead);
  const [recent, ly] = await Promise.all([dailyUnits(db, merchantId, storeId, recentFrom, to), dailyUnits(db, merchantId, storeId, lyRecentFrom, lyAheadTo)]);
  const weeks = (n: number) => new Map(skus.map((s) => [s.skuId, Array<number>(n).fill(0)]));
  const recentW = weeks(health_recent_weeks);
  const lyRecentW = weeks(health_recent_weeks);
  const lyAheadW = weeks(weeksAhead);
  const bucket = (into: Map<string, number[]>, start: string, r: { skuId: string; day: string; qty: number }) => {
    const i = Math.floor((daysBetween(start, r.day) - 1) / 7);
    const row = into.get(r.skuId);
    if (row && i >= 0 && i < row.length) row[i]! += r.qty;
  };
  for (const r of recent) bucket(recentW, recentFrom, r);
  for (const r of ly) {
    if (r.day <= lyTo) bucket(lyRecentW, lyRecentFrom, r);
    else bucket(lyAheadW, addDays(lyTo, 1), r);
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const items = skus
    .filter((s) => s.active)
    .map((s) => {
      const input = { weeksAhead, lastYearAhead: lyAheadW.get(s.skuId)!, recent: recentW.get(s.skuId)!, recentLastYear: lyRecentW.get(s.skuId)!, available: s.onHand - s.reserved };
      const g = suggestStock(input);
      return {
        skuId: s.skuId,
        name: s.name,
        spec: s.spec,
        lastYearQty: sum(input.lastYearAhead),
        recentQty: sum(input.recent),
        trend: Math.round(g.trend * 1000) / 1000,
        forecastQty: Math.round(g.forecastQty * 10) / 10,
        safetyQty: Math.round(g.safetyQty * 10) / 10,
        suggestedQty: g.suggestedQty,
        available: input.available,
        orderQty: g.orderQty,
        method: g.method,
      };
    })
    .filter((i) => i.suggestedQty > 0)
    .sort((a, b) => b.orderQty - a.orderQty || b.suggestedQty - a.suggestedQty || (a.skuId < b.skuId ? -1 : 1))
    .slice(0, health_suggestions_max);
  return {
    weeksAhead,
    from: addDays(to, 1),
    to: addDays(to, 7 * weeksAhead),
    method: `去年同期 ${weeksAhead} 周销量 × 今年趋势（近 ${health_recent_weeks} 周 ÷ 去年同期，限 0.5–2 倍）+ 安全库存（1.65 × 近 ${health_recent_weeks} 周周销量标准差 × √${weeksAhead}）；无去年数据的新品按近 ${health_recent_weeks} 周平均周销量`,
    items,
  };
}
