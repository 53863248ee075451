import type { Fen } from '../money.js';
import type { PricingResult } from './types.js';

/**
 * What an assistant took off by hand (line and order discounts), measured
 * the way the per-role limits are written: the deepest single line as a
 * share of its list amount, the order discount as a share of the order's
 * list amount, and both together in fen. Pure, so the counter shows the
 * same verdict before it sends the sale.
 */
export interface HandDiscount {
  /** The largest line discount, in basis points of that line's list amount. */
  lineBp: number;
  /** The order discount, in basis points of the order's list amount. */
  orderBp: number;
  /** Line and order discounts together. */
  totalFen: Fen;
}

const bpOf = (fen: Fen, of: Fen) => (of <= 0 ? 0 : Math.ceil((fen * 10_000) / of));

export function handDiscountOf(result: PricingResult): HandDiscount {
  let lineBp = 0;
  let lineFen = 0;
  for (const line of result.lines) {
    const fen = line.adjustments.filter((a) => a.source.kind === 'line_discount').reduce((s, a) => s + a.fen, 0);
    lineFen += fen;
    lineBp = Math.max(lineBp, bpOf(fen, line.listFen));
  }
  const orderFen = result.adjustments.filter((a) => a.source.kind === 'order_discount').reduce((s, a) => s + a.fen, 0);
  return { lineBp, orderBp: bpOf(orderFen, result.subtotalListFen), totalFen: lineFen + orderFen };
}

export interface HandDiscountLimit {
  lineBpMax: number;
  orderBpMax: number;
  /** Line and order discounts together, per sale. */
  totalFenMax: Fen;
}

/** Which limits a hand discount passes: an empty list is within them. */
export function handDiscountOver(d: HandDiscount, limit: HandDiscountLimit): ('line' | 'order' | 'total')[] {
  const over: ('line' | 'order' | 'total')[] = [];
  if (d.lineBp > limit.lineBpMax) over.push('line');
  if (d.orderBp > limit.orderBpMax) over.push('order');
  if (d.totalFen > limit.totalFenMax) over.push('total');
  return over;
}
