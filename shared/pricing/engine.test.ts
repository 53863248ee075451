import { describe, expect, it } from 'vitest';
import { fen_amount_max } from '../money.js';
import { priceOrder } from './engine.js';
import { PricingError, type PricingErrorCode } from './errors.js';
import { line_quantity_max, order_lines_max } from './limits.js';
import type { BundleRule, CouponRule, Discount, PricingInput, PricingLineInput, PricingResult, ThresholdRule } from './types.js';

// The catalog every hand-worked case uses: A and B have member prices, C does not.
const A = { skuId: 'A', categoryId: 'c1', retailPriceFen: 1000, memberPriceFen: 900 };
const B = { skuId: 'B', categoryId: 'c2', retailPriceFen: 500, memberPriceFen: 450 };
const C = { skuId: 'C', categoryId: 'c1', retailPriceFen: 333 };
const member = { id: 'mbr_1', pointsBalance: 1000 };

function line(sku: Omit<PricingLineInput, 'qty'>, qty: number, discount?: Discount): PricingLineInput {
  return discount === undefined ? { ...sku, qty } : { ...sku, qty, discount };
}

function order(lines: PricingLineInput[], extra: Partial<PricingInput> = {}): PricingInput {
  return { lines, cashRounding: 'none', cashTender: false, ...extra };
}

const pct = (bp: number, reason = '熟客'): Discount => ({ kind: 'percent_off', bp, reason });
const off = (fen: number, reason = '店长同意'): Discount => ({ kind: 'amount_off', fen, reason });
const threshold = (id: string, minSpendFen: number, offFen: number, more: Partial<ThresholdRule> = {}): ThresholdRule => ({
  id, minSpendFen, offFen, repeat: false, ...more,
});
const bundle = (id: string, items: [string, number][], priceFen: number): BundleRule => ({
  id, items: items.map(([skuId, qty]) => ({ skuId, qty })), priceFen,
});

/** The invariants every priced order holds. */
function expectBalanced(result: PricingResult): void {
  let nets = 0;
  let taken = 0;
  for (const l of result.lines) {
    const lineTaken = l.adjustments.reduce((s, a) => s + a.fen, 0);
    expect(l.listFen).toBe(l.qty * l.unitListFen);
    expect(l.listFen - lineTaken).toBe(l.netFen);
    expect(l.netFen).toBeGreaterThanOrEqual(0);
    nets += l.netFen;
    taken += lineTaken;
  }
  expect(nets).toBe(result.totalFen);
  expect(taken).toBe(result.discountFen);
  expect(result.subtotalListFen - result.discountFen).toBe(result.totalFen);
  for (const a of result.adjustments) expect(a.allocation.reduce((s, share) => s + share.fen, 0)).toBe(a.fen);
}

/** Net of each line and the order's adjustments as [kind, fen]. */
function summary(result: PricingResult) {
  return {
    nets: result.lines.map((l) => l.netFen),
    order: result.adjustments.map((a) => [a.source.kind, a.fen, a.allocation.map((s) => s.fen)]),
    total: result.totalFen,
  };
}

