import { addOrderAdjustment, sourceOf, type PricingLedger, type WorkingLine } from '../ledger.js';
import { divFloor } from '../rounding.js';
import { inRuleScope } from '../scope.js';
import type { ThresholdRule } from '../types.js';

function inScope(rule: ThresholdRule, line: WorkingLine): boolean {
  return inRuleScope(rule.scope, line.input);
}

/** What a rule saves on a spend of baseFen; never more than baseFen, since offFen ≤ minSpendFen. */
export function thresholdSavingFen(rule: ThresholdRule, baseFen: number): number {
  if (baseFen < rule.minSpendFen) return 0;
  if (!rule.repeat) return rule.offFen;
  const saving = divFloor(baseFen, rule.minSpendFen) * rule.offFen;
  return rule.capFen === undefined ? saving : Math.min(saving, rule.capFen);
}

/**
 * Step 5. 满减 on what the lines cost after item-level discounts. A line
 * counts toward at most one threshold rule, so tiers of one promotion (满100减10,
 * 满200减30) do not stack while rules on different categories do. Rules are
 * taken greedily: the one saving most on the lines still unclaimed (ties to
 * the earlier rule) claims all its lines, then the rest are looked at again.
 * The saving is spread over the claimed lines in proportion to their nets.
 */
export function applyThresholds(ledger: PricingLedger, rules: readonly ThresholdRule[]): void {
  const claimed = ledger.lines.map(() => false);
  const used = rules.map(() => false);
  for (;;) {
    let best: { index: number; savingFen: number; weights: number[] } | undefined;
    for (const [index, rule] of rules.entries()) {
      if (used[index]) continue;
      const weights = ledger.lines.map((line) => (!claimed[line.lineIndex] && inScope(rule, line) ? line.netFen : 0));
      const savingFen = thresholdSavingFen(rule, weights.reduce((a, b) => a + b, 0));
      if (savingFen > 0 && (best === undefined || savingFen > best.savingFen)) best = { index, savingFen, weights };
    }
    if (best === undefined) return;
    const { index, savingFen, weights } = best;
    const rule = rules[index];
    if (rule === undefined) return;
    used[index] = true;
    ledger.lines.forEach((line) => {
      if (inScope(rule, line)) claimed[line.lineIndex] = true;
    });
    addOrderAdjustment(ledger, sourceOf('threshold', rule.id, rule.name), savingFen, weights);
  }
}
