import { formatFen, type Fen } from '../../shared/money';
import { returnDecisionRequest } from '../../shared/api/returns';
import { tenderLabel } from './tenders';

export const daily_chart_days = 14;
export const best_sellers_limit = 10;

export interface DailyPoint {
  date: string;
  /** MM-DD, short enough for fourteen ticks on a phone. */
  label: string;
  fen: Fen;
  orderCount: number;
}

/** Days in date order, labelled for the axis; the API already fills days without sales with zero. */
export function dailyPoints(items: ReadonlyArray<{ date: string; takingsFen: Fen; orderCount: number }>): DailyPoint[] {
  return [...items]
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((d) => ({ date: d.date, label: d.date.slice(5), fen: d.takingsFen, orderCount: d.orderCount }));
}

export interface TenderBar {
  label: string;
  fen: Fen;
  /** Width of the bar against the largest tender, 0–100. */
  widthPct: number;
}

/**
 * Tenders the shopkeeper knows by one name (several WeChat channels are all 微信)
 * are added together, largest first.
 */
export function tenderBars(byTender: ReadonlyArray<{ tender: string; fen: Fen }>): TenderBar[] {
  const sums = new Map<string, Fen>();
  for (const t of byTender) {
    const label = tenderLabel(t.tender);
    sums.set(label, (sums.get(label) ?? 0) + t.fen);
  }
  const rows = [...sums.entries()].map(([label, fen]) => ({ label, fen })).sort((a, b) => b.fen - a.fen);
  const largest = rows[0]?.fen ?? 0;
  return rows.map((r) => ({ ...r, widthPct: largest > 0 ? Math.max(0, Math.round((r.fen * 100) / largest)) : 0 }));
}

/** The reason a manager gives for approving or rejecting a return; null when it will be accepted. */
export function decisionNoteProblem(note: string): string | null {
  if (note.trim() === '') return '请写一句审批说明';
  return returnDecisionRequest.safeParse({ note }).success ? null : '说明太长了';
}

export interface TrialBalanceCheck {
  debitFen: Fen;
  creditFen: Fen;
  /** The totals the server sent agree with the account lines, and debits equal credits. */
  balanced: boolean;
}

/** Adds the account lines again, so a screen never shows totals that disagree with its own rows. */
export function checkTrialBalance(
  accounts: ReadonlyArray<{ debitFen: Fen; creditFen: Fen }>,
  totals: { debitFen: Fen; creditFen: Fen },
): TrialBalanceCheck {
  let debitFen = 0;
  let creditFen = 0;
  for (const a of accounts) {
    debitFen += a.debitFen;
    creditFen += a.creditFen;
  }
  const agrees = debitFen === totals.debitFen && creditFen === totals.creditFen;
  return { debitFen, creditFen, balanced: agrees && debitFen === creditFen };
}

const beijing_offset_ms = 8 * 60 * 60 * 1000;

/** "2026-11-23T06:05:00Z" → "11-23 14:05" in Beijing time, for alert rows. */
export function shortBeijingTime(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const beijing = new Date(ms + beijing_offset_ms).toISOString();
  return `${beijing.slice(5, 10)} ${beijing.slice(11, 16)}`;
}

/** Yuan without trailing zeros for chart axes ("¥7.2", "¥10"), where full cents would crowd the labels. */
export function axisYuan(fen: number): string {
  const rounded = Math.round(fen);
  return formatFen(rounded).replace(/\.?0+$/, '');
}
