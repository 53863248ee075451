export { priceOrder } from './engine';
export { PricingError, isPricingError, type PricingErrorCode } from './errors';
export { allocateLargestRemainder } from './allocate';
export { bpOf, bp_whole, cashRoundingFen, cash_roundings, divFloor, mulDivFloor } from './rounding';
export { thresholdSavingFen } from './rules/threshold';
export * from './limits';
export type * from './types';
