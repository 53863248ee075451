export * from './rules.js';
export { earnPoints } from './earn.js';
export { redeemPoints, redeemCapFen, redeemablePointsMax, type Redemption } from './redeem.js';
export { clawbackPoints, type ClawbackInput } from './clawback.js';