describe('each rule alone, worked by hand', () => {
  it.each<[string, PricingInput, number[], number]>([
    ['a free item', order([line({ skuId: 'G', retailPriceFen: 0 }, 1)]), [0], 0],
    ['one fen', order([line({ skuId: 'P', retailPriceFen: 1 }, 1)]), [1], 1],
    ['retail prices', order([line(A, 2), line(B, 1)]), [2000, 500], 2500],
    ['member prices', order([line(A, 2), line(B, 1), line(C, 1)], { member }), [1800, 450, 333], 2583],
    ['line percent off', order([line(A, 3, pct(1500))]), [2550], 2550],
    ['line percent rounds the discount down: 10% of 333 is 33', order([line(C, 1, pct(1000))]), [300], 300],
    ['line 100% off', order([line(C, 1, pct(10_000))]), [0], 0],
    ['line amount off', order([line(B, 1, off(120))]), [380], 380],
    ['line amount off the whole line', order([line(B, 1, off(500))]), [0], 0],
    ['line amount off on 1 fen', order([line({ skuId: 'P', retailPriceFen: 1 }, 1, off(1))]), [0], 0],
    ['order percent off', order([line(A, 1), line(C, 1)], { orderDiscount: pct(1000) }), [900, 300], 1200],
    ['order amount off', order([line(A, 1), line(B, 1)], { orderDiscount: off(300) }), [800, 400], 1200],
    ['threshold met', order([line(A, 12)], { thresholds: [threshold('t', 10_000, 1000)] }), [11_000], 11_000],
    ['threshold met exactly', order([line(A, 10)], { thresholds: [threshold('t', 10_000, 1000)] }), [9000], 9000],
    ['threshold missed by a fen', order([line({ skuId: 'P', retailPriceFen: 9999 }, 1)], { thresholds: [threshold('t', 10_000, 1000)] }), [9999], 9999],
    ['每满 repeats', order([line(A, 35)], { thresholds: [threshold('t', 10_000, 1000, { repeat: true })] }), [32_000], 32_000],
    ['每满 with a cap', order([line(A, 35)], { thresholds: [threshold('t', 10_000, 1000, { repeat: true, capFen: 2500 })] }), [32_500], 32_500],
    ['tiers do not stack: the best wins', order([line(A, 25)], { thresholds: [threshold('t1', 10_000, 1000), threshold('t2', 20_000, 3000)] }), [22_000], 22_000],
    [
      'scoped rules on different categories both apply',
      order([line(A, 6), line(B, 3), line(C, 1)], {
        thresholds: [threshold('cat', 5000, 500, { scope: { categoryIds: ['c1'] } }), threshold('sku', 1000, 100, { scope: { skuIds: ['B'] } })],
      }),
      [5526, 1400, 307],
      7233,
    ],
    ['a scoped rule ignores other lines', order([line(A, 1), line(B, 30)], { thresholds: [threshold('t', 2000, 500, { scope: { skuIds: ['A'] } })] }), [1000, 15_000], 16_000],
    ['bundle as many times as fit', order([line(A, 3), line(B, 5)], { bundles: [bundle('k', [['A', 1], ['B', 2]], 1500)] }), [2500, 2000], 4500],
    ['the better bundle first', order([line(A, 1), line(B, 1), line(C, 1)], { bundles: [bundle('k1', [['A', 1], ['B', 1]], 1400), bundle('k2', [['A', 1], ['C', 1]], 1000)] }), [750, 500, 250], 1500],
    ['a bundle dearer than its parts is skipped', order([line(B, 2)], { bundles: [bundle('k', [['B', 2]], 1200)] }), [1000], 1000],
    ['a bundle that does not fit is skipped', order([line(A, 1)], { bundles: [bundle('k', [['A', 2]], 1500)] }), [1000], 1000],
    ['a bundle over member prices saves less', order([line(A, 1), line(B, 1)], { member, bundles: [bundle('k', [['A', 1], ['B', 1]], 1300)] }), [867, 433], 1300],
    ['a bundle pools units of one SKU over lines', order([line(B, 1), line(B, 1)], { bundles: [bundle('k', [['B', 2]], 800)] }), [400, 400], 800],
    ['points capped at half', order([line(C, 3)], { member, points: { requested: 800, rules: { redeemPointsPerFen: 1, redeemCapBp: 5000 } } }), [500], 500],
    ['points at 10 a fen use whole fen only', order([line(C, 3)], { member, points: { requested: 805, rules: { redeemPointsPerFen: 10, redeemCapBp: 5000 } } }), [919], 919],
    ['points of zero', order([line(C, 3)], { member, points: { requested: 0, rules: { redeemPointsPerFen: 1, redeemCapBp: 5000 } } }), [999], 999],
    ['points with a zero cap', order([line(C, 3)], { member, points: { requested: 500, rules: { redeemPointsPerFen: 1, redeemCapBp: 0 } } }), [999], 999],
    ['抹零 to jiao, cash', order([line(C, 3)], { cashRounding: 'jiao', cashTender: true }), [990], 990],
    ['抹零 to yuan, cash', order([line(C, 3)], { cashRounding: 'yuan', cashTender: true }), [900], 900],
    ['抹零 only for cash', order([line(C, 3)], { cashRounding: 'yuan', cashTender: false }), [999], 999],
    ['抹零 of a 1 fen order', order([line({ skuId: 'P', retailPriceFen: 1 }, 1)], { cashRounding: 'jiao', cashTender: true }), [0], 0],
    ['抹零 on a round amount', order([line(A, 1)], { cashRounding: 'yuan', cashTender: true }), [1000], 1000],
  ])('%s', (_, input, nets, total) => {
    const result = priceOrder(input);
    expectBalanced(result);
    expect(result.lines.map((l) => l.netFen)).toEqual(nets);
    expect(result.totalFen).toBe(total);
  });
});

