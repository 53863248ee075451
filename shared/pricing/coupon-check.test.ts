import { describe, expect, it } from 'vitest';
import { checkCouponRule } from './coupon-check.js';
import { priceOrder } from './engine.js';
import type { CouponRule } from './types.js';

const good: CouponRule = { id: 'cpn1', name: '满10减1', minSpendFen: 1000, kind: 'amount_off', offFen: 100 };

describe('the server-side shape check of coupon rules', () => {
  it('accepts each kind well made and names the field of a bad one', () => {
    expect(() => checkCouponRule(good, 'coupons.0')).not.toThrow();
    expect(() => checkCouponRule({ id: 'c', minSpendFen: 0, kind: 'percent_off', bp: 1500, capFen: 500 }, 'coupons.0')).not.toThrow();
    expect(() => checkCouponRule({ id: 'c', minSpendFen: 0, kind: 'free_item', skuId: 'sku' }, 'coupons.0')).not.toThrow();
    const bad: [CouponRule, string][] = [
      [{ ...good, offFen: 0 }, 'coupons.0.offFen'],
      [{ ...good, minSpendFen: -1 }, 'coupons.0.minSpendFen'],
      [{ id: 'c', minSpendFen: 0, kind: 'percent_off', bp: 10_001 }, 'coupons.0.bp'],
      [{ id: 'c', minSpendFen: 0, kind: 'percent_off', bp: 100, capFen: 0 }, 'coupons.0.capFen'],
      [{ id: 'c', minSpendFen: 0, kind: 'free_item', skuId: '' }, 'coupons.0.skuId'],
      [{ ...good, scope: {} }, 'coupons.0.scope'],
    ];
    for (const [rule, path] of bad) expect(() => checkCouponRule(rule, 'coupons.0')).toThrow(expect.objectContaining({ path }));
  });

  it('the engine refuses a coupon without a member, and a free item the cart lacks, naming the coupon', () => {
    const lines = [{ skuId: 'A', qty: 2, retailPriceFen: 600 }];
    expect(() => priceOrder({ lines, coupons: [good], cashRounding: 'none', cashTender: false })).toThrow(expect.objectContaining({ path: 'coupons' }));
    const member = { id: 'm', pointsBalance: 0 };
    expect(() => priceOrder({ lines, member, coupons: [{ id: 'f', name: '送B', minSpendFen: 0, kind: 'free_item', skuId: 'B' }], cashRounding: 'none', cashTender: false })).toThrow(/送B/);
    const free = priceOrder({ lines, member, coupons: [{ id: 'f', minSpendFen: 0, kind: 'free_item', skuId: 'A' }], cashRounding: 'none', cashTender: false });
    expect(free.totalFen).toBe(600);
    expect(free.adjustments).toEqual([{ source: { kind: 'coupon', ruleId: 'f' }, fen: 600, allocation: [{ lineIndex: 0, fen: 600 }] }]);
  });
});
