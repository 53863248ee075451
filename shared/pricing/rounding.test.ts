import { describe, expect, it } from 'vitest';
import { bpOf, cashRoundingFen, divFloor, mulDivFloor, mulDivRem, divisor_max } from './rounding.js';
import { rng } from './test-support.js';

const big = BigInt;

describe('integer arithmetic', () => {
  it.each([
    [0, 1, 0], [1, 1, 1], [7, 2, 3], [9, 10, 0], [10, 10, 1], [Number.MAX_SAFE_INTEGER, 1, Number.MAX_SAFE_INTEGER],
    [Number.MAX_SAFE_INTEGER, 3, 3002399751580330], [Number.MAX_SAFE_INTEGER, 2 ** 52, 1],
  ])('divFloor(%i, %i) = %i', (a, b, q) => {
    expect(divFloor(a, b)).toBe(q);
  });

  it.each([
    [0, 0, 1, 0, 0],
    [1, 1, 10_000, 0, 1],
    [333, 1000, 10_000, 33, 3000],
    [999_990_000_000_00, 3333, 10_000, 333_296_667_000_00, 0],
    // (2^53 − 1)(2^52 − 1) / 2^52 = 2^53 − 3 + 2^−52.
    [Number.MAX_SAFE_INTEGER, 2 ** 52 - 1, 2 ** 52, 2 ** 53 - 3, 1],
  ])('mulDivRem(%i, %i, %i) = %i rem %i', (a, b, c, q, r) => {
    const exact = mulDivRem(a, b, c);
    expect(exact.quotient).toBe(Number((big(a) * big(b)) / big(c)));
    expect(exact.remainder).toBe(Number((big(a) * big(b)) % big(c)));
    expect(exact).toEqual({ quotient: q, remainder: r });
  });

  it('agrees with BigInt on random operands, large ones included', () => {
    const r = rng(20240611);
    for (let i = 0; i < 5000; i++) {
      const c = r.edgy(1, divisor_max);
      const a = r.edgy(0, Number.MAX_SAFE_INTEGER);
      // Keep the quotient safe: b at most c, so a × b / c ≤ a.
      const b = r.edgy(0, c);
      const { quotient, remainder } = mulDivRem(a, b, c);
      expect([quotient, remainder]).toEqual([Number((big(a) * big(b)) / big(c)), Number((big(a) * big(b)) % big(c))]);
    }
  });

  it('refuses divisors past 2^52, zero divisors and fractions', () => {
    expect(() => mulDivFloor(1, 1, divisor_max + 1)).toThrow(/invariant/);
    expect(() => mulDivFloor(1, 1, 0)).toThrow(/invariant/);
    expect(() => mulDivFloor(0.5, 1, 1)).toThrow(/invariant/);
    expect(() => divFloor(1, 0)).toThrow(/invariant/);
    expect(() => mulDivFloor(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 1)).toThrow(/overflows/);
  });

  it.each([
    [0, 0, 0], [1, 10_000, 1], [1, 9_999, 0], [333, 1_000, 33], [1000, 1_500, 150], [99, 5_000, 49], [100_000_000_000_00, 10_000, 100_000_000_000_00],
  ])('bpOf(%i fen, %i bp) = %i, rounded down', (fen, bp, off) => {
    expect(bpOf(fen, bp)).toBe(off);
  });
});

describe('cash rounding (抹零)', () => {
  it.each([
    [0, 'jiao', 0], [1, 'jiao', 1], [9, 'jiao', 9], [10, 'jiao', 0], [1999, 'jiao', 9],
    [0, 'yuan', 0], [1, 'yuan', 1], [99, 'yuan', 99], [100, 'yuan', 0], [1999, 'yuan', 99],
    [1999, 'none', 0], [1, 'none', 0],
  ] as const)('%i fen to %s takes off %i fen', (total, rule, off) => {
    expect(cashRoundingFen(total, rule)).toBe(off);
  });
});
