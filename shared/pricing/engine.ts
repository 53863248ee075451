import type { PricingLedger } from './ledger.js';
import { checkPricingInput } from './validate.js';
import { applyMemberPrices } from './rules/member-price.js';
import { applyBundles } from './rules/bundle.js';
import { applyDiscounts } from './rules/discount.js';
import { applyLineDiscounts } from './rules/line-discount.js';
import { applyLevelDiscount } from './rules/member-level.js';
import { applyThresholds } from './rules/threshold.js';
import { applyCoupons } from './rules/coupon.js';
import { applyOrderDiscount } from './rules/order-discount.js';
import { applyPoints } from './rules/points.js';
import { applyCashRounding } from './rules/cash-rounding.js';
import { invariant } from './errors.js';
import type { PricingInput, PricingResult } from './types.js';

/**
 * Prices an order. The mini-program runs it for the preview and the server
 * runs it again on prices and rules from the database, then compares totals.
 *
 * The steps run in a fixed order, each on the nets the previous steps left:
 * 1. member price: a price, not a promotion; everything else discounts from
 *    the price the customer is entitled to.
 * 2. bundles: a set's fixed price replaces its units' prices, so it comes
 *    before anything that discounts those units.
 * 2b. 限时折扣: a percentage off the units no set took, before the assistant's
 *    and the level's discounts, so those and 满减 work on the discounted price.
 * 3. line discounts: the assistant discounts what a line still costs.
 * 4. member level discount: a percentage off what the goods still cost, for
 *    members whose level gives one.
 * 5. thresholds (满减): the spend that qualifies is what the goods cost after
 *    item-level and level discounts.
 * 5b. coupons (优惠券): the member's own coupons, after the promotions every
 *    customer gets, each checking its threshold on what the goods then cost.
 * 6. order discount: the assistant's last concession on the goods.
 * 7. points: a way of paying, capped at a share of what is due, so after every
 *    discount.
 * 8. cash rounding (抹零): on the money handed over, so last, cash only.
 * Every order-level amount is spread over the lines as it is applied, so each
 * later step sees true line nets, and a return can refund line by line.
 *
 * Throws PricingError for bad input; the input is not modified.
 */
export function priceOrder(input: PricingInput): PricingResult {
  checkPricingInput(input);
  const member = input.member !== undefined;
  const ledger: PricingLedger = {
    lines: input.lines.map((line, lineIndex) => {
      const listFen = line.qty * line.retailPriceFen;
      return {
        lineIndex,
        input: line,
        unitListFen: line.retailPriceFen,
        unitPriceFen: member ? (line.memberPriceFen ?? line.retailPriceFen) : line.retailPriceFen,
        listFen,
        netFen: listFen,
        adjustments: [],
      };
    }),
    orderAdjustments: [],
  };

  applyMemberPrices(ledger);
  const freeQty = applyBundles(ledger, input.bundles ?? []);
  applyDiscounts(ledger, input.discounts ?? [], freeQty);
  applyLineDiscounts(ledger);
  applyLevelDiscount(ledger, input.member);
  applyThresholds(ledger, input.thresholds ?? []);
  applyCoupons(ledger, input.coupons ?? []);
  applyOrderDiscount(ledger, input.orderDiscount);
  const redemption = applyPoints(ledger, input);
  const roundingFen = applyCashRounding(ledger, input.cashRounding, input.cashTender);

  let subtotalListFen = 0;
  let totalFen = 0;
  const lines = ledger.lines.map((line) => {
    const taken = line.adjustments.reduce((sum, a) => sum + a.fen, 0);
    invariant(line.netFen >= 0 && line.listFen - taken === line.netFen, `line ${line.lineIndex} does not balance`);
    subtotalListFen += line.listFen;
    totalFen += line.netFen;
    return {
      lineIndex: line.lineIndex,
      skuId: line.input.skuId,
      qty: line.input.qty,
      unitListFen: line.unitListFen,
      listFen: line.listFen,
      adjustments: line.adjustments,
      netFen: line.netFen,
    };
  });
  return {
    lines,
    subtotalListFen,
    adjustments: ledger.orderAdjustments,
    discountFen: subtotalListFen - totalFen,
    pointsRedeemed: redemption.points,
    pointsFen: redemption.fen,
    roundingFen,
    totalFen,
  };
}
