import { describe, expect, it } from 'vitest';
import { averageTicketFen, itemsPerSaleX100 } from '../figures.js';
import { computeCommission, ruleFor, tierFor, tierProblem, type CommissionRule } from './compute.js';

describe('tiers', () => {
  it.each([
    ['one open tier', 'percent', [{ fromFen: 0, toFen: null, rateBp: 100 }], null],
    ['touching tiers', 'percent', [{ fromFen: 0, toFen: 1000, rateBp: 100 }, { fromFen: 1000, toFen: null, rateBp: 200 }], null],
    ['a gap is allowed', 'percent', [{ fromFen: 1000, toFen: 2000, rateBp: 100 }, { fromFen: 3000, toFen: null, rateBp: 200 }], null],
    ['overlap by one fen', 'percent', [{ fromFen: 0, toFen: 1001, rateBp: 100 }, { fromFen: 1000, toFen: null, rateBp: 200 }], '重叠'],
    ['open tier below another', 'percent', [{ fromFen: 0, toFen: null, rateBp: 100 }, { fromFen: 5000, toFen: 6000, rateBp: 200 }], '重叠'],
    ['given out of order, overlapping', 'per_item', [{ fromFen: 500, toFen: null, perItemFen: 2 }, { fromFen: 0, toFen: 600, perItemFen: 1 }], '重叠'],
    ['empty range', 'percent', [{ fromFen: 10, toFen: 10, rateBp: 1 }], '上限'],
    ['percent tier without a rate', 'percent', [{ fromFen: 0, toFen: null, perItemFen: 1 }], '比例'],
    ['no tiers', 'percent', [], '至少'],
  ] as const)('%s', (_n, kind, tiers, problem) => {
    const p = tierProblem(kind, tiers);
    if (problem === null) expect(p).toBeNull();
    else expect(p).toContain(problem);
  });

  it.each([
    [0, 0],
    [999_999, 0],
    [1_000_000, 1],
    [2_999_999, 1],
    [3_000_000, 2],
  ])('a month of %i fen falls in tier %i', (total, index) => {
    const tiers = [{ fromFen: 0, toFen: 1_000_000, rateBp: 100 }, { fromFen: 1_000_000, toFen: 3_000_000, rateBp: 200 }, { fromFen: 3_000_000, toFen: null, rateBp: 300 }];
    expect(tierFor(tiers, total)).toBe(tiers[index]);
  });
});

