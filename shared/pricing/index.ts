export { priceOrder } from './engine.js';
export { PricingError, isPricingError, type PricingErrorCode } from './errors.js';
export { allocateLargestRemainder } from './allocate.js';
export { bpOf, bp_whole, cashRoundingFen, cash_roundings, divFloor, mulDivFloor } from './rounding.js';
export { thresholdSavingFen } from './rules/threshold.js';
export * from './limits.js';
export type * from './types.js';
export { levelBenefits, pricingLevelOf, type LevelBenefits, type MemberLevelRule } from './member-level.js';
