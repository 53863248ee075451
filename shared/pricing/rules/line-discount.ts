import { PricingError } from '../errors.js';
import { addLineAdjustment, sourceOf, type PricingLedger } from '../ledger.js';
import { bpOf } from '../rounding.js';

/**
 * Step 3. The assistant's discount on a line, taken from what the line costs
 * after member price and bundles. A percentage rounds down (rounding.ts); an
 * amount larger than the line is refused rather than cut, so the assistant
 * sees the mistake.
 */
export function applyLineDiscounts(ledger: PricingLedger): void {
  for (const line of ledger.lines) {
    const discount = line.input.discount;
    if (discount === undefined) continue;
    const fen = discount.kind === 'percent_off' ? bpOf(line.netFen, discount.bp) : discount.fen;
    if (fen > line.netFen) {
      const message = `第 ${line.lineIndex + 1} 行优惠 ${fen} 分超过了该行金额 ${line.netFen} 分`;
      throw new PricingError('discount_exceeds_line', message, `lines.${line.lineIndex}.discount`);
    }
    addLineAdjustment(ledger, line.lineIndex, sourceOf('line_discount', discount.ruleId, discount.reason), fen);
  }
}
