import { redeemPoints, type Redemption } from '../../points/redeem.js';
import { addOrderAdjustment, netsOf, orderNetFen, type PricingLedger } from '../ledger.js';
import type { PricingInput } from '../types.js';

/**
 * Step 7. Points pay part of what is due after every discount, since the cap
 * is a share of what the customer would otherwise pay. Spread over the lines
 * by net, so a returned line gives back its share of points.
 */
export function applyPoints(ledger: PricingLedger, input: PricingInput): Redemption {
  if (input.points === undefined || input.member === undefined || input.points.requested === 0) return { points: 0, fen: 0 };
  const redemption = redeemPoints(input.points.requested, input.member.pointsBalance, orderNetFen(ledger), input.points.rules);
  addOrderAdjustment(ledger, { kind: 'points' }, redemption.fen, netsOf(ledger));
  return redemption;
}
