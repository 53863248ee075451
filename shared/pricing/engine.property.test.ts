import { describe, expect, it } from 'vitest';
import { fen_amount_max } from '../money.js';
import { priceOrder } from './engine.js';
import { PricingError } from './errors.js';
import { checkCouponRule } from './coupon-check.js';
import { level_discount_bp_max, line_quantity_max, order_lines_max, promotion_discount_bp_max } from './limits.js';
import { bpOf, cash_rounding_unit_fen } from './rounding.js';
import { rng, type Rng } from './test-support.js';
import type { Adjustment, CouponRule, Discount, PricingInput, PricingLineInput, PricingResult, ThresholdRule } from './types.js';

const runs = 1500;

interface Sku {
  skuId: string;
  categoryId: string;
  parentCategoryId?: string;
  retailPriceFen: number;
  memberPriceFen?: number;
}

/** The category tree of every random cart: c0, c1 and c2 at the top, c3 and c4 children of c0, c5 a child of c1. */
const parent_of: Readonly<Record<string, string>> = { c3: 'c0', c4: 'c0', c5: 'c1' };
const randomCategory = (r: Rng) => `c${r.int(0, 5)}`;

/**
 * The model of a scope: its SKUs, its categories and their children, read
 * from the fixture's tree rather than the line's parent field, so a line that
 * lost its parent on the way would show.
 */
function scopeCovers(scope: ThresholdRule['scope'], line: PricingLineInput): boolean {
  if (scope === undefined) return true;
  const covers = (id: string) => line.categoryId !== undefined && (id === line.categoryId || id === parent_of[line.categoryId]);
  return (scope.skuIds?.includes(line.skuId) ?? false) || (scope.categoryIds?.some(covers) ?? false);
}

function randomDiscount(r: Rng, scaleFen: number): Discount {
  return r.chance(0.5)
    ? { kind: 'percent_off', bp: r.edgy(0, 10_000), reason: '随机' }
    : { kind: 'amount_off', fen: r.edgy(0, Math.max(0, scaleFen)), reason: '随机' };
}

/** One or two of the member's coupons, of every kind, with scopes and thresholds near the cart's prices. */
function randomCoupons(r: Rng, skus: readonly Sku[], priceMax: number): CouponRule[] {
  const made: CouponRule[] = Array.from({ length: r.int(1, 2) }, (_, i) => {
    const base = { id: `cpn${i}`, minSpendFen: r.chance(0.3) ? 0 : r.edgy(0, priceMax * 3) };
    const scoped = r.chance(0.4) ? { scope: r.chance(0.5) ? { categoryIds: [randomCategory(r)] } : { skuIds: [r.pick(skus).skuId] } } : {};
    const kind = r.pick(['amount_off', 'percent_off', 'free_item'] as const);
    if (kind === 'amount_off') return { ...base, ...scoped, kind, offFen: r.edgy(1, priceMax * 2) };
    if (kind === 'percent_off') return { ...base, ...scoped, kind, bp: r.edgy(1, 10_000), ...(r.chance(0.5) ? { capFen: r.edgy(1, priceMax) } : {}) };
    return { ...base, ...scoped, kind, skuId: r.pick(skus).skuId };
  });
  // Every rule made is one the server's shape check accepts, as the server's own are.
  made.forEach((c, i) => checkCouponRule(c, `coupons.${i}`));
  return made;
}

/**
 * The reference model of coupons, computed from the result's own line
 * adjustments: each coupon sees every line's net after the steps before it
 * (item-level, bundle, level, threshold) and after earlier coupons, counts the
 * lines in its scope, and takes its saving as the rule says. Returns the
 * saving each coupon must show, in order, and the lines it may touch.
 */