describe('what each adjustment records', () => {
  it('member price and line discounts are line adjustments with their source', () => {
    const result = priceOrder(order([line(A, 2, pct(1000, '老顾客')), line(C, 1, off(33, '瑕疵'))], { member }));
    expect(result.lines.map((l) => l.adjustments)).toEqual([
      [{ source: { kind: 'member_price' }, fen: 200 }, { source: { kind: 'line_discount', reason: '老顾客' }, fen: 180 }],
      [{ source: { kind: 'line_discount', reason: '瑕疵' }, fen: 33 }],
    ]);
    expect(result.adjustments).toEqual([]);
    expect(result.discountFen).toBe(413);
  });

  it('a scoped threshold is split over its lines by largest remainder', () => {
    const result = priceOrder(
      order([line(A, 6), line(B, 3), line(C, 1)], {
        thresholds: [threshold('cat', 5000, 500, { name: '服装满50减5', scope: { categoryIds: ['c1'] } }), threshold('sku', 1000, 100, { scope: { skuIds: ['B'] } })],
      }),
    );
    // 500 × 6000 / 6333 = 473.7 and 500 × 333 / 6333 = 26.3; the fen left goes to line 0, whose remainder is larger.
    expect(result.adjustments).toEqual([
      { source: { kind: 'threshold', ruleId: 'cat', reason: '服装满50减5' }, fen: 500, allocation: [{ lineIndex: 0, fen: 474 }, { lineIndex: 2, fen: 26 }] },
      { source: { kind: 'threshold', ruleId: 'sku' }, fen: 100, allocation: [{ lineIndex: 1, fen: 100 }] },
    ]);
    expect(result.lines[2]?.adjustments).toEqual([{ source: { kind: 'threshold', ruleId: 'cat', reason: '服装满50减5' }, fen: 26 }]);
  });

  it('a bundle is split over the units it used', () => {
    const result = priceOrder(order([line(A, 3), line(B, 5)], { bundles: [{ ...bundle('k', [['A', 1], ['B', 2]], 1500), name: '早餐套餐' }] }));
    expect(result.adjustments).toEqual([
      { source: { kind: 'bundle', ruleId: 'k', reason: '早餐套餐' }, fen: 1000, allocation: [{ lineIndex: 0, fen: 500 }, { lineIndex: 1, fen: 500 }] },
    ]);
  });

  it('points and rounding are reported on their own', () => {
    const result = priceOrder(
      order([line(C, 3)], { member, cashRounding: 'jiao', cashTender: true, points: { requested: 805, rules: { redeemPointsPerFen: 10, redeemCapBp: 5000 } } }),
    );
    expect(result).toMatchObject({ pointsRedeemed: 800, pointsFen: 80, roundingFen: 9, totalFen: 910, discountFen: 89, subtotalListFen: 999 });
  });

  it("a member's level discount is one order adjustment, labelled with the level, spread over the lines by their nets", () => {
    const gold = { ...member, level: { name: '金卡', discountBp: 1000 } };
    const result = priceOrder(order([line(A, 1), line(C, 1)], { member: gold, thresholds: [threshold('t', 1200, 100)] }));
    // Nets after member price: 900 and 333, 1233 in all; 10% is 123.3, rounded down once to 123 and
    // split 900:333 by largest remainder (89.78 and 33.22, the fen left to line 0). The 1110 left no longer reaches 满1200减100.
    expect(result.adjustments).toEqual([
      { source: { kind: 'member_level', reason: '金卡' }, fen: 123, allocation: [{ lineIndex: 0, fen: 90 }, { lineIndex: 1, fen: 33 }] },
    ]);
    expect(result.totalFen).toBe(1233 - 123);
    expectBalanced(result);
  });

  it('a level with no discount, or no member, takes nothing', () => {
    const none = priceOrder(order([line(A, 1)], { member: { ...member, level: { name: '普通', discountBp: 0 } } }));
    expect(none.adjustments).toEqual([]);
    expect(none.totalFen).toBe(900);
  });

  it('a discount that comes to 0 fen is left out', () => {
    const result = priceOrder(order([line({ skuId: 'P', retailPriceFen: 1 }, 1, pct(5000))]));
    expect(result.lines[0]?.adjustments).toEqual([]);
    expect(result.totalFen).toBe(1);
  });
});

