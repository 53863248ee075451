import { describe, expect, it } from 'vitest';
import { allocateLargestRemainder } from './allocate.js';
import { rng } from './test-support.js';

describe('largest-remainder allocation', () => {
  it.each([
    // amount, weights, shares (worked by hand)
    [0, [0], [0]],
    [0, [5, 7], [0, 0]],
    [1, [1], [1]],
    [1, [1, 1], [1, 0]], // tie: the lower index wins
    [1, [1, 1, 1], [1, 0, 0]],
    [2, [1, 1, 1], [1, 1, 0]],
    [10, [5, 5, 5], [4, 3, 3]],
    [1, [0, 3, 3], [0, 1, 0]],
    [133, [1000, 333], [100, 33]], // 99.77 and 33.22: the 1 left goes to the larger remainder
    [150, [2250, 800, 333], [100, 35, 15]],
    [100, [2150, 765, 318], [66, 24, 10]],
    [5, [0, 0, 5], [0, 0, 5]],
    [7, [7, 0], [7, 0]],
    [3, [1, 1, 1, 0], [1, 1, 1, 0]],
    [99, [1, 100], [1, 98]], // 0.98 beats 98.01 for the fen left over
  ])('splits %i over %j as %j', (amount, weights, shares) => {
    expect(allocateLargestRemainder(amount, weights)).toEqual(shares);
  });

  it('splits a large amount exactly where a × w passes 2^53', () => {
    const weights = Array.from({ length: 200 }, () => 49_999_500_000);
    const shares = allocateLargestRemainder(3_332_966_670_000, weights);
    expect(new Set(shares)).toEqual(new Set([16_664_833_350]));
  });

  it('refuses to take more than the weights hold', () => {
    expect(() => allocateLargestRemainder(1, [0, 0])).toThrow(/invariant/);
    expect(() => allocateLargestRemainder(11, [5, 5])).toThrow(/invariant/);
    expect(() => allocateLargestRemainder(1, [-1, 3])).toThrow(/invariant/);
  });

  it('on random weights: exact sum, each share within a fen of its exact part, never over its weight, the same every time', () => {
    const r = rng(7);
    for (let round = 0; round < 1000; round++) {
      const count = r.edgy(1, 200);
      const scale = r.pick([1, 10, 1000, 1_000_000, 50_000_000_000]);
      const weights = Array.from({ length: count }, () => (r.chance(0.2) ? 0 : r.edgy(0, scale)));
      const sum = weights.reduce((a, b) => a + b, 0);
      const amount = r.edgy(0, sum);
      const shares = allocateLargestRemainder(amount, weights);
      // Checked with plain comparisons and one expect per round: a hundred thousand expect calls made this test slow on a loaded machine.
      const wrong = shares.flatMap((share, i) => {
        const w = weights[i] ?? 0;
        if (share > w) return [`share ${i} ${share} over its weight ${w}`];
        if (sum === 0) return [];
        const floor = Number((BigInt(amount) * BigInt(w)) / BigInt(sum));
        return share - floor < 0 || share - floor > 1 ? [`share ${i} ${share} not within a fen above ${floor}`] : [];
      });
      expect({ round, sum: shares.reduce((a, b) => a + b, 0), wrong }).toEqual({ round, sum: amount, wrong: [] });
      expect(allocateLargestRemainder(amount, [...weights])).toEqual(shares);
    }
  });
});
