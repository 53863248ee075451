import type { CounterTenderMethod } from './api/orders.js';
import { formatFen } from './money.js';

export interface TenderIn {
  method: CounterTenderMethod;
  amountFen: number;
  reference?: string | undefined;
}

export interface AppliedTenders {
  /** What each method pays of the total, in the order given; cash net of change. */
  applied: { method: CounterTenderMethod; amountFen: number; reference: string | null }[];
  cashReceivedFen: number | null;
  changeFen: number | null;
}

export type TenderPlan = ({ ok: true } & AppliedTenders) | { ok: false; reason: string };

/**
 * Splits the total across the tenders, by the one set of rules the server's
 * checkout and the counter screen both apply. Card, e-CNY and 赊账 charge
 * exactly what they say and may not exceed what is left to pay; cash may
 * exceed it and the difference is the change. At most one cash tender, so
 * change is unambiguous. A refusal carries the reason in Chinese.
 */
export function planTenders(totalFen: number, tenders: readonly TenderIn[]): TenderPlan {
  const cash = tenders.filter((t) => t.method === 'cash');
  if (cash.length > 1) return { ok: false, reason: '现金只能收一笔' };
  const nonCash = tenders.filter((t) => t.method !== 'cash');
  const nonCashFen = nonCash.reduce((s, t) => s + t.amountFen, 0);
  if (nonCashFen > totalFen) return { ok: false, reason: `非现金收款 ${formatFen(nonCashFen)} 超过应收 ${formatFen(totalFen)}` };
  const dueInCash = totalFen - nonCashFen;
  const cashTender = cash[0];
  if (dueInCash > 0 && !cashTender) return { ok: false, reason: `还差 ${formatFen(dueInCash)} 未收` };
  if (cashTender && cashTender.amountFen < dueInCash) return { ok: false, reason: `现金 ${formatFen(cashTender.amountFen)} 不足，应收现金 ${formatFen(dueInCash)}` };
  if (cashTender && dueInCash === 0) return { ok: false, reason: '已用其他方式付清，无需再收现金' };
  const applied: AppliedTenders['applied'] = tenders.map((t) => ({
    method: t.method,
    amountFen: t.method === 'cash' ? dueInCash : t.amountFen,
    reference: t.reference ?? null,
  }));
  return {
    ok: true,
    applied: applied.filter((t) => t.amountFen > 0),
    cashReceivedFen: cashTender ? cashTender.amountFen : null,
    changeFen: cashTender ? cashTender.amountFen - dueInCash : null,
  };
}
