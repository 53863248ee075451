import { fenToYuan, formatFen } from '../../shared/money';
import type { ReportColumn, ReportRow, ReportTable, SalesReportKind } from '../../shared/api/reports';

/** The business day is the Beijing calendar day, as on the server. */
const beijingDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

export function todayInBeijing(now: Date = new Date()): string {
  return beijingDay.format(now);
}

function addDays(d: string, n: number): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export type PeriodKey = 'today' | 'week' | 'month' | 'last_month' | 'year';
export type Granularity = 'day' | 'week' | 'month';

export interface Period {
  key: PeriodKey;
  label: string;
  from: string;
  to: string;
  /** How the trend chart is cut for this period. */
  granularity: Granularity;
}

/** The periods the screen offers, relative to the business day `today`. */
export function periods(today: string): Period[] {
  const dow = new Date(`${today}T00:00:00Z`).getUTCDay();
  const monthStart = `${today.slice(0, 7)}-01`;
  const lastMonthEnd = addDays(monthStart, -1);
  return [
    { key: 'today', label: '今天', from: today, to: today, granularity: 'day' },
    { key: 'week', label: '本周', from: addDays(today, -((dow + 6) % 7)), to: today, granularity: 'day' },
    { key: 'month', label: '本月', from: monthStart, to: today, granularity: 'day' },
    { key: 'last_month', label: '上月', from: `${lastMonthEnd.slice(0, 7)}-01`, to: lastMonthEnd, granularity: 'day' },
    { key: 'year', label: '近一年', from: addDays(today, -364), to: today, granularity: 'month' },
  ];
}

export interface Tab {
  kind: SalesReportKind;
  label: string;
}

/** One tab per dimension; 汇总 shows the totals and the trend chart. */
export const report_tabs: readonly Tab[] = [
  { kind: 'summary', label: '汇总' },
  { kind: 'store', label: '门店' },
  { kind: 'category', label: '品类' },
  { kind: 'sku', label: '商品' },
  { kind: 'assistant', label: '店员' },
  { kind: 'channel', label: '渠道' },
  { kind: 'tender', label: '收款' },
  { kind: 'best', label: '畅销' },
  { kind: 'slow', label: '滞销' },
];

/** Rows a tab shows on the phone; the download has them all. */
export const report_screen_rows_max = 50;

/** A cell as the screen shows it: yuan (grouped, via formatFen) and percents with two decimals, from integers. */
export function formatCell(kind: ReportColumn['kind'], value: string | number | undefined): string {
  if (value === undefined) return '';
  if (kind === 'fen') return formatFen(Number(value));
  if (kind === 'x100') return fenToYuan(Number(value));
  if (kind === 'bp') return `${fenToYuan(Number(value))}%`;
  return String(value);
}

export interface RowView {
  key: string;
  title: string;
  subtitle: string;
  headline: string;
  /** The headline is zero: shown plain, since a zero is no alarm. */
  headlineZero: boolean;
  figures: { label: string; text: string }[];
}

/**
 * A report row as a card: text columns make the title, the headline is 库存金额
 * for slow sellers (what they tie up) and 净销售额 (or 净收款) elsewhere, the
 * rest the small print.
 */
export function rowView(t: ReportTable, row: ReportRow, index: number): RowView {
  const texts = t.columns.filter((c) => c.kind === 'text');
  const has = (key: string) => t.columns.some((c) => c.key === key);
  const headlineKey = has('stockValueFen') ? 'stockValueFen' : has('netSalesFen') ? 'netSalesFen' : 'netFen';
  return {
    key: String(row.skuId ?? row.storeId ?? row.staffId ?? row.categoryId ?? row.method ?? row.channelCode ?? row.period ?? index),
    title: texts[0] ? String(row[texts[0].key] ?? '') : t.title,
    subtitle: texts.slice(1).map((c) => String(row[c.key] ?? '')).filter(Boolean).join(' · '),
    headline: formatCell('fen', row[headlineKey]),
    headlineZero: Number(row[headlineKey] ?? 0) === 0,
    figures: t.columns.filter((c) => c.kind !== 'text' && c.key !== headlineKey).map((c) => ({ label: c.title, text: formatCell(c.kind, row[c.key]) })),
  };
}

