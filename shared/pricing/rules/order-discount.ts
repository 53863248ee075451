import { PricingError } from '../errors.js';
import { addOrderAdjustment, netsOf, orderNetFen, sourceOf, type PricingLedger } from '../ledger.js';
import { bpOf } from '../rounding.js';
import type { Discount } from '../types.js';

/**
 * Step 6. The assistant's discount on the whole order, after every promotion,
 * spread over the lines in proportion to their nets. An amount larger than
 * the order is refused, as on a line.
 */
export function applyOrderDiscount(ledger: PricingLedger, discount: Discount | undefined): void {
  if (discount === undefined) return;
  const totalFen = orderNetFen(ledger);
  const fen = discount.kind === 'percent_off' ? bpOf(totalFen, discount.bp) : discount.fen;
  if (fen > totalFen) {
    throw new PricingError('discount_exceeds_order', `整单优惠 ${fen} 分超过了订单金额 ${totalFen} 分`, 'orderDiscount');
  }
  addOrderAdjustment(ledger, sourceOf('order_discount', discount.ruleId, discount.reason), fen, netsOf(ledger));
}