describe('precedence and amounts', () => {
  const rules: CommissionRule[] = [
    { id: 'role', scope: 'role', role: 'assistant', kind: 'percent', tiers: [{ fromFen: 0, toFen: 1_000_000, rateBp: 100 }, { fromFen: 1_000_000, toFen: null, rateBp: 200 }] },
    { id: 'drinks', scope: 'category', categoryId: 'cat_drinks', kind: 'percent', tiers: [{ fromFen: 0, toFen: null, rateBp: 50 }] },
    { id: 'tea', scope: 'sku', skuId: 'sku_tea', kind: 'per_item', tiers: [{ fromFen: 0, toFen: 1_000_000, perItemFen: 10 }, { fromFen: 1_000_000, toFen: null, perItemFen: 20 }] },
  ];

  it('picks SKU over category over role', () => {
    expect(ruleFor({ skuId: 'sku_tea', categoryId: 'cat_drinks' }, 'assistant', rules)?.id).toBe('tea');
    expect(ruleFor({ skuId: 'sku_cola', categoryId: 'cat_drinks' }, 'assistant', rules)?.id).toBe('drinks');
    expect(ruleFor({ skuId: 'sku_shirt', categoryId: 'cat_clothes' }, 'assistant', rules)?.id).toBe('role');
    expect(ruleFor({ skuId: 'sku_shirt', categoryId: 'cat_clothes' }, 'manager', rules)).toBeNull();
  });

  it('pays a child category\'s line by its parent\'s rule unless the child has its own; a sibling or the parent\'s rule never reaches down the other way', () => {
    const tree: CommissionRule[] = [
      ...rules,
      { id: 'juice', scope: 'category', categoryId: 'cat_juice', kind: 'percent', tiers: [{ fromFen: 0, toFen: null, rateBp: 80 }] },
    ];
    // 饮料 › 茶饮: no rule of its own, so 饮料's pays.
    expect(ruleFor({ skuId: 'sku_oolong', categoryId: 'cat_tea_drinks', parentCategoryId: 'cat_drinks' }, 'assistant', tree)?.id).toBe('drinks');
    // 饮料 › 果汁 has its own rule, which is more specific than 饮料's.
    expect(ruleFor({ skuId: 'sku_orange', categoryId: 'cat_juice', parentCategoryId: 'cat_drinks' }, 'assistant', tree)?.id).toBe('juice');
    // 果汁's rule does not pay for 饮料's own products; a SKU rule still beats them all.
    expect(ruleFor({ skuId: 'sku_cola', categoryId: 'cat_drinks', parentCategoryId: null }, 'assistant', tree)?.id).toBe('drinks');
    expect(ruleFor({ skuId: 'sku_tea', categoryId: 'cat_tea_drinks', parentCategoryId: 'cat_drinks' }, 'assistant', tree)?.id).toBe('tea');
    // A child of another parent falls to the role's rule.
    expect(ruleFor({ skuId: 'sku_socks', categoryId: 'cat_socks', parentCategoryId: 'cat_clothes' }, 'assistant', tree)?.id).toBe('role');
  });

  it.each([
    // Below 10 000 yuan: shirts 8 000.00 at 1% = 80.00; cola 1 500.00 at 0.5% = 7.50; 30 teas at 0.10 = 3.00.
    ['lower tier', [{ skuId: 'sku_shirt', categoryId: 'cat_clothes', netFen: 800_000, qty: 20 }, { skuId: 'sku_cola', categoryId: 'cat_drinks', netFen: 150_000, qty: 500 }, { skuId: 'sku_tea', categoryId: 'cat_drinks', netFen: 30_000, qty: 30 }], 980_000, 8000 + 750 + 300],
    // Exactly 10 000 yuan reaches the upper tier for the whole month: shirts 8 200.00 at 2% = 164.00; cola 7.50; teas 30 × 0.20 = 6.00.
    ['upper tier at the edge', [{ skuId: 'sku_shirt', categoryId: 'cat_clothes', netFen: 820_000, qty: 20 }, { skuId: 'sku_cola', categoryId: 'cat_drinks', netFen: 150_000, qty: 500 }, { skuId: 'sku_tea', categoryId: 'cat_drinks', netFen: 30_000, qty: 30 }], 1_000_000, 16_400 + 750 + 600],
    // 33.33 + 33.33 + 33.34 at 1% is 1.00 floored once on the basis; flooring each line would pay 0.99.
    ['floored once per rule', [{ skuId: 'a', categoryId: 'x', netFen: 3333, qty: 1 }, { skuId: 'b', categoryId: 'x', netFen: 3333, qty: 1 }, { skuId: 'c', categoryId: 'x', netFen: 3334, qty: 1 }], 10_000, 100],
    // Returns exceeding sales give no negative commission.
    ['net negative month', [{ skuId: 'sku_shirt', categoryId: 'cat_clothes', netFen: -5000, qty: -1 }], -5000, 0],
    ['nothing sold', [], 0, 0],
  ] as const)('%s', (_n, lines, net, amount) => {
    const r = computeCommission(lines, 'assistant', rules);
    expect(r.netSalesFen).toBe(net);
    expect(r.amountFen).toBe(amount);
  });
});

describe('average ticket and items per sale (shared/figures.ts)', () => {
  it.each([
    [0, 0, 0, 0, 0],
    [1000, 3, 7, 333, 233],
    [1001, 2, 3, 501, 150],
    [999, 2, 1, 500, 50],
  ])('%i fen, %i sales, %i items', (fen, sales, items, ticket, ips) => {
    expect(averageTicketFen(fen, sales)).toBe(ticket);
    expect(itemsPerSaleX100(items, sales)).toBe(ips);
  });
});
