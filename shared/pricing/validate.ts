import { fen_amount_max } from '../money.js';
import { checkRedemptionRules, isPointsAmount } from '../points/rules.js';
import { PricingError } from './errors.js';
import {
  level_discount_bp_max,
  level_name_length_max,
  bundle_items_max,
  bundle_rules_max,
  coupon_rules_max,
  discount_bp_max,
  discount_reason_length_max,
  discount_rules_max,
  promotion_discount_bp_max,
  line_quantity_max,
  order_lines_max,
  rule_id_length_max,
  sku_id_length_max,
  threshold_rules_max,
  threshold_scope_ids_max,
} from './limits.js';
import { cash_roundings } from './rounding.js';
import type { BundleRule, Discount, DiscountRule, PricingInput, PricingLineInput, ThresholdRule } from './types.js';

function isFen(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= fen_amount_max;
}

function isIntIn(n: unknown, min: number, max: number): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= min && n <= max;
}

function isId(s: unknown, lengthMax: number): s is string {
  return typeof s === 'string' && s.length >= 1 && s.length <= lengthMax;
}

function checkDiscount(d: Discount, path: string): void {
  if (d.kind === 'percent_off') {
    if (!isIntIn(d.bp, 0, discount_bp_max)) {
      throw new PricingError('discount_invalid', '折扣须为 0 到 10000 个基点（0%–100%）', `${path}.bp`);
    }
  } else if (d.kind === 'amount_off') {
    if (!isFen(d.fen)) throw new PricingError('discount_invalid', '优惠金额须为非负整数分', `${path}.fen`);
  } else {
    throw new PricingError('discount_invalid', '未知的优惠方式', `${path}.kind`);
  }
  if (typeof d.reason !== 'string' || d.reason.trim() === '' || d.reason.length > discount_reason_length_max) {
    throw new PricingError('discount_invalid', `优惠须填写原因（不超过 ${discount_reason_length_max} 字）`, `${path}.reason`);
  }
  if (d.ruleId !== undefined && !isId(d.ruleId, rule_id_length_max)) {
    throw new PricingError('discount_invalid', '优惠规则编号不合法', `${path}.ruleId`);
  }
}

function checkLine(line: PricingLineInput, path: string): void {
  if (!isId(line.skuId, sku_id_length_max)) throw new PricingError('lines_invalid', '商品编号不合法', `${path}.skuId`);
  if (line.categoryId !== undefined && !isId(line.categoryId, sku_id_length_max)) {
    throw new PricingError('lines_invalid', '商品分类编号不合法', `${path}.categoryId`);
  }
  // A parent names where the line's own category sits, so it comes with one and is never that one.
  if (line.parentCategoryId !== undefined && (!isId(line.parentCategoryId, sku_id_length_max) || line.categoryId === undefined || line.parentCategoryId === line.categoryId)) {
    throw new PricingError('lines_invalid', '商品上级分类编号不合法', `${path}.parentCategoryId`);
  }
  if (!isIntIn(line.qty, 1, line_quantity_max)) {
    throw new PricingError('quantity_invalid', `数量须为 1 到 ${line_quantity_max} 的整数`, `${path}.qty`);
  }
  if (!isFen(line.retailPriceFen)) throw new PricingError('amount_invalid', '零售价须为非负整数分', `${path}.retailPriceFen`);
  if (line.memberPriceFen !== undefined) {
    if (!isFen(line.memberPriceFen)) throw new PricingError('amount_invalid', '会员价须为非负整数分', `${path}.memberPriceFen`);
    if (line.memberPriceFen > line.retailPriceFen) {
      throw new PricingError('amount_invalid', '会员价不能高于零售价', `${path}.memberPriceFen`);
    }
  }
  if (line.qty * line.retailPriceFen > fen_amount_max) throw new PricingError('amount_invalid', '单行金额超出上限', path);
  if (line.discount !== undefined) checkDiscount(line.discount, `${path}.discount`);
}