describe('rules together', () => {
  const all: PricingInput = {
    lines: [line(A, 3, pct(1000)), line(B, 2), line(C, 1)],
    member: { id: 'mbr_1', pointsBalance: 10_000 },
    bundles: [bundle('k', [['A', 1], ['B', 1]], 1200)],
    thresholds: [threshold('t', 1000, 50, { repeat: true, capFen: 200 })],
    orderDiscount: off(100),
    points: { requested: 500, rules: { redeemPointsPerFen: 1, redeemCapBp: 1000 } },
    cashRounding: 'yuan',
    cashTender: true,
  };

  it('every rule at once, in order, worked by hand', () => {
    const result = priceOrder(all);
    expectBalanced(result);
    // Member: 300 + 100. Bundle ×2 saves 2 × (1350 − 1200) = 300, split 200/100.
    // Line 0: 10% of 2500 = 250. Nets 2250, 800, 333 = 3383.
    // 每满10减0.5: 3 × 50 = 150 → 100/35/15. Order −100 → 66/24/10. Nets 2084, 741, 308 = 3133.
    // Points: 10% of 3133 = 313 → 208/74/31. Nets 1876, 667, 277 = 2820. 抹零 20 → 13/5/2.
    expect(summary(result)).toEqual({
      nets: [1863, 662, 275],
      order: [
        ['bundle', 300, [200, 100]],
        ['threshold', 150, [100, 35, 15]],
        ['order_discount', 100, [66, 24, 10]],
        ['points', 313, [208, 74, 31]],
        ['cash_rounding', 20, [13, 5, 2]],
      ],
      total: 2800,
    });
    expect(result).toMatchObject({ subtotalListFen: 4333, discountFen: 1533, pointsRedeemed: 313, pointsFen: 313, roundingFen: 20 });
    expect(result.lines[0]?.adjustments.map((a) => [a.source.kind, a.fen])).toEqual([
      ['member_price', 300], ['bundle', 200], ['line_discount', 250], ['threshold', 100], ['order_discount', 66], ['points', 208], ['cash_rounding', 13],
    ]);
  });

  // Pairs of steps, each on A×2 and B×2 (list 3000, member 2700), to show that each step runs on the nets the one before left.
  const pair = [line(A, 2), line(B, 2)];
  it.each<[string, PricingLineInput[], Partial<PricingInput>, number]>([
    ['bundle then threshold: 满减 counts the bundle price', pair, { bundles: [bundle('k', [['A', 1], ['B', 1]], 1000)], thresholds: [threshold('t', 2000, 200)] }, 3000 - 2 * 500 - 200],
    ['bundle then line discount on what is left', [line(A, 3, pct(5000)), line(B, 2)], { bundles: [bundle('k', [['A', 2]], 1600)] }, 1600 / 2 + 1000 / 2 + 1000],
    ['threshold then order discount on the rest', pair, { thresholds: [threshold('t', 2000, 500)], orderDiscount: pct(1000) }, 3000 - 500 - 250],
    ['order discount then points capped on the rest', pair, { member, orderDiscount: off(1000), points: { requested: 1000, rules: { redeemPointsPerFen: 1, redeemCapBp: 5000 } } }, (2700 - 1000) / 2],
    ['points then 抹零 on the rest', pair, { member, points: { requested: 5, rules: { redeemPointsPerFen: 1, redeemCapBp: 10_000 } }, cashRounding: 'yuan', cashTender: true }, 2600],
    ['line discount then threshold: a discount can drop an order below it', [line(A, 2, off(1)), line(B, 2)], { thresholds: [threshold('t', 3000, 300)] }, 2999],
    ['member price then threshold: 满减 counts member prices', pair, { member, thresholds: [threshold('t', 3000, 300)] }, 2700],
  ])('%s', (_, lines, extra, total) => {
    const result = priceOrder({ ...order(lines), ...extra });
    expectBalanced(result);
    expect(result.totalFen).toBe(total);
  });
});

