import type { Fen } from '../money.js';
import { PricingError } from '../pricing/errors.js';
import { mulDivFloor } from '../pricing/rounding.js';
import { checkEarnRules, checkLevelMultiplier, isFenAmount, points_level_multiplier_bp_one, type PointsEarnRules } from './rules.js';

const fen_per_yuan = 100;

/**
 * Points earned on an order: floor(paidFen × pointsPerYuan × multiplier / (100 × 10000)).
 * paidFen is the order's totalFen, which already leaves out what points paid
 * and what cash rounding forgave, so neither earns points. One floor at the
 * end, not per yuan, so 9.99 yuan at 10 points a yuan earns 99 points, not 90.
 */
export function earnPoints(paidFen: Fen, rules: PointsEarnRules, levelMultiplierBp: number = points_level_multiplier_bp_one): number {
  checkEarnRules(rules);
  checkLevelMultiplier(levelMultiplierBp);
  if (!isFenAmount(paidFen)) throw new PricingError('amount_invalid', '实付金额须为非负整数分', 'paidFen');
  return mulDivFloor(paidFen, rules.earnPointsPerYuan * levelMultiplierBp, fen_per_yuan * points_level_multiplier_bp_one);
}