function checkBundle(rule: BundleRule, path: string): void {
  if (!isId(rule.id, rule_id_length_max)) throw new PricingError('rule_invalid', '套餐编号不合法', `${path}.id`);
  if (!Array.isArray(rule.items) || rule.items.length < 1 || rule.items.length > bundle_items_max) {
    throw new PricingError('rule_invalid', `套餐须包含 1 到 ${bundle_items_max} 种商品`, `${path}.items`);
  }
  const skus = new Set<string>();
  rule.items.forEach((item, i) => {
    if (!isId(item.skuId, sku_id_length_max) || skus.has(item.skuId)) {
      throw new PricingError('rule_invalid', '套餐商品编号不合法或重复', `${path}.items.${i}.skuId`);
    }
    skus.add(item.skuId);
    if (!isIntIn(item.qty, 1, line_quantity_max)) {
      throw new PricingError('rule_invalid', `套餐商品数量须为 1 到 ${line_quantity_max} 的整数`, `${path}.items.${i}.qty`);
    }
  });
  if (!isFen(rule.priceFen)) throw new PricingError('rule_invalid', '套餐价须为非负整数分', `${path}.priceFen`);
}

/** A scope lists at most threshold_scope_ids_max ids of each kind, and at least one id in all. */
function checkScope(scope: DiscountRule['scope'], label: string, path: string): void {
  if (scope === undefined) return;
  let ids = 0;
  for (const list of [scope.skuIds, scope.categoryIds]) {
    if (list === undefined) continue;
    const valid = Array.isArray(list) && list.length <= threshold_scope_ids_max && list.every((id) => isId(id, sku_id_length_max));
    if (!valid) throw new PricingError('rule_invalid', `${label}适用范围不合法（每类最多 ${threshold_scope_ids_max} 个编号）`, `${path}.scope`);
    ids += list.length;
  }
  if (ids === 0) throw new PricingError('rule_invalid', `${label}适用范围为空`, `${path}.scope`);
}

/** Discount rules come from the server's promotions, whose schema words the owner's reasons; this keeps the arithmetic sound in few bytes. */
function checkDiscountRule(rule: DiscountRule, path: string): void {
  if (!isId(rule.id, rule_id_length_max) || !isIntIn(rule.bp, 1, promotion_discount_bp_max)) throw new PricingError('rule_invalid', '折扣不合法', `${path}.bp`);
  checkScope(rule.scope, '折扣', path);
}

function checkThreshold(rule: ThresholdRule, path: string): void {
  if (!isId(rule.id, rule_id_length_max)) throw new PricingError('rule_invalid', '满减规则编号不合法', `${path}.id`);
  if (!isFen(rule.minSpendFen) || rule.minSpendFen < 1) {
    throw new PricingError('rule_invalid', '满减门槛须为正整数分', `${path}.minSpendFen`);
  }
  // Saving no more than the threshold keeps every saving within what it discounts.
  if (!isFen(rule.offFen) || rule.offFen < 1 || rule.offFen > rule.minSpendFen) {
    throw new PricingError('rule_invalid', '满减金额须为正整数分，且不超过门槛', `${path}.offFen`);
  }
  if (typeof rule.repeat !== 'boolean') throw new PricingError('rule_invalid', '满减须说明是否每满重复', `${path}.repeat`);
  if (rule.capFen !== undefined && (!rule.repeat || !isFen(rule.capFen) || rule.capFen < 1)) {
    throw new PricingError('rule_invalid', '封顶金额只用于每满减，且须为正整数分', `${path}.capFen`);
  }
  checkScope(rule.scope, '满减', path);
}

function checkUniqueIds(rules: readonly { id: string }[], path: string): void {
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    if (seen.has(rule.id)) throw new PricingError('rule_invalid', `规则编号重复：${rule.id}`, `${path}.${i}.id`);
    seen.add(rule.id);
  });
}

/** A list of rules of one kind: at most max of them, each checked, their ids unique. */
function checkRules<T extends { id: string }>(rules: readonly T[] | undefined, max: number, label: string, key: string, check: (rule: T, path: string) => void): void {
  const list = rules ?? [];
  if (!Array.isArray(list) || list.length > max) throw new PricingError('rule_invalid', `${label}规则最多 ${max} 条`, key);
  list.forEach((rule, i) => check(rule, `${key}.${i}`));
  checkUniqueIds(list, key);
}

/**
 * Checks the whole input before anything is priced, in a fixed order: lines,
 * then rules, then member and points. The checks that depend on amounts
 * computed along the way (a discount larger than what it discounts) run in
 * the engine, at the step they belong to.
 */
