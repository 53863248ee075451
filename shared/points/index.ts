export * from './rules';
export { earnPoints } from './earn';
export { redeemPoints, redeemCapFen, redeemablePointsMax, type Redemption } from './redeem';
export { clawbackPoints, type ClawbackInput } from './clawback';
