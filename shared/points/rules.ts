import { fen_amount_max } from '../money.js';
import { PricingError } from '../pricing/errors.js';

/** A merchant's points rules. */
export interface PointsEarnRules {
  /** Points earned per yuan paid; 0 turns earning off. */
  earnPointsPerYuan: number;
}

export interface PointsRedemptionRules {
  /** This many points are worth one fen. */
  redeemPointsPerFen: number;
  /** Points may pay at most this share of the amount due, in basis points. */
  redeemCapBp: number;
}

export type PointsRules = PointsEarnRules & PointsRedemptionRules;

export const points_earn_per_yuan_max = 100;
export const points_redeem_per_fen_max = 10_000;
export const points_redeem_cap_bp_max = 10_000;
/** 10000 bp is the plain rate; a level may earn up to ten times it. */
export const points_level_multiplier_bp_one = 10_000;
export const points_level_multiplier_bp_max = 100_000;
/**
 * Balances and amounts of points. The largest order at the highest rates
 * earns fen_amount_max / 100 × 100 × 10 = 10^14 points; this leaves room for
 * many such orders and stays inside safe integers (the ledger column is bigint).
 */
export const points_amount_max = 1_000_000_000_000_000;

export function isFenAmount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= fen_amount_max;
}

export function isPointsAmount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= points_amount_max;
}

function isIntIn(n: unknown, min: number, max: number): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= min && n <= max;
}

export function checkEarnRules(rules: PointsEarnRules, path = 'pointsRules'): void {
  if (!isIntIn(rules.earnPointsPerYuan, 0, points_earn_per_yuan_max)) {
    throw new PricingError('rule_invalid', `每元积分须为 0 到 ${points_earn_per_yuan_max} 的整数`, `${path}.earnPointsPerYuan`);
  }
}

export function checkRedemptionRules(rules: PointsRedemptionRules, path = 'pointsRules'): void {
  if (!isIntIn(rules.redeemPointsPerFen, 1, points_redeem_per_fen_max)) {
    const message = `积分抵扣比例须为 1 到 ${points_redeem_per_fen_max} 积分抵 1 分`;
    throw new PricingError('rule_invalid', message, `${path}.redeemPointsPerFen`);
  }
  if (!isIntIn(rules.redeemCapBp, 0, points_redeem_cap_bp_max)) {
    throw new PricingError('rule_invalid', '积分抵扣上限须为 0 到 10000 个基点', `${path}.redeemCapBp`);
  }
}

export function checkLevelMultiplier(bp: number): void {
  if (!isIntIn(bp, 0, points_level_multiplier_bp_max)) {
    const message = `会员等级积分倍率须为 0 到 ${points_level_multiplier_bp_max} 个基点`;
    throw new PricingError('rule_invalid', message, 'levelMultiplierBp');
  }
}
