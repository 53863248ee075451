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
 */
export function applyDiscounts(ledger: PricingLedger, rules: readonly DiscountRule[], freeQty: readonly number[]): void {
  if (rules.length === 0) return;
  const savings = rules.map(() => ledger.lines.map(() => 0));
  for (const line of ledger.lines) {
    const baseFen = (freeQty[line.lineIndex] ?? 0) * line.unitPriceFen;
    let best: { index: number; fen: number } | undefined;
    rules.forEach((rule, index) => {
      if (!inRuleScope(rule.scope, line.input)) return;
      const fen = bpOf(baseFen, rule.bp);
      if (fen > 0 && (best === undefined || fen > best.fen)) best = { index, fen };
    });
    const row = best === undefined ? undefined : savings[best.index];
    if (row !== undefined && best !== undefined) row[line.lineIndex] = best.fen;
  }
  rules.forEach((rule, index) => {
    const shares = savings[index] ?? [];
    // Weights equal to the shares allocate each line exactly its own saving.
    addOrderAdjustment(ledger, sourceOf('discount', rule.id, rule.name), shares.reduce((a, b) => a + b, 0), shares);
  });
}
