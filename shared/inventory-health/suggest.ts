/**
 * A suggested stock level per SKU for the coming weeks, from sales history.
 *
 * - Trend: units sold in the last `recent` weeks this year ÷ the same weeks
 *   last year, kept within [0.5, 2] so one odd season cannot run away; 1 when
 *   last year had no sales in those weeks.
 * - Forecast: the units sold in the same coming weeks last year × the trend.
 *   Without any sales history last year (a new SKU), this year's recent weekly
 *   average × the weeks ahead.
 * - Safety stock: z × the standard deviation of the recent weekly sales ×
 *   √(weeks ahead), with z = 1.65 (about a 95 % service level).
 * - Suggested level = ⌈forecast + safety stock⌉; the gap to order is that
 *   minus what is available now (never below zero).
 */
export const suggest_trend_min = 0.5;
export const suggest_trend_max = 2;
export const suggest_service_z = 1.65;

export interface SuggestInput {
  weeksAhead: number;
  /** Units sold per week in the coming weeks' dates last year (length = weeksAhead). */
  lastYearAhead: number[];
  /** Units sold per week in the recent weeks this year. */
  recent: number[];
  /** Units sold per week in the same recent weeks last year (same length as recent). */
  recentLastYear: number[];
  available: number;
}

export interface Suggestion {
  trend: number;
  forecastQty: number;
  safetyQty: number;
  suggestedQty: number;
  orderQty: number;
  method: 'last_year_scaled' | 'recent_run_rate';
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Population standard deviation; 0 for fewer than two weeks. */
export function weeklyStdDev(xs: number[]): number {
  if (xs.length < 2) return 0;
  const mean = sum(xs) / xs.length;
  return Math.sqrt(sum(xs.map((x) => (x - mean) ** 2)) / xs.length);
}

export function suggestStock(i: SuggestInput): Suggestion {
  const lastYearRecent = sum(i.recentLastYear);
  const trend = lastYearRecent > 0 ? Math.min(suggest_trend_max, Math.max(suggest_trend_min, sum(i.recent) / lastYearRecent)) : 1;
  const hasLastYear = lastYearRecent + sum(i.lastYearAhead) > 0;
  const forecastQty = hasLastYear ? sum(i.lastYearAhead) * trend : i.recent.length > 0 ? (sum(i.recent) / i.recent.length) * i.weeksAhead : 0;
  const safetyQty = suggest_service_z * weeklyStdDev(i.recent) * Math.sqrt(i.weeksAhead);
  // A hair of tolerance so a forecast that is whole up to float error is not rounded up a unit.
  const suggestedQty = Math.max(0, Math.ceil(forecastQty + safetyQty - 1e-9));
  return { trend, forecastQty, safetyQty, suggestedQty, orderQty: Math.max(0, suggestedQty - Math.max(0, i.available)), method: hasLastYear ? 'last_year_scaled' : 'recent_run_rate' };
}
