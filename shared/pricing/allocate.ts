import type { Fen } from '../money.js';
import { invariant } from './errors.js';
import { mulDivRem, divisor_max } from './rounding.js';

/**
 * Splits amountFen over weights in proportion, by largest remainder: each
 * share is floor(amount × weight / Σweights), and the fen left over go one
 * each to the largest remainders, ties to the lowest index. The shares add up
 * to amountFen exactly, the result depends only on the inputs, and a share
 * never exceeds its weight when the amount does not exceed the weights' sum,
 * so a line allocated a discount never goes below zero.
 */
export function allocateLargestRemainder(amountFen: Fen, weights: readonly number[]): Fen[] {
  invariant(Number.isSafeInteger(amountFen) && amountFen >= 0, `allocate amount ${amountFen}`);
  let total = 0;
  for (const w of weights) {
    invariant(Number.isSafeInteger(w) && w >= 0, `allocate weight ${w}`);
    total += w;
  }
  invariant(total <= divisor_max, `allocate weights sum ${total}`);
  if (amountFen === 0) return weights.map(() => 0);
  invariant(amountFen <= total, `allocate ${amountFen} over weights summing to ${total}`);

  const shares: number[] = [];
  const remainders: number[] = [];
  let allocated = 0;
  for (const w of weights) {
    const { quotient, remainder } = mulDivRem(amountFen, w, total);
    shares.push(quotient);
    remainders.push(remainder);
    allocated += quotient;
  }
  const order = weights.map((_, i) => i);
  order.sort((i, j) => (remainders[j] ?? 0) - (remainders[i] ?? 0) || i - j);
  // Fewer fen are left over than there are non-zero remainders, so a weight of zero never gets one.
  for (let k = 0; k < amountFen - allocated; k++) {
    const i = order[k];
    invariant(i !== undefined && (remainders[i] ?? 0) > 0, 'leftover fen with no remainder to take it');
    shares[i] = (shares[i] ?? 0) + 1;
  }
  return shares;
}
