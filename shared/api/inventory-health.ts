import { z } from 'zod';
import { idOf } from './common.js';

/** Limits of one health report; the messages name them. */
export const health_period_days_max = 366;
export const health_period_days_default = 30;
export const health_slow_days_default = 30;
export const health_slow_days_min = 7;
export const health_slow_days_max = 180;
export const health_weeks_ahead_default = 4;
export const health_weeks_ahead_max = 12;
/** Recent weeks the trend and the safety stock are read from. */
export const health_recent_weeks = 8;
export const health_worst_skus_max = 10;
export const health_suggestions_max = 30;

export const inventoryHealthQuery = z.strictObject({
  storeId: idOf('sto'),
  /** Inclusive business days; default the 30 days ending today. */
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  slowDays: z.coerce.number().int().min(health_slow_days_min).max(health_slow_days_max).optional(),
  weeksAhead: z.coerce.number().int().min(1).max(health_weeks_ahead_max).optional(),
});
export type InventoryHealthQuery = z.infer<typeof inventoryHealthQuery>;

const rate = z.number().nullable();
export const healthSumsView = z.object({
  cogsFen: z.number().int(),
  inventoryFenDays: z.number().int(),
  soldQty: z.number().int(),
  endOnHandQty: z.number().int(),
  endValueFen: z.number().int(),
  slowValueFen: z.number().int(),
  stockoutDays: z.number().int(),
  skuDays: z.number().int(),
});
export const healthView = z.object({
  score: z.number().int().nullable(),
  components: z.object({ turnover: rate, sellThrough: rate, slowMoving: rate, stockout: rate }),
  figures: z.object({
    averageInventoryFen: z.number(),
    turnover: rate,
    /** null: no stock; -1 stands for "no sale while holding stock" (infinite), since JSON has no Infinity. */
    daysOfInventory: rate,
    sellThrough: rate,
    slowMovingRate: rate,
    stockoutRate: rate,
  }),
  sums: healthSumsView,
});
export type HealthView = z.infer<typeof healthView>;

export const inventoryHealthResponse = z.object({
  storeId: z.string(),
  from: z.string(),
  to: z.string(),
  days: z.number().int(),
  slowDays: z.number().int(),
  weights: z.object({ turnover: z.number(), sellThrough: z.number(), slowMoving: z.number(), stockout: z.number() }),
  store: healthView,
  lastYear: z.object({ from: z.string(), to: z.string(), health: healthView }),
  categories: z.array(z.object({ categoryId: z.string(), name: z.string(), skuCount: z.number().int(), health: healthView })),
  worstSkus: z.array(
    z.object({
      skuId: z.string(),
      name: z.string(),
      spec: z.string(),
      categoryName: z.string(),
      health: healthView,
      dragPoints: z.number(),
      reason: z.enum(['turnover', 'sellThrough', 'slowMoving', 'stockout']),
      reasonText: z.string(),
    }),
  ),
  suggestions: z.object({
    weeksAhead: z.number().int(),
    from: z.string(),
    to: z.string(),
    method: z.string(),
    items: z.array(
      z.object({
        skuId: z.string(),
        name: z.string(),
        spec: z.string(),
        lastYearQty: z.number().int(),
        recentQty: z.number().int(),
        trend: z.number(),
        forecastQty: z.number(),
        safetyQty: z.number(),
        suggestedQty: z.number().int(),
        available: z.number().int(),
        orderQty: z.number().int(),
        method: z.enum(['last_year_scaled', 'recent_run_rate']),
      }),
    ),
  }),
});
export type InventoryHealthResponse = z.infer<typeof inventoryHealthResponse>;
