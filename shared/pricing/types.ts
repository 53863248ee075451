import type { Fen } from '../money.js';
import type { PointsRedemptionRules } from '../points/rules.js';
import type { CashRounding } from './rounding.js';

export type { CashRounding } from './rounding.js';

export type AdjustmentKind =
  | 'member_price'
  | 'member_level'
  | 'line_discount'
  | 'order_discount'
  | 'threshold'
  | 'bundle'
  | 'discount'
  | 'points'
  | 'cash_rounding'
  | 'coupon';

/** Which rule produced a discount: the rule's id for configured rules, the assistant's reason for manual ones. */
export interface AdjustmentSource {
  kind: AdjustmentKind;
  ruleId?: string;
  reason?: string;
}

/** An amount taken off, in fen; always positive (adjustments of zero fen are left out). */
export interface Adjustment {
  source: AdjustmentSource;
  fen: Fen;
}

export interface LineShare {
  lineIndex: number;
  fen: Fen;
}

/** An adjustment on several lines, with the share each line carries; the shares add up to fen. */
export interface OrderAdjustment extends Adjustment {
  allocation: LineShare[];
}

/** A discount entered by hand; `percent_off` 2000 bp is 八折, 20% off. */
export type Discount =
  | { kind: 'percent_off'; bp: number; reason: string; ruleId?: string }
  | { kind: 'amount_off'; fen: Fen; reason: string; ruleId?: string };

/** One order line as the server resolved it: prices from the catalog, never from the client. */
export interface PricingLineInput {
  skuId: string;
  categoryId?: string;
  /** The top-level category categoryId sits under, when it is a child: a rule on the parent covers the line (scope.ts). */
  parentCategoryId?: string;
  qty: number;
  retailPriceFen: Fen;
  /** Charged when a member is attached; absent means the retail price. Never above retail. */
  memberPriceFen?: Fen;
  discount?: Discount;
}

/** 组合套餐: these SKUs in these quantities, sold together for priceFen. */
export interface BundleRule {
  id: string;
  name?: string;
  items: { skuId: string; qty: number }[];
  priceFen: Fen;
}

/**
 * 限时折扣 (服装 8 折): bp off each line in scope (2000 bp is 八折), on the
 * units no bundle took. A scope limits it to the listed SKUs or categories; a
 * listed top-level category covers its children (scope.ts). Rules do not
 * stack: a line gets the one rule saving most on it.
 */
export interface DiscountRule {
  id: string;
  name?: string;
  bp: number;
  scope?: { skuIds?: string[]; categoryIds?: string[] };
}

/**
 * 满减: spend minSpendFen, save offFen. With repeat, 每满 minSpendFen 减
 * offFen, at most capFen in all. A scope limits the lines that count toward the
 * spend (and carry the saving) to the listed SKUs or categories; a listed
 * top-level category covers the lines of its children too (scope.ts).
 */
export interface ThresholdRule {
  id: string;
  name?: string;
  minSpendFen: Fen;
  offFen: Fen;
  repeat: boolean;
  capFen?: Fen;
  scope?: { skuIds?: string[]; categoryIds?: string[] };
}

/**
 * 优惠券 as the engine sees one coupon the member hands over: its id is the
 * coupon's own (so each fen it takes is attributed to that coupon), and what
 * it gives comes from its template. A scope limits the lines that count
 * toward the threshold and carry the saving (a listed top-level category
 * covers its children, as for thresholds); a store scope is the server's
 * check, not the engine's.
 * - amount_off: spend minSpendFen on the lines in scope, save offFen (never
 *   more than those lines still cost; minSpendFen 0 is 无门槛).
 * - percent_off: bp off what the lines in scope still cost, at most capFen.
 * - free_item: one unit of skuId free, when the cart has it and the spend
 *   in scope reaches minSpendFen.
 */
export type CouponRule = {
  id: string;
  name?: string;
  minSpendFen: Fen;
  scope?: { skuIds?: string[]; categoryIds?: string[] };
} & ({ kind: 'amount_off'; offFen: Fen } | { kind: 'percent_off'; bp: number; capFen?: Fen } | { kind: 'free_item'; skuId: string });

export interface PricingMember {
  id: string;
  pointsBalance: number;
  /** The member's level when it gives a discount: discountBp off the goods (1000 bp is 九折, 10% off). */
  level?: { name: string; discountBp: number };
}

export interface PricingInput {
  lines: PricingLineInput[];
  /** Attaching a member switches lines to member prices and allows redeeming points. */
  member?: PricingMember;
  bundles?: BundleRule[];
  /** 限时折扣, applied right after bundles. */
  discounts?: DiscountRule[];
  thresholds?: ThresholdRule[];
  /** Coupons the member uses, applied in this order after thresholds; each must apply or the order is refused. */
  coupons?: CouponRule[];
  orderDiscount?: Discount;
  /** Points the member asks to redeem; the engine may use fewer (see points/redeem.ts). */
  points?: { requested: number; rules: PointsRedemptionRules };
  cashRounding: CashRounding;
  /** Cash rounding applies only when the customer pays in cash. */
  cashTender: boolean;
}

export interface PricedLine {
  lineIndex: number;
  skuId: string;
  qty: number;
  unitListFen: Fen;
  /** qty × unitListFen. */
  listFen: Fen;
  /** Everything taken off this line, including its shares of order-level adjustments, in order of application. */
  adjustments: Adjustment[];
  /** listFen minus the adjustments; what a return of the whole line refunds. */
  netFen: Fen;
}

export interface PricingResult {
  lines: PricedLine[];
  subtotalListFen: Fen;
  /** Bundle, 限时折扣, member level, threshold, coupon, order discount, points and cash rounding adjustments, with their allocation to lines. */
  adjustments: OrderAdjustment[];
  /** Every adjustment of every kind: subtotalListFen − discountFen = totalFen. */
  discountFen: Fen;
  pointsRedeemed: number;
  pointsFen: Fen;
  roundingFen: Fen;
  /** What the customer pays in money; the sum of the lines' netFen. */
  totalFen: Fen;
}