export function checkPricingInput(input: PricingInput): void {
  if (!Array.isArray(input.lines) || input.lines.length < 1 || input.lines.length > order_lines_max) {
    throw new PricingError('lines_invalid', `订单须有 1 到 ${order_lines_max} 行`, 'lines');
  }
  let subtotal = 0;
  const pricesBySku = new Map<string, PricingLineInput>();
  input.lines.forEach((line, i) => {
    checkLine(line, `lines.${i}`);
    subtotal += line.qty * line.retailPriceFen;
    // Bundles pool a SKU's units across lines, which needs one price per SKU.
    const first = pricesBySku.get(line.skuId);
    if (first === undefined) pricesBySku.set(line.skuId, line);
    else if (
      first.retailPriceFen !== line.retailPriceFen ||
      first.memberPriceFen !== line.memberPriceFen ||
      first.categoryId !== line.categoryId ||
      first.parentCategoryId !== line.parentCategoryId
    ) {
      throw new PricingError('amount_invalid', '同一商品在不同行的价格或分类不一致', `lines.${i}`);
    }
  });
  if (subtotal > fen_amount_max) throw new PricingError('amount_invalid', '订单金额超出上限', 'lines');

  checkRules(input.bundles, bundle_rules_max, '套餐', 'bundles', checkBundle);
  checkRules(input.discounts, discount_rules_max, '折扣', 'discounts', checkDiscountRule);
  checkRules(input.thresholds, threshold_rules_max, '满减', 'thresholds', checkThreshold);

  // Coupon rules are never a client's input: the server builds them from its own coupons (checkCouponRules),
  // so the engine, which the shop's main package carries, checks only what keeps its arithmetic sound.
  const coupons = input.coupons ?? [];
  if (!Array.isArray(coupons) || coupons.length > coupon_rules_max || (coupons.length > 0 && input.member === undefined)) {
    throw new PricingError('rule_invalid', '优惠券不可用', 'coupons');
  }
  checkUniqueIds(coupons, 'coupons');

  if (input.orderDiscount !== undefined) checkDiscount(input.orderDiscount, 'orderDiscount');

  if (!cash_roundings.includes(input.cashRounding)) {
    throw new PricingError('rule_invalid', '抹零规则须为 none、jiao 或 yuan', 'cashRounding');
  }
  if (typeof input.cashTender !== 'boolean') throw new PricingError('rule_invalid', '须说明是否现金支付', 'cashTender');

  if (input.member !== undefined) {
    if (!isId(input.member.id, rule_id_length_max)) throw new PricingError('points_invalid', '会员编号不合法', 'member.id');
    if (!isPointsAmount(input.member.pointsBalance)) {
      throw new PricingError('points_invalid', '会员积分余额须为非负整数', 'member.pointsBalance');
    }
    const level = input.member.level;
    if (level !== undefined) {
      if (typeof level.name !== 'string' || level.name.length === 0 || level.name.length > level_name_length_max) {
        throw new PricingError('rule_invalid', `会员等级名称须为 1 到 ${level_name_length_max} 个字`, 'member.level.name');
      }
      if (!Number.isSafeInteger(level.discountBp) || level.discountBp < 0 || level.discountBp > level_discount_bp_max) {
        throw new PricingError('rule_invalid', `会员等级折扣须为 0 到 ${level_discount_bp_max} 个基点`, 'member.level.discountBp');
      }
    }
  }
  if (input.points !== undefined) {
    checkRedemptionRules(input.points.rules, 'points.rules');
    if (!isPointsAmount(input.points.requested)) {
      throw new PricingError('points_invalid', '抵扣积分须为非负整数', 'points.requested');
    }
    if (input.points.requested > 0 && input.member === undefined) {
      throw new PricingError('points_invalid', '未关联会员，不能用积分抵扣', 'points.requested');
    }
    if (input.member !== undefined && input.points.requested > input.member.pointsBalance) {
      throw new PricingError(
        'points_exceed_balance',
        `会员只有 ${input.member.pointsBalance} 积分，不能抵扣 ${input.points.requested} 积分`,
        'points.requested',
      );
    }
  }
}
