import type { BillDownloadOutcome, ReconcileItemView, ReconcileRunView } from '../../shared/api/reconcile';
import { billDownloadOutcomeLabels, reconcileClassLabels } from '../../shared/api/reconcile';
import { formatFen } from '../../shared/money';

export const channel_names = { wechat: '微信支付', alipay: '支付宝' } as const;

/** One line the owner reads first: all matched, or how many differences still wait for them. */
export function runStatus(run: ReconcileRunView): { text: string; tone: 'ok' | 'warn' | 'bad' | 'muted' } {
  if (run.status === 'running') return { text: '对账中…', tone: 'muted' };
  if (run.status === 'failed') return { text: `对账失败：${run.error ?? '未知原因'}`, tone: 'bad' };
  if (run.exceptions === 0) return { text: '全部一致', tone: 'ok' };
  if (run.unresolved === 0) return { text: `${run.exceptions} 条差异已处理`, tone: 'ok' };
  return { text: `${run.unresolved} 条差异待处理`, tone: 'warn' };
}

export function classLabel(item: Pick<ReconcileItemView, 'class'>): string {
  return reconcileClassLabels[item.class];
}

export function amountLine(item: ReconcileItemView): string {
  const y = (f: number | null) => (f === null ? '—' : formatFen(f));
  if (item.class === 'fee_difference') return `手续费 账单 ${y(item.billFeeFen)} / 应为 ${y(item.expectedFeeFen)}`;
  return `账单 ${y(item.billAmountFen)} / 系统 ${y(item.systemAmountFen)}`;
}

/** The latest day whose bills can be downloaded: yesterday in Beijing time. */
export function yesterdayInBeijing(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
}

/** How a download ended, in the owner's words, and whether it needs their eye. */
export function downloadTone(outcome: BillDownloadOutcome): { text: string; tone: 'ok' | 'warn' | 'bad' | 'muted' } {
  const text = billDownloadOutcomeLabels[outcome];
  if (outcome === 'reconciled' || outcome === 'already_reconciled' || outcome === 'no_statement') return { text, tone: 'ok' };
  if (outcome === 'not_ready') return { text, tone: 'muted' };
  return { text, tone: 'bad' };
}
