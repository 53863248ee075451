import { addOrderAdjustment, sourceOf, type PricingLedger } from '../ledger.js';
import { bpOf } from '../rounding.js';
import { inRuleScope } from '../scope.js';
import type { DiscountRule } from '../types.js';

/**
 * Step 2b. 限时折扣: bp off the units of each line in a rule's scope that no
 * bundle took (freeQty, from applyBundles), at the unit price the customer is
 * entitled to, since a set's price is already its promotion. Rules do not
 * stack: each line gets the one rule saving most on it (ties to the earlier
 * rule). The saving is rounded down to the fen per line, as the other
 * percentage steps round down (bpOf). Each rule is one order-level
 * adjustment whose shares are exactly its per-line savings, so a receipt
 * prints 折扣·<name> once and a return refunds each line's own saving.
 * (Written with forEach and no for…of: the shop's main package carries the
 * engine, and its ES5 build turns for…of into a much longer loop.)
 */
export function applyDiscounts(ledger: PricingLedger, rules: readonly DiscountRule[], freeQty: readonly number[]): void {
  const savings = rules.map(() => ledger.lines.map(() => 0));
  ledger.lines.forEach((line, i) => {
    let best = -1;
    let bestFen = 0;
    rules.forEach((rule, r) => {
      const fen = inRuleScope(rule.scope, line.input) ? bpOf((freeQty[i] || 0) * line.unitPriceFen, rule.bp) : 0;
      if (fen > bestFen) {
        best = r;
        bestFen = fen;
      }
    });
    const row = savings[best];
    if (row) row[i] = bestFen;
  });
  rules.forEach((rule, r) => {
    const shares = savings[r] || [];
    // Weights equal to the shares allocate each line exactly its own saving.
    addOrderAdjustment(ledger, sourceOf('discount', rule.id, rule.name), shares.reduce((a, b) => a + b, 0), shares);
  });
}