describe('every combination of the eight steps', () => {
  const steps = ['member', 'bundle', 'line', 'level', 'threshold', 'order', 'points', 'rounding'] as const;
  type Step = (typeof steps)[number];
  // A level belongs to a member, so the subsets with a level and no member do not exist.
  const subsets: Step[][] = Array.from({ length: 2 ** steps.length }, (_, mask) => steps.filter((_, bit) => (mask >> bit) & 1)).filter(
    (subset) => !subset.includes('level') || subset.includes('member'),
  );

  function build(on: Set<Step>): PricingInput {
    const input = order([line(A, 3, on.has('line') ? off(150) : undefined), line(B, 2), line(C, 1)]);
    if (on.has('member')) input.member = { id: 'mbr_1', pointsBalance: 10_000 };
    if (on.has('level') && input.member) input.member.level = { name: '金卡', discountBp: 1000 };
    if (on.has('bundle')) input.bundles = [bundle('k', [['A', 1], ['B', 1]], 1200)];
    if (on.has('threshold')) input.thresholds = [threshold('t', 1000, 50, { repeat: true, capFen: 200 })];
    if (on.has('order')) input.orderDiscount = pct(1000);
    if (on.has('points')) input.points = { requested: 500, rules: { redeemPointsPerFen: 1, redeemCapBp: 1000 } };
    if (on.has('rounding')) Object.assign(input, { cashRounding: 'yuan', cashTender: true });
    return input;
  }

  // A second, much simpler model of the same rules. On this cart every step after the bundle
  // depends only on the order's total, so the total can be worked without allocating anything.
  function referenceTotal(on: Set<Step>): number {
    const unitA = on.has('member') ? 900 : 1000;
    const unitB = on.has('member') ? 450 : 500;
    let total = 3 * unitA + 2 * unitB + 333;
    if (on.has('bundle')) total -= 2 * Math.max(0, unitA + unitB - 1200);
    if (on.has('line')) total -= 150;
    if (on.has('level')) total -= Math.floor(total / 10);
    if (on.has('threshold')) total -= Math.min(200, Math.floor(total / 1000) * 50);
    if (on.has('order')) total -= Math.floor(total / 10);
    if (on.has('points')) total -= Math.min(500, Math.floor(total / 10));
    if (on.has('rounding')) total -= total % 100;
    return total;
  }

  it.each(subsets.map((subset) => [subset.join('+') || 'nothing', subset] as const))('%s', (_, subset) => {
    const on = new Set(subset);
    if (on.has('points') && !on.has('member')) {
      expect(() => priceOrder(build(on))).toThrow(expect.objectContaining({ code: 'points_invalid' }));
      return;
    }
    const result = priceOrder(build(on));
    expectBalanced(result);
    expect(result.totalFen).toBe(referenceTotal(on));
    // Every step that is on leaves its mark (rounding only when the total is not already whole yuan).
    const kindOf = { member: 'member_price', level: 'member_level', bundle: 'bundle', line: 'line_discount', threshold: 'threshold', order: 'order_discount', points: 'points' };
    const kinds = new Set(result.lines.flatMap((l) => l.adjustments.map((a) => a.source.kind)).filter((k) => k !== 'cash_rounding'));
    expect(kinds).toEqual(new Set(subset.flatMap((step) => (step === 'rounding' ? [] : [kindOf[step]]))));
  });
});

