import { PricingError } from '../errors.js';
import { addOrderAdjustment, sourceOf, type PricingLedger, type WorkingLine } from '../ledger.js';
import { bpOf } from '../rounding.js';
import { inRuleScope } from '../scope.js';
import type { CouponRule } from '../types.js';

function inScope(rule: CouponRule, line: WorkingLine): boolean {
  return inRuleScope(rule.scope, line.input);
}

/**
 * What one coupon takes off, and from which lines, given the nets it sees.
 * Refuses (rather than silently skipping) a coupon that does not apply, so
 * the member is told why and keeps the coupon for another order.
 */
function couponSaving(rule: CouponRule, lines: readonly WorkingLine[], path: string): { fen: number; weights: number[] } {
  const weights = lines.map((line) => (inScope(rule, line) ? line.netFen : 0));
  const spendFen = weights.reduce((a, b) => a + b, 0);
  // Short messages: the shop's main package carries them (see coupon-check.ts).
  const name = `「${rule.name ?? rule.id}」`;
  if (!lines.some((line) => inScope(rule, line))) throw new PricingError('coupon_not_applicable', `${name}不适用于所选商品`, path);
  if (spendFen < rule.minSpendFen) throw new PricingError('coupon_not_applicable', `${name}须满 ${rule.minSpendFen / 100} 元（现 ${spendFen / 100} 元）`, path);
  if (rule.kind === 'amount_off') return { fen: Math.min(rule.offFen, spendFen), weights };
  if (rule.kind === 'percent_off') {
    const fen = bpOf(spendFen, rule.bp);
    return { fen: rule.capFen === undefined ? fen : Math.min(fen, rule.capFen), weights };
  }
  // One unit of the named SKU, at what a unit of its first line still costs; the whole saving sits on that line.
  const index = lines.findIndex((line) => line.input.skuId === rule.skuId && inScope(rule, line));
  const line = lines[index];
  if (line === undefined) throw new PricingError('coupon_not_applicable', `${name}须购买赠品`, path);
  return { fen: Math.floor(line.netFen / line.input.qty), weights: lines.map((l, i) => (i === index ? l.netFen : 0)) };
}

/**
 * Step 5b. The member's coupons, in the order given, each on the nets the
 * steps before it (and earlier coupons) left, spread over the lines in scope
 * in proportion to their nets, with the coupon's id as the rule id: a return
 * knows to the fen what each coupon took off each line.
 */
export function applyCoupons(ledger: PricingLedger, rules: readonly CouponRule[]): void {
  rules.forEach((rule, i) => {
    const { fen, weights } = couponSaving(rule, ledger.lines, `coupons.${i}`);
    addOrderAdjustment(ledger, sourceOf('coupon', rule.id, rule.name), fen, weights);
  });
}
