import { randomInt } from 'node:crypto';
import { mall_pickup_code_digits } from '../../shared/api/points-mall.js';

/** The number of distinct gift pickup codes: a hundred million, against a store's few gifts waiting at once. */
export const mall_pickup_code_space = 10 ** mall_pickup_code_digits;
/**
 * Draws before giving up on a free code. A store's waiting codes are unique
 * (a partial unique index); with a handful waiting among 10^8 codes, a second
 * draw is already rare, so five failing in a row means something else is wrong.
 */
export const mall_pickup_code_draws_max = 5;

/**
 * A random code, not a counter: a gift waits for days, so its code must not
 * let anyone who holds one guess a neighbour's. Staff alone can use a code,
 * at a store they work in.
 */
export function newMallPickupCode(): string {
  return String(randomInt(mall_pickup_code_space)).padStart(mall_pickup_code_digits, '0');
}