function couponModel(input: PricingInput, result: PricingResult): { fen: number; lines: Set<number> }[] {
  const before = new Set(['member_price', 'bundle', 'discount', 'line_discount', 'member_level', 'threshold']);
  const nets = result.lines.map((l) => l.listFen - l.adjustments.filter((a) => before.has(a.source.kind)).reduce((s, a) => s + a.fen, 0));
  const inScope = (c: CouponRule, i: number) => scopeCovers(c.scope, input.lines[i]!);
  return (input.coupons ?? []).map((c) => {
    const scope = nets.map((_, i) => i).filter((i) => inScope(c, i));
    const spend = scope.reduce((s, i) => s + nets[i]!, 0);
    expect(scope.length).toBeGreaterThan(0);
    expect(spend).toBeGreaterThanOrEqual(c.minSpendFen);
    let fen: number;
    let lines = new Set(scope);
    if (c.kind === 'amount_off') fen = Math.min(c.offFen, spend);
    else if (c.kind === 'percent_off') fen = Math.min(Math.floor((spend * c.bp) / 10_000), c.capFen ?? Infinity);
    else {
      const i = scope.find((k) => input.lines[k]!.skuId === c.skuId)!;
      fen = Math.floor(nets[i]! / input.lines[i]!.qty);
      lines = new Set([i]);
    }
    // What this coupon took, line by line, is what the next coupon no longer sees.
    result.lines.forEach((l, i) => {
      nets[i]! -= l.adjustments.filter((a) => a.source.kind === 'coupon' && a.source.ruleId === c.id).reduce((s, a) => s + a.fen, 0);
    });
    return { fen, lines };
  });
}

/** A random cart whose subtotal stays within fen_amount_max, biased to edges. */
function randomInput(r: Rng): PricingInput {
  const priceMax = r.pick([10, 1000, 100_000, 10_000_000, 1_000_000_000]);
  const skus: Sku[] = Array.from({ length: r.int(1, 8) }, (_, i) => {
    const retail = r.edgy(0, priceMax);
    const categoryId = randomCategory(r);
    const parentCategoryId = parent_of[categoryId];
    const sku: Sku = { skuId: `S${i}`, categoryId, ...(parentCategoryId ? { parentCategoryId } : {}), retailPriceFen: retail };
    if (r.chance(0.6)) sku.memberPriceFen = r.edgy(0, retail);
    return sku;
  });
  const lineCount = r.chance(0.05) ? order_lines_max : r.edgy(1, 12);
  const budget = Math.floor(fen_amount_max / lineCount);
  const lines: PricingLineInput[] = Array.from({ length: lineCount }, () => {
    const sku = r.pick(skus);
    const qtyMax = Math.max(1, Math.min(line_quantity_max, sku.retailPriceFen === 0 ? line_quantity_max : Math.floor(budget / sku.retailPriceFen)));
    const l: PricingLineInput = { ...sku, qty: r.chance(0.5) ? r.edgy(1, Math.min(qtyMax, 5)) : r.edgy(1, qtyMax) };
    if (r.chance(0.3)) l.discount = randomDiscount(r, sku.retailPriceFen);
    return l;
  });
  const input: PricingInput = {
    lines,
    cashRounding: r.pick(['none', 'jiao', 'yuan'] as const),
    cashTender: r.chance(0.5),
  };
  if (r.chance(0.5)) {
    input.member = { id: 'mbr', pointsBalance: r.edgy(0, 1_000_000) };
    if (r.chance(0.5)) input.member.level = { name: '金卡', discountBp: r.edgy(0, level_discount_bp_max) };
  }
  if (r.chance(0.4)) {
    input.bundles = Array.from({ length: r.int(1, 4) }, (_, i) => {
      const picked = new Map<string, number>();
      for (let k = r.int(1, 3); k > 0; k--) picked.set(r.pick(skus).skuId, r.int(1, 3));
      return { id: `k${i}`, items: [...picked].map(([skuId, qty]) => ({ skuId, qty })), priceFen: r.edgy(0, priceMax * 3) };
    });
  }
  if (r.chance(0.3)) {
    input.discounts = Array.from({ length: r.int(1, 3) }, (_, i) => ({
      id: `d${i}`,
      bp: r.edgy(1, promotion_discount_bp_max),
      ...(r.chance(0.5) ? { scope: r.chance(0.5) ? { categoryIds: [randomCategory(r)] } : { skuIds: [r.pick(skus).skuId] } } : {}),
    }));
  }
  if (r.chance(0.5)) {
    input.thresholds = Array.from({ length: r.int(1, 4) }, (_, i) => {
      const minSpendFen = r.edgy(1, priceMax * 5);
      const t: ThresholdRule = { id: `t${i}`, minSpendFen, offFen: r.edgy(1, minSpendFen), repeat: r.chance(0.5) };
      if (t.repeat && r.chance(0.5)) t.capFen = r.edgy(1, priceMax * 10);
      if (r.chance(0.4)) t.scope = r.chance(0.5) ? { categoryIds: [randomCategory(r)] } : { skuIds: [r.pick(skus).skuId] };
      return t;
    });
  }
  if (input.member !== undefined && r.chance(0.5)) input.coupons = randomCoupons(r, skus, priceMax);
  if (r.chance(0.3)) input.orderDiscount = randomDiscount(r, priceMax);
  if (input.member !== undefined && r.chance(0.7)) {
    input.points = {
      requested: r.edgy(0, input.member.pointsBalance),
      rules: { redeemPointsPerFen: r.pick([1, 1, 10, 100, 3]), redeemCapBp: r.edgy(0, 10_000) },
    };
  }
  return input;
}

