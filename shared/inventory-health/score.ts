/**
 * Inventory health (库存健康度): the figures and the 0–100 score, as pure
 * functions over additive sums, so a SKU, a category and a store are scored
 * the same way (sum the SKUs' raw sums, then score).
 *
 * Figures over a period of `days` business days:
 * - turnover = cost of goods sold ÷ average inventory at cost;
 *   days of inventory = days ÷ turnover (= average inventory ÷ daily COGS).
 * - sell-through = units sold ÷ (units sold + units on hand at the end).
 * - slow-moving rate = share of the end stock value (at cost) in SKUs with no
 *   sale in the last N days.
 * - stockout rate = share of SKU-days on which an active SKU had nothing
 *   available (on hand − reserved ≤ 0 at the end of the day), counting a
 *   SKU's days from its first stock movement at the store.
 *
 * Component scores (each 0–100):
 * - turnover: 100 at ≤ 30 days of inventory, 0 at ≥ 180, linear between
 *   (no sales while holding stock scores 0).
 * - sell-through: 100 at ≥ 50 %, linear down to 0 at 0 %.
 * - slow-moving: 100 × (1 − slow-moving rate).
 * - stockout: 100 at 0 %, 0 at ≥ 20 % of SKU-days out of stock, linear.
 * Score = weighted mean with the weights below (turnover 30, sell-through 20,
 * slow-moving 30, stockout 20), over the components that apply: a component
 * whose denominator is zero (no stock at all, no SKU-days) is left out and
 * the others' weights are rescaled. Rounded to a whole number at the end.
 */
import { averageInventoryFen as averageInventoryOf } from '../figures.js';

export const health_weights = { turnover: 30, sellThrough: 20, slowMoving: 30, stockout: 20 } as const;
export const health_doi_good_days = 30;
export const health_doi_bad_days = 180;
export const health_sell_through_target = 0.5;
export const health_stockout_rate_bad = 0.2;

export type HealthComponent = keyof typeof health_weights;

/** Raw sums over a period; all additive across SKUs. Money in fen. */
export interface HealthSums {
  /** Cost of goods sold, net of returns. */
  cogsFen: number;
  /** Σ over days of end-of-day on hand (≥ 0) × unit cost: average inventory × days. */
  inventoryFenDays: number;
  /** Units sold, net of returns. */
  soldQty: number;
  /** Units on hand at the end of the period (≥ 0). */
  endOnHandQty: number;
  /** End stock at cost. */
  endValueFen: number;
  /** Part of the end stock value in SKUs with no sale in the last N days. */
  slowValueFen: number;
  /** SKU-days with nothing available. */
  stockoutDays: number;
  /** SKU-days observed: each active SKU's days in the period from its first movement at the store. */
  skuDays: number;
}

export const emptySums: HealthSums = { cogsFen: 0, inventoryFenDays: 0, soldQty: 0, endOnHandQty: 0, endValueFen: 0, slowValueFen: 0, stockoutDays: 0, skuDays: 0 };

export function addSums(a: HealthSums, b: HealthSums): HealthSums {
  return {
    cogsFen: a.cogsFen + b.cogsFen,
    inventoryFenDays: a.inventoryFenDays + b.inventoryFenDays,
    soldQty: a.soldQty + b.soldQty,
    endOnHandQty: a.endOnHandQty + b.endOnHandQty,
    endValueFen: a.endValueFen + b.endValueFen,
    slowValueFen: a.slowValueFen + b.slowValueFen,
    stockoutDays: a.stockoutDays + b.stockoutDays,
    skuDays: a.skuDays + b.skuDays,
  };
}

export interface HealthFigures {
  averageInventoryFen: number;
  /** null without any inventory over the period. */
  turnover: number | null;
  /** null without inventory; Infinity with inventory and no sales. */
  daysOfInventory: number | null;
  sellThrough: number | null;
  slowMovingRate: number | null;
  stockoutRate: number | null;
}

