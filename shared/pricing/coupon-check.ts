import { fen_amount_max } from '../money.js';
import { PricingError } from './errors.js';
import { coupon_scope_ids_max, discount_bp_max, discount_reason_length_max, rule_id_length_max, sku_id_length_max } from './limits.js';
import type { CouponRule } from './types.js';

function isFen(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= fen_amount_max;
}

function isIntIn(n: unknown, min: number, max: number): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= min && n <= max;
}

function isId(s: unknown, lengthMax: number): s is string {
  return typeof s === 'string' && s.length >= 1 && s.length <= lengthMax;
}

/**
 * The full check of a coupon rule's shape, for the server, which builds the
 * rules from its coupons before pricing (and for tests). It lives apart from
 * the engine's input check because the shop's main package carries the
 * engine and is at its size limit, while a client never sends a rule.
 */
export function checkCouponRule(rule: CouponRule, path: string): void {
  if (!isId(rule.id, rule_id_length_max)) throw new PricingError('rule_invalid', '优惠券编号不合法', `${path}.id`);
  if (rule.name !== undefined && (typeof rule.name !== 'string' || rule.name.length > discount_reason_length_max)) {
    throw new PricingError('rule_invalid', `优惠券名称不超过 ${discount_reason_length_max} 字`, `${path}.name`);
  }
  if (!isFen(rule.minSpendFen)) throw new PricingError('rule_invalid', '优惠券门槛须为非负整数分', `${path}.minSpendFen`);
  if (rule.kind === 'amount_off') {
    if (!isFen(rule.offFen) || rule.offFen < 1) throw new PricingError('rule_invalid', '优惠券减免金额须为正整数分', `${path}.offFen`);
  } else if (rule.kind === 'percent_off') {
    if (!isIntIn(rule.bp, 1, discount_bp_max)) throw new PricingError('rule_invalid', '优惠券折扣须为 1 到 10000 个基点', `${path}.bp`);
    if (rule.capFen !== undefined && (!isFen(rule.capFen) || rule.capFen < 1)) {
      throw new PricingError('rule_invalid', '优惠券封顶金额须为正整数分', `${path}.capFen`);
    }
  } else if (rule.kind === 'free_item') {
    if (!isId(rule.skuId, sku_id_length_max)) throw new PricingError('rule_invalid', '赠品商品编号不合法', `${path}.skuId`);
  } else {
    throw new PricingError('rule_invalid', '未知的优惠券类型', `${path}.kind`);
  }
  if (rule.scope !== undefined) {
    let ids = 0;
    for (const list of [rule.scope.skuIds, rule.scope.categoryIds]) {
      if (list === undefined) continue;
      const valid = Array.isArray(list) && list.length <= coupon_scope_ids_max && list.every((id) => isId(id, sku_id_length_max));
      if (!valid) throw new PricingError('rule_invalid', `优惠券适用范围不合法（每类最多 ${coupon_scope_ids_max} 个编号）`, `${path}.scope`);
      ids += list.length;
    }
    if (ids === 0) throw new PricingError('rule_invalid', '优惠券适用范围为空', `${path}.scope`);
  }
}

