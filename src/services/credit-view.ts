import type { z } from 'zod';
import type { agingView } from '../../shared/api/credit';
import { fenToYuan } from '../../shared/money';

/** What the boss pages show for receivables and commission, kept out of the pages so it can be tested. */

export const aging_labels = [
  ['current', '未到期'],
  ['d1_30', '逾期1–30天'],
  ['d31_60', '逾期31–60天'],
  ['d61_90', '逾期61–90天'],
  ['d90_plus', '逾期90天以上'],
] as const;

export function agingRows(a: z.infer<typeof agingView>): { key: string; label: string; fen: number }[] {
  return aging_labels.map(([key, label]) => ({ key, label, fen: a[key] }));
}

const rating_labels: Record<string, string> = { A: 'A 按时付款', B: 'B 偶有拖欠', C: 'C 经常拖欠', D: 'D 严重拖欠', new: '新客户' };

export function ratingLabel(rating: string): string {
  return rating_labels[rating] ?? rating;
}

/** Today's business day in Beijing, YYYY-MM-DD, whatever the device's zone. */
export function beijingToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The first day of the month of `day` to `day`. */
export function monthToDate(day: string): { from: string; to: string } {
  return { from: `${day.slice(0, 7)}-01`, to: day };
}

/** The month before the month of `day`, YYYY-MM: the latest one whose commission can be confirmed. */
export function previousMonth(day: string): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** 2.35 items per sale from hundredths. */
export function centisLabel(centis: number): string {
  const a = Math.abs(centis);
  return `${centis < 0 ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

export function tierLabel(kind: 'percent' | 'per_item', t: { fromFen: number; toFen: number | null; rateBp?: number | undefined; perItemFen?: number | undefined }): string {
  const range = `${t.fromFen / 100}–${t.toFen === null ? '∞' : t.toFen / 100}元`;
  return kind === 'percent' ? `${range} ${(t.rateBp ?? 0) / 100}%` : `${range} 每件${fenToYuan(t.perItemFen ?? 0)}元`;
}