describe('large carts at the limits', () => {
  const price = 500_000; // 200 lines × 99999 × 5000 yuan stays just under fen_amount_max
  const big = (extra: Partial<PricingInput> = {}) =>
    order(Array.from({ length: order_lines_max }, (_, i) => line({ skuId: `S${i}`, retailPriceFen: price }, line_quantity_max)), extra);

  it('prices 200 lines of 99999 exactly', () => {
    const result = priceOrder(big({ orderDiscount: pct(3333) }));
    expectBalanced(result);
    expect(result.subtotalListFen).toBe(9_999_900_000_000);
    // 33.33% of 9,999,900,000,000 = 3,332,966,670,000, exactly 16,664,833,350 per line.
    expect(result.adjustments[0]?.fen).toBe(3_332_966_670_000);
    expect(new Set(result.lines.map((l) => l.netFen))).toEqual(new Set([33_334_666_650]));
    expect(result.totalFen).toBe(6_666_933_330_000);
  });

  it('prices the largest cart with every rule', () => {
    const result = priceOrder(
      big({
        member: { id: 'm', pointsBalance: fen_amount_max },
        bundles: [bundle('k', [['S0', 3], ['S1', 7]], 1)],
        thresholds: [threshold('t', 99_999_999, 12_345, { repeat: true })],
        orderDiscount: pct(1),
        points: { requested: fen_amount_max, rules: { redeemPointsPerFen: 1, redeemCapBp: 3333 } },
        cashRounding: 'yuan',
        cashTender: true,
      }),
    );
    expectBalanced(result);
    expect(result.totalFen % 100).toBe(0);
  });

  it('refuses one line too many, one unit too many and one fen too much', () => {
    const tooMany = big();
    tooMany.lines.push(line(C, 1));
    expect(() => priceOrder(tooMany)).toThrow(expect.objectContaining({ code: 'lines_invalid' }));
    expect(() => priceOrder(order([line(C, line_quantity_max + 1)]))).toThrow(expect.objectContaining({ code: 'quantity_invalid' }));
    expect(priceOrder(order([line({ skuId: 'X', retailPriceFen: fen_amount_max }, 1)])).totalFen).toBe(fen_amount_max);
    expect(() => priceOrder(order([line({ skuId: 'X', retailPriceFen: fen_amount_max }, 1), line({ skuId: 'Y', retailPriceFen: 1 }, 1)]))).toThrow(
      expect.objectContaining({ code: 'amount_invalid' }),
    );
  });
});

describe('scopes over the two-level category tree', () => {
  // 服装 (clothes) has the children 上衣 (tops) and 裤子 (trousers); 饮料 (drinks) is another top-level category.
  const coat = { skuId: 'COAT', categoryId: 'clothes', retailPriceFen: 10_000 };
  const shirt = { skuId: 'SHIRT', categoryId: 'tops', parentCategoryId: 'clothes', retailPriceFen: 8000 };
  const jeans = { skuId: 'JEANS', categoryId: 'trousers', parentCategoryId: 'clothes', retailPriceFen: 6000 };
  const tea = { skuId: 'TEA', categoryId: 'drinks', retailPriceFen: 500 };
  const coupon = (scope: { categoryIds: string[] }): CouponRule => ({ id: 'cpn', minSpendFen: 10_000, kind: 'amount_off', offFen: 1500, scope });

  it('a 满减 on the parent counts the lines of its children toward the spend and spreads its saving over them', () => {
    const result = priceOrder(order([line(shirt, 2), line(jeans, 1), line(tea, 4)], { thresholds: [threshold('t', 20_000, 2000, { scope: { categoryIds: ['clothes'] } })] }));
    expect(summary(result).nets).toEqual([16_000 - 1455, 6000 - 545, 2000]);
    expect(result.totalFen).toBe(24_000 - 2000);
    expectBalanced(result);
  });

  it('a 满减 on a child covers neither its parent’s own products nor its siblings', () => {
    const tops = { thresholds: [threshold('t', 10_000, 1000, { scope: { categoryIds: ['tops'] } })] };
    expect(priceOrder(order([line(coat, 1), line(jeans, 2)], tops)).totalFen).toBe(22_000);
    expect(priceOrder(order([line(coat, 1), line(shirt, 1)], tops)).totalFen).toBe(18_000);
    expect(priceOrder(order([line(coat, 1), line(shirt, 2)], tops)).totalFen).toBe(25_000);
  });

  it('a coupon on the parent reaches its threshold with a child’s line and takes its saving there', () => {
    const result = priceOrder(order([line(shirt, 1), line(jeans, 1), line(tea, 1)], { member, coupons: [coupon({ categoryIds: ['clothes'] })] }));
    expect(result.adjustments).toEqual([{ source: { kind: 'coupon', ruleId: 'cpn' }, fen: 1500, allocation: [{ lineIndex: 0, fen: 857 }, { lineIndex: 1, fen: 643 }] }]);
    expectBalanced(result);
  });

  it('a coupon on a child is refused for the parent’s own products and a sibling’s', () => {
    expect(() => priceOrder(order([line(coat, 1), line(jeans, 2)], { member, coupons: [coupon({ categoryIds: ['tops'] })] }))).toThrow(
      expect.objectContaining({ code: 'coupon_not_applicable', path: 'coupons.0' }),
    );
    expect(priceOrder(order([line(coat, 1), line(shirt, 2)], { member, coupons: [coupon({ categoryIds: ['tops'] })] })).totalFen).toBe(26_000 - 1500);
  });

  it('a line without its parent is priced as before the tree: the parent’s rule does not reach it', () => {
    const { parentCategoryId: _parent, ...flat } = shirt;
    expect(priceOrder(order([line(flat, 3)], { thresholds: [threshold('t', 20_000, 2000, { scope: { categoryIds: ['clothes'] } })] })).totalFen).toBe(24_000);
  });
});

