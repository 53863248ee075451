import { describe, expect, it } from 'vitest';
import { PricingError } from '../pricing/errors.js';
import { rng } from '../pricing/test-support.js';
import { clawbackPoints, earnPoints, redeemablePointsMax, redeemCapFen, redeemPoints } from './index.js';
import { fen_amount_max } from '../money.js';
import { points_amount_max, points_earn_per_yuan_max, points_level_multiplier_bp_max } from './rules.js';

describe('earning', () => {
  it.each([
    // paidFen, points per yuan, level multiplier bp, points
    [0, 1, 10_000, 0],
    [1, 1, 10_000, 0],
    [99, 1, 10_000, 0],
    [100, 1, 10_000, 1],
    [999, 10, 10_000, 99], // one floor at the end: 9.99 yuan × 10 = 99.9
    [12_345, 1, 15_000, 185], // 123.45 × 1.5 = 185.175
    [12_345, 2, 12_500, 308], // 123.45 × 2 × 1.25 = 308.625
    [10_000, 1, 0, 0],
    [10_000, 0, 20_000, 0],
    [fen_amount_max, points_earn_per_yuan_max, points_level_multiplier_bp_max, 100_000_000_000_000], // 10^11 yuan × 100 × 10
  ])('%i fen at %i a yuan, ×%i bp, earns %i', (paid, perYuan, multiplier, points) => {
    expect(earnPoints(paid, { earnPointsPerYuan: perYuan }, multiplier)).toBe(points);
  });

  it('keeps the most an order can earn within points_amount_max', () => {
    expect(earnPoints(fen_amount_max, { earnPointsPerYuan: points_earn_per_yuan_max }, points_level_multiplier_bp_max)).toBeLessThanOrEqual(points_amount_max);
  });

  it('uses the plain rate when no level multiplier is given', () => {
    expect(earnPoints(250, { earnPointsPerYuan: 2 })).toBe(5);
  });

  it.each([
    ['a negative amount', () => earnPoints(-1, { earnPointsPerYuan: 1 }), 'amount_invalid'],
    ['a fractional amount', () => earnPoints(1.5, { earnPointsPerYuan: 1 }), 'amount_invalid'],
    ['a fractional rate', () => earnPoints(100, { earnPointsPerYuan: 0.5 }), 'rule_invalid'],
    ['a multiplier past the limit', () => earnPoints(100, { earnPointsPerYuan: 1 }, points_level_multiplier_bp_max + 1), 'rule_invalid'],
  ])('refuses %s', (_, run, code) => {
    expect(run).toThrow(PricingError);
    expect(run).toThrow(expect.objectContaining({ code }));
  });
});

describe('redemption', () => {
  const rules = { redeemPointsPerFen: 10, redeemCapBp: 5000 };
  it.each([
    // requested, balance, payable, points used, fen
    [0, 0, 0, 0, 0],
    [0, 100, 1000, 0, 0],
    [9, 100, 1000, 0, 0], // less than one fen's worth
    [10, 100, 1000, 10, 1],
    [19, 100, 1000, 10, 1],
    [100, 100, 1000, 100, 10],
    [10_000, 10_000, 1000, 5000, 500], // capped at half of 1000
    [10_000, 10_000, 1, 0, 0], // half of 1 fen rounds down to nothing
    [10_000, 10_000, 3, 10, 1],
  ])('asking %i of %i on %i fen uses %i points for %i fen', (requested, balance, payable, points, fen) => {
    expect(redeemPoints(requested, balance, payable, rules)).toEqual({ points, fen });
  });

  it('offers at most what the balance and the cap allow', () => {
    expect(redeemCapFen(999, rules)).toBe(499);
    expect(redeemablePointsMax(10_000, 999, rules)).toBe(4990);
    expect(redeemablePointsMax(55, 999, rules)).toBe(50);
    expect(redeemablePointsMax(0, 999, rules)).toBe(0);
  });

  it('refuses more points than the member holds', () => {
    expect(() => redeemPoints(101, 100, 1000, rules)).toThrow(expect.objectContaining({ code: 'points_exceed_balance' }));
    expect(() => redeemPoints(-1, 100, 1000, rules)).toThrow(expect.objectContaining({ code: 'points_invalid' }));
    expect(() => redeemPoints(1, 100, 1000, { redeemPointsPerFen: 0, redeemCapBp: 1 })).toThrow(expect.objectContaining({ code: 'rule_invalid' }));
  });
});

describe('clawback on a return', () => {
  it.each([
    // earned, paid, returned now, returned before, clawed before, clawed now
    [0, 0, 0, 0, 0, 0],
    [100, 10_000, 0, 0, 0, 0],
    [100, 10_000, 10_000, 0, 0, 100],
    [100, 10_000, 3333, 0, 0, 33],
    [100, 10_000, 3333, 3333, 33, 33],
    [100, 10_000, 3334, 6666, 66, 34], // the last piece takes back the rest
    [7, 3, 1, 0, 0, 2], // 7 × 1 / 3 = 2.33
    [7, 3, 1, 1, 2, 2], // 7 × 2 / 3 = 4.67 → 4, less 2
    [7, 3, 1, 2, 4, 3],
    [100, 10_000, 1, 0, 0, 0],
    [100, 10_000, 5000, 0, 60, 0], // already took more than this share: nothing more, never negative
  ])('earned %i on %i fen; returning %i after %i (%i taken) takes %i', (earned, paid, now, before, taken, expected) => {
    expect(
      clawbackPoints({ earnedPoints: earned, orderPaidFen: paid, returnedNetFen: now, previouslyReturnedNetFen: before, previouslyClawedBackPoints: taken }),
    ).toBe(expected);
  });

  it('refuses returns over the amount paid and clawbacks over what was earned', () => {
    const base = { earnedPoints: 10, orderPaidFen: 100, returnedNetFen: 60, previouslyReturnedNetFen: 41, previouslyClawedBackPoints: 0 };
    expect(() => clawbackPoints(base)).toThrow(expect.objectContaining({ code: 'amount_invalid' }));
    expect(() => clawbackPoints({ ...base, previouslyReturnedNetFen: 0, previouslyClawedBackPoints: 11 })).toThrow(expect.objectContaining({ code: 'points_invalid' }));
    expect(() => clawbackPoints({ ...base, returnedNetFen: -1 })).toThrow(expect.objectContaining({ code: 'amount_invalid' }));
  });

  it('over random returns in pieces: never more than earned, exactly all of it once everything is back', () => {
    const r = rng(42);
    for (let run = 0; run < 2000; run++) {
      const paid = r.edgy(0, r.pick([10, 10_000, fen_amount_max]));
      const earned = earnPoints(paid, { earnPointsPerYuan: r.edgy(0, points_earn_per_yuan_max) }, r.edgy(0, 30_000));
      let returned = 0;
      let taken = 0;
      while (returned < paid) {
        const now = r.chance(0.3) ? paid - returned : r.edgy(1, paid - returned);
        const back = clawbackPoints({ earnedPoints: earned, orderPaidFen: paid, returnedNetFen: now, previouslyReturnedNetFen: returned, previouslyClawedBackPoints: taken });
        expect(back).toBeGreaterThanOrEqual(0);
        returned += now;
        taken += back;
        expect(taken).toBeLessThanOrEqual(earned);
      }
      expect(taken).toBe(earned);
    }
  });
});
