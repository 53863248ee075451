import { describe, expect, it } from 'vitest';
import { priceOrder } from './engine.js';
import { PricingError } from './errors.js';
import { promotion_discount_bp_max } from './limits.js';
import type { DiscountRule, PricingInput, PricingLineInput, PricingResult } from './types.js';

// 服装 (top) › 上衣 (tops); 食品 (food) on its own.
const shirt = { skuId: 'shirt', categoryId: 'tops', parentCategoryId: 'clothes', retailPriceFen: 9999, memberPriceFen: 8999 };
const coat = { skuId: 'coat', categoryId: 'clothes', retailPriceFen: 30000 };
const tea = { skuId: 'tea', categoryId: 'food', retailPriceFen: 1999 };
const at = (sku: Omit<PricingLineInput, 'qty'>, qty: number): PricingLineInput => ({ ...sku, qty });
const order = (lines: PricingLineInput[], extra: Partial<PricingInput> = {}): PricingInput => ({ lines, cashRounding: 'none', cashTender: false, ...extra });
const rule = (id: string, bp: number, scope?: DiscountRule['scope']): DiscountRule => ({ id, name: id, bp, ...(scope ? { scope } : {}) });

function taken(result: PricingResult, lineIndex: number, kind: string): number {
  return (result.lines[lineIndex]?.adjustments ?? []).filter((a) => a.source.kind === kind).reduce((s, a) => s + a.fen, 0);
}

describe('限时折扣 (discount promotions)', () => {
  it('takes bp off every line when it has no scope, rounded down to the fen per line', () => {
    // 2 × 99.99 × 15% = 29.997 → 29.99; 1 × 19.99 × 15% = 2.9985 → 2.99.
    const r = priceOrder(order([at(shirt, 2), at(tea, 1)], { discounts: [rule('d85', 1500)] }));
    expect([taken(r, 0, 'discount'), taken(r, 1, 'discount')]).toEqual([2999, 299]);
    expect(r.adjustments).toEqual([{ source: { kind: 'discount', ruleId: 'd85', reason: 'd85' }, fen: 3298, allocation: [{ lineIndex: 0, fen: 2999 }, { lineIndex: 1, fen: 299 }] }]);
    expect(r.totalFen).toBe(2 * 9999 + 1999 - 3298);
  });

  it('a rule on the parent category covers its child; one on the child covers neither the parent’s own products nor other categories', () => {
    const lines = [at(shirt, 1), at(coat, 1), at(tea, 1)];
    const parent = priceOrder(order(lines, { discounts: [rule('clothes20', 2000, { categoryIds: ['clothes'] })] }));
    expect(parent.lines.map((_, i) => taken(parent, i, 'discount'))).toEqual([1999, 6000, 0]);
    const child = priceOrder(order(lines, { discounts: [rule('tops20', 2000, { categoryIds: ['tops'] })] }));
    expect(child.lines.map((_, i) => taken(child, i, 'discount'))).toEqual([1999, 0, 0]);
    const sku = priceOrder(order(lines, { discounts: [rule('tea10', 1000, { skuIds: ['tea'] })] }));
    expect(sku.lines.map((_, i) => taken(sku, i, 'discount'))).toEqual([0, 0, 199]);
  });

  it('does not stack: each line gets the one rule saving most on it, ties to the earlier rule', () => {
    const rules = [rule('all10', 1000), rule('clothes30', 3000, { categoryIds: ['clothes'] }), rule('tea10', 1000, { skuIds: ['tea'] })];
    const r = priceOrder(order([at(coat, 1), at(tea, 1)], { discounts: rules }));
    expect(r.lines[0]?.adjustments).toEqual([{ source: { kind: 'discount', ruleId: 'clothes30', reason: 'clothes30' }, fen: 9000 }]);
    expect(r.lines[1]?.adjustments).toEqual([{ source: { kind: 'discount', ruleId: 'all10', reason: 'all10' }, fen: 199 }]);
    expect(r.adjustments.map((a) => a.source.ruleId)).toEqual(['all10', 'clothes30']);
  });

  it('leaves the units a bundle took at the set price and discounts the rest of the line', () => {
    const set = { id: 'set', items: [{ skuId: 'coat', qty: 1 }, { skuId: 'tea', qty: 1 }], priceFen: 28000 };
    const r = priceOrder(order([at(coat, 2), at(tea, 1)], { bundles: [set], discounts: [rule('all20', 2000)] }));
    // One coat and the tea are in the set; the second coat alone is 八折.
    expect(taken(r, 0, 'discount')).toBe(6000);
    expect(taken(r, 1, 'discount')).toBe(0);
    expect(r.totalFen).toBe(28000 + 24000);
  });

  it('discounts the member price, and 满减 after it counts the discounted nets', () => {
    const input = order([at(shirt, 2)], { member: { id: 'mbr_1', pointsBalance: 0 }, discounts: [rule('d9', 1000)], thresholds: [{ id: 'm', name: '满160减20', minSpendFen: 16000, offFen: 2000, repeat: false }] });
    // 2 × 89.99 = 179.98, 九折 takes 17.99 (17.998 down) → 161.99 ≥ 160, so 满减 takes 20.
    const r = priceOrder(input);
    expect(taken(r, 0, 'discount')).toBe(1799);
    expect(taken(r, 0, 'threshold')).toBe(2000);
    expect(r.totalFen).toBe(17998 - 1799 - 2000);
    // A deeper discount leaves the spend under the threshold: no 满减.
    const deeper = priceOrder({ ...input, discounts: [rule('d8', 2000)] });
    expect(taken(deeper, 0, 'threshold')).toBe(0);
    expect(deeper.totalFen).toBe(17998 - 3599);
  });

  it('comes before the assistant’s line discount, which works on what the line still costs', () => {
    const r = priceOrder(order([{ ...coat, qty: 1, discount: { kind: 'percent_off', bp: 1000, reason: '熟客' } }], { discounts: [rule('d8', 2000)] }));
    expect(r.lines[0]?.adjustments.map((a) => [a.source.kind, a.fen])).toEqual([['discount', 6000], ['line_discount', 2400]]);
  });

  it('refuses a rule beyond the limit, with no scope ids, or twice the same id', () => {
    const refused = (discounts: DiscountRule[]) => () => priceOrder(order([at(tea, 1)], { discounts }));
    expect(refused([rule('x', promotion_discount_bp_max + 1)])).toThrow(PricingError);
    expect(refused([rule('x', 0)])).toThrow(PricingError);
    expect(refused([rule('x', 1000, { categoryIds: [] })])).toThrow(PricingError);
    expect(refused([rule('x', 1000), rule('x', 2000)])).toThrow(PricingError);
    expect(priceOrder(order([at(tea, 1)], { discounts: [rule('x', promotion_discount_bp_max)] })).totalFen).toBe(1999 - 1799);
  });
});