describe('validation', () => {
  const pointsRules = { redeemPointsPerFen: 1, redeemCapBp: 5000 };
  it.each<[string, PricingInput, PricingErrorCode, string | undefined]>([
    ['no lines', order([]), 'lines_invalid', 'lines'],
    ['quantity 0', order([line(A, 0)]), 'quantity_invalid', 'lines.0.qty'],
    ['negative quantity', order([line(A, -1)]), 'quantity_invalid', 'lines.0.qty'],
    ['fractional quantity', order([line(A, 1.5)]), 'quantity_invalid', 'lines.0.qty'],
    ['empty sku id', order([line({ skuId: '', retailPriceFen: 1 }, 1)]), 'lines_invalid', 'lines.0.skuId'],
    ['negative price', order([line({ skuId: 'X', retailPriceFen: -1 }, 1)]), 'amount_invalid', 'lines.0.retailPriceFen'],
    ['fractional price', order([line({ skuId: 'X', retailPriceFen: 9.99 }, 1)]), 'amount_invalid', 'lines.0.retailPriceFen'],
    ['NaN price', order([line({ skuId: 'X', retailPriceFen: Number.NaN }, 1)]), 'amount_invalid', 'lines.0.retailPriceFen'],
    ['member price over retail', order([line({ skuId: 'X', retailPriceFen: 100, memberPriceFen: 101 }, 1)]), 'amount_invalid', 'lines.0.memberPriceFen'],
    ['one SKU at two prices', order([line(A, 1), line({ ...A, retailPriceFen: 999 }, 1)]), 'amount_invalid', 'lines.1'],
    ['one SKU under two parents', order([line({ ...A, parentCategoryId: 'p1' }, 1), line(A, 1)]), 'amount_invalid', 'lines.1'],
    ['a parent without a category', order([line({ skuId: 'X', parentCategoryId: 'p1', retailPriceFen: 1 }, 1)]), 'lines_invalid', 'lines.0.parentCategoryId'],
    ['a category its own parent', order([line({ ...A, parentCategoryId: 'c1' }, 1)]), 'lines_invalid', 'lines.0.parentCategoryId'],
    ['an empty parent id', order([line({ ...A, parentCategoryId: '' }, 1)]), 'lines_invalid', 'lines.0.parentCategoryId'],
    ['a line amount off over the line', order([line(B, 1, off(501))]), 'discount_exceeds_line', 'lines.0.discount'],
    ['a line amount off over the member price', order([line(B, 1, off(451))], { member }), 'discount_exceeds_line', 'lines.0.discount'],
    ['a line amount off over what the bundle left', order([line(B, 2, off(801))], { bundles: [bundle('k', [['B', 2]], 800)] }), 'discount_exceeds_line', 'lines.0.discount'],
    ['a percent over 100%', order([line(B, 1, pct(10_001))]), 'discount_invalid', 'lines.0.discount.bp'],
    ['a discount with no reason', order([line(B, 1, off(1, '  '))]), 'discount_invalid', 'lines.0.discount.reason'],
    ['a negative amount off', order([line(B, 1, off(-1))]), 'discount_invalid', 'lines.0.discount.fen'],
    ['an order amount off over the order', order([line(B, 1)], { orderDiscount: off(501) }), 'discount_exceeds_order', 'orderDiscount'],
    ['an order amount off over what 满减 left', order([line(B, 2)], { thresholds: [threshold('t', 1000, 100)], orderDiscount: off(901) }), 'discount_exceeds_order', 'orderDiscount'],
    ['points over the balance', order([line(A, 1)], { member, points: { requested: 1001, rules: pointsRules } }), 'points_exceed_balance', 'points.requested'],
    ['points without a member', order([line(A, 1)], { points: { requested: 1, rules: pointsRules } }), 'points_invalid', 'points.requested'],
    ['negative points', order([line(A, 1)], { member, points: { requested: -1, rules: pointsRules } }), 'points_invalid', 'points.requested'],
    ['a negative balance', order([line(A, 1)], { member: { id: 'm', pointsBalance: -1 } }), 'points_invalid', 'member.pointsBalance'],
    ['a zero points rate', order([line(A, 1)], { member, points: { requested: 1, rules: { redeemPointsPerFen: 0, redeemCapBp: 1 } } }), 'rule_invalid', 'points.rules.redeemPointsPerFen'],
    ['a points cap over 100%', order([line(A, 1)], { member, points: { requested: 1, rules: { redeemPointsPerFen: 1, redeemCapBp: 10_001 } } }), 'rule_invalid', 'points.rules.redeemCapBp'],
    ['a threshold saving more than it asks', order([line(A, 1)], { thresholds: [threshold('t', 100, 101)] }), 'rule_invalid', 'thresholds.0.offFen'],
    ['a threshold of 0', order([line(A, 1)], { thresholds: [threshold('t', 0, 0)] }), 'rule_invalid', 'thresholds.0.minSpendFen'],
    ['a cap without repeat', order([line(A, 1)], { thresholds: [threshold('t', 100, 10, { capFen: 50 })] }), 'rule_invalid', 'thresholds.0.capFen'],
    ['an empty scope', order([line(A, 1)], { thresholds: [threshold('t', 100, 10, { scope: { skuIds: [] } })] }), 'rule_invalid', 'thresholds.0.scope'],
    ['two rules with one id', order([line(A, 1)], { thresholds: [threshold('t', 100, 10), threshold('t', 200, 10)] }), 'rule_invalid', 'thresholds.1.id'],
    ['a bundle of nothing', order([line(A, 1)], { bundles: [bundle('k', [], 100)] }), 'rule_invalid', 'bundles.0.items'],
    ['a bundle naming a SKU twice', order([line(A, 2)], { bundles: [bundle('k', [['A', 1], ['A', 1]], 100)] }), 'rule_invalid', 'bundles.0.items.1.skuId'],
    ['a bundle at a negative price', order([line(A, 1)], { bundles: [bundle('k', [['A', 1]], -1)] }), 'rule_invalid', 'bundles.0.priceFen'],
    ['a level discount over the limit', order([line(A, 1)], { member: { ...member, level: { name: '金卡', discountBp: 5001 } } }), 'rule_invalid', 'member.level.discountBp'],
    ['a level discount that is negative', order([line(A, 1)], { member: { ...member, level: { name: '金卡', discountBp: -1 } } }), 'rule_invalid', 'member.level.discountBp'],
    ['a level with no name', order([line(A, 1)], { member: { ...member, level: { name: '', discountBp: 100 } } }), 'rule_invalid', 'member.level.name'],
    ['an unknown rounding', order([line(A, 1)], { cashRounding: 'fen' as 'none' }), 'rule_invalid', 'cashRounding'],
  ])('%s', (_, input, code, path) => {
    let caught: unknown;
    try {
      priceOrder(input);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(PricingError);
    expect(caught).toMatchObject({ code, path });
    expect((caught as PricingError).message).not.toBe('');
  });
});