export function healthFigures(s: HealthSums, days: number): HealthFigures {
  if (!Number.isInteger(days) || days < 1) throw new RangeError('days must be a positive integer');
  const averageInventoryFen = averageInventoryOf(s.inventoryFenDays, days);
  const turnover = s.inventoryFenDays > 0 ? s.cogsFen / averageInventoryFen : null;
  return {
    averageInventoryFen,
    turnover,
    daysOfInventory: turnover === null ? null : turnover === 0 ? Infinity : days / turnover,
    sellThrough: s.soldQty + s.endOnHandQty > 0 ? s.soldQty / (s.soldQty + s.endOnHandQty) : null,
    slowMovingRate: s.endValueFen > 0 ? s.slowValueFen / s.endValueFen : null,
    stockoutRate: s.skuDays > 0 ? s.stockoutDays / s.skuDays : null,
  };
}

const clamp100 = (x: number) => Math.min(100, Math.max(0, x));

/** Each component's 0–100 score; null where the component does not apply. */
export function componentScores(f: HealthFigures): Record<HealthComponent, number | null> {
  const doi = f.daysOfInventory;
  return {
    turnover: doi === null ? null : clamp100((100 * (health_doi_bad_days - doi)) / (health_doi_bad_days - health_doi_good_days)),
    sellThrough: f.sellThrough === null ? null : clamp100((100 * f.sellThrough) / health_sell_through_target),
    slowMoving: f.slowMovingRate === null ? null : clamp100(100 * (1 - f.slowMovingRate)),
    stockout: f.stockoutRate === null ? null : clamp100(100 * (1 - f.stockoutRate / health_stockout_rate_bad)),
  };
}

export interface HealthScore {
  /** 0–100, or null when no component applies. */
  score: number | null;
  components: Record<HealthComponent, number | null>;
  figures: HealthFigures;
}

export function healthScore(s: HealthSums, days: number): HealthScore {
  const figures = healthFigures(s, days);
  const components = componentScores(figures);
  let weighted = 0;
  let weights = 0;
  for (const k of Object.keys(health_weights) as HealthComponent[]) {
    const c = components[k];
    if (c === null) continue;
    weighted += health_weights[k] * c;
    weights += health_weights[k];
  }
  return { score: weights === 0 ? null : Math.round(weighted / weights), components, figures };
}

/**
 * How many points of the store's score one SKU costs, by component, so the
 * screen can say which SKUs pull it down most and why. Slow-moving and
 * stockout are linear in the SKU's share, so its share of the store's
 * shortfall is exact; turnover and sell-through are ratios, so their loss is
 * apportioned by the SKU's share of the store's average inventory. Weights
 * are rescaled over the components that apply to the store, as in the score.
 */
export function skuDrag(sku: HealthSums, store: HealthSums, days: number): { points: number; byComponent: Record<HealthComponent, number> } {
  const storeComponents = componentScores(healthFigures(store, days));
  const skuComponents = componentScores(healthFigures(sku, days));
  const applicable = (Object.keys(health_weights) as HealthComponent[]).filter((k) => storeComponents[k] !== null);
  const total = applicable.reduce((s, k) => s + health_weights[k], 0);
  const byComponent: Record<HealthComponent, number> = { turnover: 0, sellThrough: 0, slowMoving: 0, stockout: 0 };
  if (total === 0) return { points: 0, byComponent };
  const w = (k: HealthComponent) => (applicable.includes(k) ? health_weights[k] / total : 0);
  const inventoryShare = store.inventoryFenDays > 0 ? sku.inventoryFenDays / store.inventoryFenDays : 0;
  byComponent.turnover = w('turnover') * inventoryShare * (100 - (skuComponents.turnover ?? 100));
  byComponent.sellThrough = w('sellThrough') * inventoryShare * (100 - (skuComponents.sellThrough ?? 100));
  byComponent.slowMoving = store.endValueFen > 0 ? w('slowMoving') * 100 * (sku.slowValueFen / store.endValueFen) : 0;
  byComponent.stockout = store.skuDays > 0 ? (w('stockout') * 100 * (sku.stockoutDays / store.skuDays)) / health_stockout_rate_bad : 0;
  const points = byComponent.turnover + byComponent.sellThrough + byComponent.slowMoving + byComponent.stockout;
  return { points, byComponent };
}
