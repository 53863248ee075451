import type { Fen } from '../money.js';
import { invariant } from './errors.js';

/**
 * Integer arithmetic for money, exact for every safe integer, with no BigInt:
 * the mini-program still runs on JavaScript engines without it.
 *
 * The rounding rules of the engine, in one place:
 * - Every division rounds down (floor). A percentage discount is therefore
 *   rounded down to whole fen, so a shop never gives more than the rate it
 *   states, and the customer loses less than one fen.
 * - An order-level amount is spread over lines by largest remainder (see
 *   allocate.ts), so the shares add up exactly.
 * - Cash rounding (抹零) always goes down, in the customer's favour.
 */

/** 100% in basis points. */
export const bp_whole = 10_000;

/** The largest divisor mulDivFloor accepts: doubling a remainder below it stays exact. */
export const divisor_max = 2 ** 52;

function isNonNegativeInt(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** floor(a / b) for non-negative safe integers, exactly: a − a % b is an exact multiple of b. */
export function divFloor(a: number, b: number): number {
  invariant(isNonNegativeInt(a) && isNonNegativeInt(b) && b > 0, `divFloor(${a}, ${b})`);
  return (a - (a % b)) / b;
}

export interface QuotientRemainder {
  quotient: number;
  remainder: number;
}

/**
 * floor(a × b / c) and (a × b) mod c, exact even when a × b passes 2^53.
 * The slow path is binary long multiplication modulo c: with c at most 2^52,
 * twice a remainder is below 2^53 and stays exact.
 */
export function mulDivRem(a: number, b: number, c: number): QuotientRemainder {
  invariant(isNonNegativeInt(a) && isNonNegativeInt(b), `mulDivRem(${a}, ${b}, ${c})`);
  invariant(isNonNegativeInt(c) && c > 0 && c <= divisor_max, `mulDivRem divisor ${c}`);
  const product = a * b;
  if (product <= Number.MAX_SAFE_INTEGER) {
    return { quotient: divFloor(product, c), remainder: product % c };
  }
  // a × b / c = qa × b + ra × b / c, where ra < c.
  const qa = divFloor(a, c);
  const ra = a % c;
  const bits: number[] = [];
  for (let x = b; x > 0; x = (x - (x % 2)) / 2) bits.push(x % 2);
  let q = 0;
  let r = 0;
  for (let i = bits.length - 1; i >= 0; i--) {
    q *= 2;
    r *= 2;
    if (r >= c) {
      q += 1;
      r -= c;
    }
    if (bits[i] === 1) {
      r += ra;
      if (r >= c) {
        q += 1;
        r -= c;
      }
    }
  }
  const quotient = qa * b + q;
  invariant(Number.isSafeInteger(quotient), `mulDivRem(${a}, ${b}, ${c}) overflows`);
  return { quotient, remainder: r };
}

/** floor(a × b / c), exactly. */
export function mulDivFloor(a: number, b: number, c: number): number {
  return mulDivRem(a, b, c).quotient;
}

/** floor(amount × bp / 10000): a basis-point share of an amount, rounded down. */
export function bpOf(amountFen: Fen, bp: number): Fen {
  return mulDivFloor(amountFen, bp, bp_whole);
}

/** How the store rounds a cash payment (抹零): not at all, down to whole jiao, or down to whole yuan. */
export const cash_roundings = ['none', 'jiao', 'yuan'] as const;
export type CashRounding = (typeof cash_roundings)[number];

export const cash_rounding_unit_fen: Readonly<Record<CashRounding, number>> = { none: 1, jiao: 10, yuan: 100 };

/** The fen taken off a cash total by 抹零: always down, so the customer never pays more. */
export function cashRoundingFen(totalFen: Fen, rule: CashRounding): Fen {
  invariant(isNonNegativeInt(totalFen), `cashRoundingFen(${totalFen})`);
  return totalFen % cash_rounding_unit_fen[rule];
}
