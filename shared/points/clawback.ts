import type { Fen } from '../money.js';
import { PricingError } from '../pricing/errors.js';
import { mulDivFloor } from '../pricing/rounding.js';
import { isFenAmount, isPointsAmount } from './rules.js';

export interface ClawbackInput {
  /** Points the order earned. */
  earnedPoints: number;
  /** The order's totalFen, on which the points were earned. */
  orderPaidFen: Fen;
  /** Net amount of the lines returned now (the lines' netFen, or a part of it). */
  returnedNetFen: Fen;
  /** Net amount already returned on this order, before this return. */
  previouslyReturnedNetFen: Fen;
  /** Points already taken back on this order. */
  previouslyClawedBackPoints: number;
}

/**
 * Points to take back for a return, in proportion to the net amount returned,
 * rounded down. It is computed on the order's returns so far, not on this
 * return alone: floor(earned × all returned / paid) minus what was already
 * taken. Flooring each return on its own would leave points behind when an
 * order comes back in pieces; this way a full return takes back exactly what
 * was given, and never more.
 */
export function clawbackPoints(input: ClawbackInput): number {
  const { earnedPoints, orderPaidFen, returnedNetFen, previouslyReturnedNetFen, previouslyClawedBackPoints } = input;
  for (const [name, value] of [['earnedPoints', earnedPoints], ['previouslyClawedBackPoints', previouslyClawedBackPoints]] as const) {
    if (!isPointsAmount(value)) throw new PricingError('points_invalid', `${name} 须为非负整数`, name);
  }
  const fenFields = [
    ['orderPaidFen', orderPaidFen],
    ['returnedNetFen', returnedNetFen],
    ['previouslyReturnedNetFen', previouslyReturnedNetFen],
  ] as const;
  for (const [name, value] of fenFields) {
    if (!isFenAmount(value)) throw new PricingError('amount_invalid', `${name} 须为非负整数分`, name);
  }
  const returnedTotalFen = previouslyReturnedNetFen + returnedNetFen;
  if (returnedTotalFen > orderPaidFen) {
    throw new PricingError('amount_invalid', '退货金额合计超过了订单实付金额', 'returnedNetFen');
  }
  if (previouslyClawedBackPoints > earnedPoints) {
    throw new PricingError('points_invalid', '已扣回积分超过了订单所得积分', 'previouslyClawedBackPoints');
  }
  if (orderPaidFen === 0) return 0;
  const owed = mulDivFloor(earnedPoints, returnedTotalFen, orderPaidFen);
  return Math.max(0, owed - previouslyClawedBackPoints);
}
