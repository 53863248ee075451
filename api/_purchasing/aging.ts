import type { AgingBucket } from '../../shared/api/purchasing.js';

const day_ms = 86_400_000;

function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / day_ms;
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * day_ms).toISOString().slice(0, 10);
}

/** Days a payable is past its due date on `asOf`; zero or less means not yet due. */
export function daysOverdue(dueDate: string, asOf: string): number {
  return daysBetween(dueDate, asOf);
}

/** current: not yet overdue (due today counts as current); then 1–30, 31–60, 61–90 and over 90 days overdue. */
export function agingBucketOf(dueDate: string, asOf: string): AgingBucket {
  const overdue = daysOverdue(dueDate, asOf);
  if (overdue <= 0) return 'current';
  if (overdue <= 30) return 'd1_30';
  if (overdue <= 60) return 'd31_60';
  if (overdue <= 90) return 'd61_90';
  return 'd90_plus';
}

export type AgingTotals = Record<AgingBucket, number> & { totalFen: number };

export function emptyAging(): AgingTotals {
  return { current: 0, d1_30: 0, d31_60: 0, d61_90: 0, d90_plus: 0, totalFen: 0 };
}

/** Adds each open balance to its bucket. */
export function ageBalances(items: readonly { dueDate: string; balanceFen: number }[], asOf: string): AgingTotals {
  const totals = emptyAging();
  for (const item of items) {
    if (item.balanceFen === 0) continue;
    totals[agingBucketOf(item.dueDate, asOf)] += item.balanceFen;
    totals.totalFen += item.balanceFen;
  }
  return totals;
}
