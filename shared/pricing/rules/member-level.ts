import { addOrderAdjustment, netsOf, orderNetFen, sourceOf, type PricingLedger } from '../ledger.js';
import { bpOf } from '../rounding.js';
import type { PricingMember } from '../types.js';

/**
 * Step 4. The member's level discount (金卡九折), a percentage of what the goods
 * still cost after member prices, bundles and the assistant's line discounts,
 * so it never discounts a discount the assistant already gave twice over.
 * It comes before 满减 because the spend that qualifies for a threshold is
 * what the member actually pays for the goods. One amount for the order,
 * rounded down once, then spread over the lines by their nets, so a return
 * refunds each line's own share of it, as with promotions. The level's name
 * is the reason, so receipts read "会员折扣·金卡".
 */
export function applyLevelDiscount(ledger: PricingLedger, member: PricingMember | undefined): void {
  const level = member?.level;
  if (level === undefined || level.discountBp === 0) return;
  const fen = bpOf(orderNetFen(ledger), level.discountBp);
  addOrderAdjustment(ledger, sourceOf('member_level', undefined, level.name), fen, netsOf(ledger));
}