function sameSource(a: Adjustment['source'], b: Adjustment['source']): boolean {
  return a.kind === b.kind && a.ruleId === b.ruleId && a.reason === b.reason;
}

/** Every invariant the result promises; returns nothing, fails the test on the first break. */
function checkInvariants(input: PricingInput, result: PricingResult): void {
  expect(result.lines).toHaveLength(input.lines.length);
  let nets = 0;
  let listSum = 0;
  let lineAdjustments = 0;
  result.lines.forEach((l, i) => {
    const src = input.lines[i]!;
    expect([l.lineIndex, l.skuId, l.qty, l.unitListFen, l.listFen]).toEqual([i, src.skuId, src.qty, src.retailPriceFen, src.qty * src.retailPriceFen]);
    const taken = l.adjustments.reduce((s, a) => s + a.fen, 0);
    expect(l.adjustments.every((a) => Number.isSafeInteger(a.fen) && a.fen > 0)).toBe(true);
    expect(l.listFen - taken).toBe(l.netFen);
    expect(l.netFen).toBeGreaterThanOrEqual(0);
    nets += l.netFen;
    listSum += l.listFen;
    lineAdjustments += taken;
  });
  expect(result.totalFen).toBeGreaterThanOrEqual(0);
  expect(nets).toBe(result.totalFen);
  expect(listSum).toBe(result.subtotalListFen);
  expect(lineAdjustments).toBe(result.discountFen);

  // The order computed a second way: list prices less line-level and order-level adjustments, counted from the order side.
  const lineLevel = result.lines.flatMap((l) => l.adjustments).filter((a) => a.source.kind === 'member_price' || a.source.kind === 'line_discount');
  const orderLevel = result.adjustments.reduce((s, a) => s + a.fen, 0);
  expect(result.subtotalListFen - lineLevel.reduce((s, a) => s + a.fen, 0) - orderLevel).toBe(result.totalFen);

  for (const adj of result.adjustments) {
    expect(adj.allocation.reduce((s, share) => s + share.fen, 0)).toBe(adj.fen);
    for (const share of adj.allocation) {
      const owner = result.lines[share.lineIndex]!;
      expect(owner.adjustments.some((a) => sameSource(a.source, adj.source) && a.fen === share.fen)).toBe(true);
    }
    expect(adj.allocation.map((s) => s.lineIndex)).toEqual([...adj.allocation.map((s) => s.lineIndex)].sort((a, b) => a - b));
  }

  // The level discount, computed the model's way: its share of what the goods cost after the steps before it, rounded down once.
  const levelAdj = result.adjustments.filter((a) => a.source.kind === 'member_level');
  const before = new Set(['member_price', 'bundle', 'discount', 'line_discount']);
  const goodsBeforeLevel = result.lines.reduce((s, l) => s + l.listFen - l.adjustments.filter((a) => before.has(a.source.kind)).reduce((t, a) => t + a.fen, 0), 0);
  const levelBp = input.member?.level?.discountBp ?? 0;
  expect(levelAdj.reduce((s, a) => s + a.fen, 0)).toBe(bpOf(goodsBeforeLevel, levelBp));
  expect(levelAdj.length).toBeLessThanOrEqual(1);

  // 限时折扣: at most one rule per line, only on lines its scope covers, never more than its bp of the line's list amount.
  for (const [i, l] of result.lines.entries()) {
    const own = l.adjustments.filter((a) => a.source.kind === 'discount');
    expect(own.length).toBeLessThanOrEqual(1);
    const rule = input.discounts?.find((d) => d.id === own[0]?.source.ruleId);
    if (own[0] !== undefined) expect(rule !== undefined && scopeCovers(rule.scope, input.lines[i]!) && own[0].fen <= bpOf(l.listFen, rule.bp)).toBe(true);
  }

  // Each 满减 takes its saving from lines its scope covers only; a lone rule saves what the model says on what those lines cost before it.
  const thresholdAdj = result.adjustments.filter((a) => a.source.kind === 'threshold');
  for (const adj of thresholdAdj) {
    const rule = input.thresholds!.find((t) => t.id === adj.source.ruleId)!;
    for (const share of adj.allocation) expect(scopeCovers(rule.scope, input.lines[share.lineIndex]!)).toBe(true);
  }
  const lone = input.thresholds?.length === 1 ? input.thresholds[0]! : undefined;
  if (lone !== undefined) {
    const beforeThreshold = new Set(['member_price', 'bundle', 'discount', 'line_discount', 'member_level']);
    const spend = result.lines
      .filter((_, i) => scopeCovers(lone.scope, input.lines[i]!))
      .reduce((s, l) => s + l.listFen - l.adjustments.filter((a) => beforeThreshold.has(a.source.kind)).reduce((t, a) => t + a.fen, 0), 0);
    const saving = spend < lone.minSpendFen ? 0 : !lone.repeat ? lone.offFen : Math.min(Math.floor(spend / lone.minSpendFen) * lone.offFen, lone.capFen ?? Infinity);
    expect(thresholdAdj.reduce((s, a) => s + a.fen, 0)).toBe(saving);
  }

  // Each coupon saves exactly what the model says, on lines in its scope only, and appears once.
  const expectedCoupons = couponModel(input, result);
  const couponAdj = result.adjustments.filter((a) => a.source.kind === 'coupon');
  expect(couponAdj.map((a) => a.source.ruleId)).toEqual((input.coupons ?? []).map((c) => c.id).filter((_, i) => expectedCoupons[i]!.fen > 0));
  (input.coupons ?? []).forEach((c, i) => {
    const adj = couponAdj.find((a) => a.source.ruleId === c.id);
    expect(adj?.fen ?? 0).toBe(expectedCoupons[i]!.fen);
    for (const share of adj?.allocation ?? []) expect(expectedCoupons[i]!.lines.has(share.lineIndex)).toBe(true);
  });

  const pointsAdj = result.adjustments.filter((a) => a.source.kind === 'points');
  const roundingAdj = result.adjustments.filter((a) => a.source.kind === 'cash_rounding');
  expect(pointsAdj.reduce((s, a) => s + a.fen, 0)).toBe(result.pointsFen);
  expect(roundingAdj.reduce((s, a) => s + a.fen, 0)).toBe(result.roundingFen);
  if (input.points === undefined || input.member === undefined) {
    expect([result.pointsRedeemed, result.pointsFen]).toEqual([0, 0]);
  } else {
    const { rules, requested } = input.points;
    expect(result.pointsRedeemed).toBe(result.pointsFen * rules.redeemPointsPerFen);
    expect(result.pointsRedeemed).toBeLessThanOrEqual(requested);
    expect(result.pointsRedeemed).toBeLessThanOrEqual(input.member.pointsBalance);
    // The cap is a share of what was due before points: the total plus what points and rounding took.
    expect(result.pointsFen).toBeLessThanOrEqual(bpOf(result.totalFen + result.roundingFen + result.pointsFen, rules.redeemCapBp));
  }
  const unit = cash_rounding_unit_fen[input.cashRounding];
  if (input.cashTender) {
    expect(result.totalFen % unit).toBe(0);
    expect(result.roundingFen).toBeLessThan(unit);
  } else {
    expect(result.roundingFen).toBe(0);
  }
}

