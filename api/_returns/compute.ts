import { AppError } from '../_kernel/errors.js';
import { mulDivFloor } from '../../shared/pricing/rounding.js';

export interface ReturnableLine {
  id: string;
  qty: number;
  netFen: number;
  returnedQty: number;
  returnedFen: number;
}

export interface ReturnLineAmount {
  orderLineId: string;
  qty: number;
  amountFen: number;
}

/**
 * The refund of each returned line, computed on the line's returns so far:
 * floor(net × all returned qty / qty) minus what was already refunded. A
 * line returned in pieces therefore refunds exactly its net amount in the
 * end, never a fen more.
 */
export function returnAmounts(lines: ReturnableLine[], asked: { orderLineId: string; qty: number }[] | undefined): ReturnLineAmount[] {
  const byId = new Map(lines.map((l) => [l.id, l]));
  const wanted = asked ?? lines.filter((l) => l.qty > l.returnedQty).map((l) => ({ orderLineId: l.id, qty: l.qty - l.returnedQty }));
  if (wanted.length === 0) throw new AppError('validation_failed', '这笔订单已全部退货');
  const seen = new Set<string>();
  return wanted.map((w) => {
    const line = byId.get(w.orderLineId);
    if (!line) throw new AppError('validation_failed', `订单中没有这一行：${w.orderLineId}`);
    if (seen.has(w.orderLineId)) throw new AppError('validation_failed', `同一行不能重复退：${w.orderLineId}`);
    seen.add(w.orderLineId);
    const left = line.qty - line.returnedQty;
    if (w.qty > left) throw new AppError('validation_failed', `退货数量 ${w.qty} 超过可退数量 ${left}`);
    const cumulative = mulDivFloor(line.netFen, line.returnedQty + w.qty, line.qty);
    return { orderLineId: line.id, qty: w.qty, amountFen: cumulative - line.returnedFen };
  });
}

/**
 * Which tenders the money goes back to, first tender first, each up to what
 * it paid less what earlier returns gave back to it.
 */
export function refundSplit(amountFen: number, tenders: { method: string; amountFen: number; refundedFen: number }[]): { method: string; amountFen: number }[] {
  let left = amountFen;
  const out: { method: string; amountFen: number }[] = [];
  for (const t of tenders) {
    if (left === 0) break;
    const take = Math.min(left, t.amountFen - t.refundedFen);
    if (take > 0) {
      out.push({ method: t.method, amountFen: take });
      left -= take;
    }
  }
  if (left > 0) throw new Error(`refund of ${amountFen} exceeds what the tenders paid`);
  return out;
}
