/**
 * The arithmetic of receivables, kept pure so it can be checked by hand:
 * days between business days, aging buckets, days sales outstanding and a
 * credit rating from payment behaviour. Dates are YYYY-MM-DD business days.
 */

const day_ms = 86_400_000;

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / day_ms);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * day_ms).toISOString().slice(0, 10);
}

export const aging_bucket_keys = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus'] as const;
export type AgingBucket = (typeof aging_bucket_keys)[number];
export type Aging = Record<AgingBucket, number> & { totalFen: number };

/**
 * Which bucket an open balance falls in by days overdue on `asOf`: not yet
 * due (due today counts as not overdue) is current; then 1–30, 31–60, 61–90
 * and more than 90 days past the due date.
 */
export function agingBucket(dueDate: string, asOf: string): AgingBucket {
  const overdue = daysBetween(dueDate, asOf);
  if (overdue <= 0) return 'current';
  if (overdue <= 30) return 'd1_30';
  if (overdue <= 60) return 'd31_60';
  if (overdue <= 90) return 'd61_90';
  return 'd90_plus';
}

export function aging(invoices: readonly { dueDate: string; balanceFen: number }[], asOf: string): Aging {
  const out: Aging = { current: 0, d1_30: 0, d31_60: 0, d61_90: 0, d90_plus: 0, totalFen: 0 };
  for (const inv of invoices) {
    if (inv.balanceFen <= 0) continue;
    out[agingBucket(inv.dueDate, asOf)] += inv.balanceFen;
    out.totalFen += inv.balanceFen;
  }
  return out;
}

/**
 * Days sales outstanding over a period of `days` days: receivables at the
 * end of the period ÷ credit sales over the period × days, rounded half up
 * to a whole day. Null when there were no credit sales (the ratio means
 * nothing then).
 */
export function daysSalesOutstanding(receivablesFen: number, creditSalesFen: number, days: number): number | null {
  if (creditSalesFen <= 0) return null;
  return Math.floor((2 * receivablesFen * days + creditSalesFen) / (2 * creditSalesFen));
}

export type CreditRating = 'A' | 'B' | 'C' | 'D' | 'new';

export interface InvoiceHistory {
  dueDate: string;
  /** The business day the balance reached zero; null while something is still owed. */
  settledDate: string | null;
}

export interface RatingResult {
  rating: CreditRating;
  /** Invoices due on or before `asOf`: the ones payment behaviour can be judged on. */
  dueCount: number;
  /** Of those, settled on or before the due date, in basis points. */
  onTimeBp: number;
  /** Average days late over the due invoices (0 for on time; open ones counted to `asOf`), rounded half up. */
  avgDaysLate: number;
  /** The longest an invoice still open has been overdue. */
  maxOpenDaysOverdue: number;
}

/**
 * Rates a customer from invoices that have come due:
 * - `new`: nothing has come due yet;
 * - `D`: any open invoice more than 90 days overdue, or otherwise failing C;
 * - `A`: at least 90% settled on time and on average at most 3 days late;
 * - `B`: at least 70% on time and at most 15 days late on average;
 * - `C`: at least 40% on time and at most 45 days late on average.
 */
export function creditRating(history: readonly InvoiceHistory[], asOf: string): RatingResult {
  const due = history.filter((h) => daysBetween(h.dueDate, asOf) >= 0);
  if (due.length === 0) return { rating: 'new', dueCount: 0, onTimeBp: 0, avgDaysLate: 0, maxOpenDaysOverdue: 0 };
  let onTime = 0;
  let lateDays = 0;
  let maxOpen = 0;
  for (const h of due) {
    const late = Math.max(0, daysBetween(h.dueDate, h.settledDate ?? asOf));
    if (h.settledDate !== null && late === 0) onTime += 1;
    if (h.settledDate === null) maxOpen = Math.max(maxOpen, late);
    lateDays += late;
  }
  const n = due.length;
  const onTimeBp = Math.floor((onTime * 10_000) / n);
  const avgDaysLate = Math.floor((2 * lateDays + n) / (2 * n));
  let rating: CreditRating;
  if (maxOpen > 90) rating = 'D';
  else if (onTimeBp >= 9000 && avgDaysLate <= 3) rating = 'A';
  else if (onTimeBp >= 7000 && avgDaysLate <= 15) rating = 'B';
  else if (onTimeBp >= 4000 && avgDaysLate <= 45) rating = 'C';
  else rating = 'D';
  return { rating, dueCount: n, onTimeBp, avgDaysLate, maxOpenDaysOverdue: maxOpen };
}
