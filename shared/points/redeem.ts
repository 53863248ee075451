import type { Fen } from '../money.js';
import { PricingError } from '../pricing/errors.js';
import { bpOf, divFloor } from '../pricing/rounding.js';
import { checkRedemptionRules, isFenAmount, isPointsAmount, type PointsRedemptionRules } from './rules.js';

export interface Redemption {
  points: number;
  fen: Fen;
}

/** The cap on what points may pay: redeemCapBp of the amount due, rounded down. */
export function redeemCapFen(payableFen: Fen, rules: PointsRedemptionRules): Fen {
  checkRedemptionRules(rules);
  return bpOf(payableFen, rules.redeemCapBp);
}

/**
 * Points used and fen they pay. Asking for more points than the member holds
 * is an error; asking for more than the cap allows is not, the engine uses
 * fewer, because the client cannot know the cap before the order is priced.
 * Only whole fen are redeemed: points that would buy part of a fen stay with
 * the member, so points used is always fen × redeemPointsPerFen.
 */
export function redeemPoints(
  requested: number,
  balance: number,
  payableFen: Fen,
  rules: PointsRedemptionRules,
): Redemption {
  checkRedemptionRules(rules);
  if (!isPointsAmount(requested)) throw new PricingError('points_invalid', '抵扣积分须为非负整数', 'points.requested');
  if (!isPointsAmount(balance)) throw new PricingError('points_invalid', '会员积分余额须为非负整数', 'member.pointsBalance');
  if (!isFenAmount(payableFen)) throw new PricingError('amount_invalid', '应付金额须为非负整数分', 'payableFen');
  if (requested > balance) {
    throw new PricingError('points_exceed_balance', `会员只有 ${balance} 积分，不能抵扣 ${requested} 积分`, 'points.requested');
  }
  const fen = Math.min(divFloor(requested, rules.redeemPointsPerFen), redeemCapFen(payableFen, rules));
  return { points: fen * rules.redeemPointsPerFen, fen };
}

/** The most points this member can use on this amount, for the "最多可用" hint. */
export function redeemablePointsMax(balance: number, payableFen: Fen, rules: PointsRedemptionRules): number {
  return redeemPoints(balance, balance, payableFen, rules).points;
}