describe('random carts', () => {
  it(`hold every invariant, price the same twice and leave the input alone (${runs} carts)`, () => {
    const r = rng(0x5eed);
    let priced = 0;
    let refused = 0;
    let couponRefused = 0;
    let couponApplied = 0;
    for (let run = 0; run < runs; run++) {
      const input = randomInput(r);
      const before = JSON.stringify(input);
      let result: PricingResult;
      try {
        result = priceOrder(input);
      } catch (e) {
        // Random hand discounts may exceed what is left, and random coupons may not apply; those are the only refusals a valid cart may get.
        expect(e).toBeInstanceOf(PricingError);
        expect(['discount_exceeds_line', 'discount_exceeds_order', 'coupon_not_applicable']).toContain((e as PricingError).code);
        if ((e as PricingError).code === 'coupon_not_applicable') {
          expect((e as PricingError).path).toMatch(/^coupons\.\d$/);
          couponRefused++;
        }
        refused++;
        continue;
      }
      priced++;
      if (result.adjustments.some((a) => a.source.kind === 'coupon')) couponApplied++;
      checkInvariants(input, result);
      expect(JSON.stringify(input)).toBe(before);
      expect(priceOrder(JSON.parse(before) as PricingInput)).toEqual(result);

      // Paying by card never costs less than cash, and dropping the member's points never costs less.
      if (input.cashTender) expect(priceOrder({ ...input, cashTender: false }).totalFen).toBeGreaterThanOrEqual(result.totalFen);
      if (input.points !== undefined) {
        const { points: _points, ...withoutPoints } = input;
        const plain = priceOrder({ ...withoutPoints, cashTender: false });
        expect(plain.totalFen).toBeGreaterThanOrEqual(result.totalFen);
      }
      // A coupon never makes the order cost more (when the order without it prices at all).
      if (input.coupons !== undefined) {
        const { coupons: _coupons, ...withoutCoupons } = input;
        let plain: PricingResult | undefined;
        try {
          plain = priceOrder({ ...withoutCoupons, cashTender: false });
        } catch {
          plain = undefined;
        }
        if (plain !== undefined) expect(plain.totalFen).toBeGreaterThanOrEqual(priceOrder({ ...input, cashTender: false }).totalFen);
      }
    }
    // Both sides of the coupon rules must come up often enough to be checked.
    expect(couponApplied).toBeGreaterThan(runs * 0.05);
    expect(couponRefused).toBeGreaterThan(0);
    // The generator must produce mostly valid carts, or the invariants above would be checked on too few.
    expect(priced).toBeGreaterThan(runs * 0.7);
    expect(refused).toBeGreaterThan(0);
  });

  it('break allocation ties by line index: of equal lines, the earlier ones take the extra fen', () => {
    const r = rng(99);
    for (let run = 0; run < 200; run++) {
      const price = r.edgy(1, 1000);
      const count = r.int(2, 20);
      const input: PricingInput = {
        lines: Array.from({ length: count }, (_, i) => ({ skuId: `S${i}`, retailPriceFen: price, qty: 1 })),
        orderDiscount: { kind: 'amount_off', fen: r.int(0, price * count), reason: '测' },
        cashRounding: 'none',
        cashTender: false,
      };
      const result = priceOrder(input);
      // Equal lines: the first ones take the extra fen, so nets never rise along the order.
      const nets = result.lines.map((l) => l.netFen);
      expect(nets).toEqual([...nets].sort((a, b) => a - b));
      expect(Math.max(...nets) - Math.min(...nets)).toBeLessThanOrEqual(1);
    }
  });
});
