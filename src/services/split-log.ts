import { fenToYuan } from '../../shared/money';
import { splitLogCsv, split_event_names } from '../../shared/split/csv';

export interface SplitLogItem {
  at: string;
  event: string;
  paymentId: string | null;
  receiverName: string | null;
  receiverAccount: string | null;
  amountFen: number | null;
  status: string | null;
  detail: unknown;
}

export const eventName = (event: string): string => split_event_names[event] ?? event;

export function amountText(fen: number | null): string {
  return fen === null ? '' : `¥${fenToYuan(fen)}`;
}

/** The same CSV the API exports (UTF-8 BOM, Chinese headers, exact yuan), made from what the page already shows. */
export function logCsv(items: readonly SplitLogItem[]): string {
  return splitLogCsv(items.map((i) => ({ at: i.at, paymentId: i.paymentId, event: eventName(i.event), receiverName: i.receiverName, receiverAccount: i.receiverAccount, amountFen: i.amountFen, status: i.status, detail: JSON.stringify(i.detail ?? {}) })));
}

/** Shares of a rule as the owner reads them: "10.00%" or "¥1.50". */
export function shareText(bp: number | null, fixedFen: number | null): string {
  if (bp !== null) return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}%`;
  return fixedFen === null ? '' : `¥${fenToYuan(fixedFen)}`;
}
