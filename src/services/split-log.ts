import { formatFen } from '../../shared/money';
import { beijingTimeText } from '../../shared/beijing-time';
import { splitLogCsv, split_event_names } from '../../shared/split/csv';

export interface SplitLogItem {
  at: string;
  event: string;
  paymentId: string | null;
  receiverId?: string | null;
  receiverName: string | null;
  receiverAccount: string | null;
  amountFen: number | null;
  status: string | null;
  detail: unknown;
}

/** Whose log is shown: one payment's, or one receiver's across payments. */
export type SplitLogSubject = { kind: 'payment'; paymentId: string } | { kind: 'receiver'; receiverId: string; name: string };

export const eventName = (event: string): string => split_event_names[event] ?? event;

const result_names: Record<string, string> = { success: '成功', closed: '未成功', error: '出错', finished: '完成', processing: '处理中' };
export const resultName = (status: string | null): string => (status === null ? '' : (result_names[status] ?? status));

export const timeText = beijingTimeText;

export function amountText(fen: number | null): string {
  return fen === null ? '' : formatFen(fen);
}

/** The subject from a page's query: `paymentId=pay_…` or `receiverId=srv_…&name=…`. */
export function subjectOf(params: Partial<Record<string, string>>): SplitLogSubject | null {
  if (params.paymentId) return { kind: 'payment', paymentId: params.paymentId };
  if (params.receiverId) return { kind: 'receiver', receiverId: params.receiverId, name: params.name ?? '' };
  return null;
}

export function subjectQuery(s: SplitLogSubject): { paymentId: string } | { receiverId: string } {
  return s.kind === 'payment' ? { paymentId: s.paymentId } : { receiverId: s.receiverId };
}

export function subjectTitle(s: SplitLogSubject): string {
  return s.kind === 'payment' ? `支付 ${s.paymentId}` : `接收方 ${s.name || s.receiverId}`;
}

export function logFileName(s: SplitLogSubject): string {
  return `分账日志-${s.kind === 'payment' ? s.paymentId : s.name || s.receiverId}.csv`;
}

/** The same CSV the API exports (UTF-8 BOM, Chinese headers, Beijing time, exact yuan), made from what the page already shows. */
export function logCsv(items: readonly SplitLogItem[]): string {
  return splitLogCsv(items.map((i) => ({ at: beijingTimeText(i.at), paymentId: i.paymentId, event: eventName(i.event), receiverName: i.receiverName, receiverAccount: i.receiverAccount, amountFen: i.amountFen, status: i.status, detail: JSON.stringify(i.detail ?? {}) })));
}

/** Shares of a rule as the owner reads them: "10.00%" or "¥1.50". */
export function shareText(bp: number | null, fixedFen: number | null): string {
  if (bp !== null) return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}%`;
  return fixedFen === null ? '' : formatFen(fixedFen);
}
