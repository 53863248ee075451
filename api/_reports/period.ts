/** Calendar arithmetic on YYYY-MM-DD business days, in UTC so no zone shifts a day. */

const day_ms = 86_400_000;

export function isValidDate(d: string): boolean {
  const t = Date.parse(`${d}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
}

export function addDays(d: string, n: number): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + n * day_ms).toISOString().slice(0, 10);
}

/** Days from a to b, both included. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / day_ms) + 1;
}

export function monthStart(d: string): string {
  return `${d.slice(0, 7)}-01`;
}

export function nextMonth(d: string): string {
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** Monday of the ISO week, as Postgres' date_trunc('week') has it. */
export function weekStart(d: string): string {
  const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
  return addDays(d, -((dow + 6) % 7));
}

export type Granularity = 'day' | 'week' | 'month';

export function periodStart(d: string, g: Granularity): string {
  return g === 'day' ? d : g === 'week' ? weekStart(d) : monthStart(d);
}

/** The start of every period that touches [from, to], oldest first. */
export function periodStarts(from: string, to: string, g: Granularity): string[] {
  const out: string[] = [];
  for (let p = periodStart(from, g); p <= to; p = g === 'day' ? addDays(p, 1) : g === 'week' ? addDays(p, 7) : nextMonth(p)) out.push(p);
  return out;
}

/**
 * Splits [from, to] into whole months (read from the monthly rollup) and the
 * days before and after them (read from the daily one).
 */
export function splitByMonths(from: string, to: string): { months: [string, string] | null; days: [string, string][] } {
  const firstFull = from.endsWith('-01') ? from : nextMonth(from);
  const afterTo = addDays(to, 1);
  const lastFullEnd = afterTo.endsWith('-01') ? afterTo : monthStart(to);
  if (firstFull >= lastFullEnd) return { months: null, days: [[from, to]] };
  const days: [string, string][] = [];
  if (from < firstFull) days.push([from, addDays(firstFull, -1)]);
  if (lastFullEnd <= to) days.push([lastFullEnd, to]);
  return { months: [firstFull, addDays(lastFullEnd, -1)], days };
}
