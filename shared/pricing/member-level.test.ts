import { describe, expect, it } from 'vitest';
import { levelBenefits, pricingLevelOf } from './member-level.js';

const levels = [
  { name: '普通会员', minSpendFen: 0, minVisits: 0 },
  { name: '金卡', minSpendFen: 100_000, minVisits: 0, discountBp: 1000, pointsMultiplierBp: 20_000 },
];

describe('what a level gives', () => {
  it('a configured level gives its discount and multiplier', () => {
    expect(levelBenefits(levels, '金卡')).toEqual({ name: '金卡', discountBp: 1000, pointsMultiplierBp: 20_000 });
    expect(pricingLevelOf(levelBenefits(levels, '金卡'))).toEqual({ name: '金卡', discountBp: 1000 });
  });

  it('a level saved without benefits, an unknown level and no level give nothing: no discount, the plain rate', () => {
    for (const name of ['普通会员', '银卡', null]) {
      const b = levelBenefits(levels, name);
      expect([b.discountBp, b.pointsMultiplierBp]).toEqual([0, 10_000]);
      expect(pricingLevelOf(b)).toBeUndefined();
    }
  });
});
