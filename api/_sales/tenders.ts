import { AppError } from '../_kernel/errors.js';
import type { CounterTenderMethod } from '../../shared/api/orders.js';

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

/**
 * Splits the total across the tenders. Card and e-CNY charge exactly what
 * they say and may not exceed what is left to pay; cash may exceed it and the
 * difference is the change. At most one cash tender, so change is unambiguous.
 */
export function applyTenders(totalFen: number, tenders: TenderIn[]): AppliedTenders {
  const cash = tenders.filter((t) => t.method === 'cash');
  if (cash.length > 1) throw new AppError('validation_failed', '现金只能收一笔');
  const nonCash = tenders.filter((t) => t.method !== 'cash');
  const nonCashFen = nonCash.reduce((s, t) => s + t.amountFen, 0);
  if (nonCashFen > totalFen) throw new AppError('validation_failed', `非现金收款 ${nonCashFen} 分超过应收 ${totalFen} 分`);
  const dueInCash = totalFen - nonCashFen;
  const cashTender = cash[0];
  if (dueInCash > 0 && !cashTender) throw new AppError('validation_failed', `还差 ${dueInCash} 分未收`);
  if (cashTender && cashTender.amountFen < dueInCash) throw new AppError('validation_failed', `现金 ${cashTender.amountFen} 分不足，应收现金 ${dueInCash} 分`);
  if (cashTender && dueInCash === 0) throw new AppError('validation_failed', '已用其他方式付清，无需再收现金');
  const applied: AppliedTenders['applied'] = tenders.map((t) => ({
    method: t.method,
    amountFen: t.method === 'cash' ? dueInCash : t.amountFen,
    reference: t.reference ?? null,
  }));
  return {
    applied: applied.filter((t) => t.amountFen > 0),
    cashReceivedFen: cashTender ? cashTender.amountFen : null,
    changeFen: cashTender ? cashTender.amountFen - dueInCash : null,
  };
}
