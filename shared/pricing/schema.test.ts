import { describe, expect, expectTypeOf, it } from 'vitest';
import { line_quantity_max, order_lines_max } from './limits.js';
import { pricingRequest, type DiscountInput } from './schema.js';
import type { Discount } from './types.js';

const sku = 'sku_01J0000000000000000000000A';
const ok = { lines: [{ skuId: sku, qty: 1 }], tender: 'cash' };

describe('pricing request schema', () => {
  it('accepts a minimal request and a full one', () => {
    expect(pricingRequest.parse(ok)).toEqual(ok);
    const full = {
      lines: [{ skuId: sku, qty: line_quantity_max, discount: { kind: 'percent_off', bp: 2000, reason: ' 八折 ' } }],
      memberId: 'mbr_01J0000000000000000000000B',
      orderDiscount: { kind: 'amount_off', fen: 0, reason: '抹个零头' },
      pointsToRedeem: 500,
      tender: 'wechat',
      expectedTotalFen: 0,
    };
    expect(pricingRequest.parse(full).lines[0]?.discount).toEqual({ kind: 'percent_off', bp: 2000, reason: '八折' });
  });

  it.each([
    ['a price from the client', { ...ok, lines: [{ skuId: sku, qty: 1, retailPriceFen: 1 }] }],
    ['rules from the client', { ...ok, thresholds: [] }],
    ['no lines', { ...ok, lines: [] }],
    ['one line too many', { ...ok, lines: Array.from({ length: order_lines_max + 1 }, () => ({ skuId: sku, qty: 1 })) }],
    ['quantity 0', { ...ok, lines: [{ skuId: sku, qty: 0 }] }],
    ['one unit too many', { ...ok, lines: [{ skuId: sku, qty: line_quantity_max + 1 }] }],
    ['a fractional quantity', { ...ok, lines: [{ skuId: sku, qty: 1.5 }] }],
    ['a bad SKU id', { ...ok, lines: [{ skuId: 'prd_01J0000000000000000000000A', qty: 1 }] }],
    ['a percentage over 100%', { ...ok, orderDiscount: { kind: 'percent_off', bp: 10_001, reason: 'x' } }],
    ['a discount in yuan', { ...ok, orderDiscount: { kind: 'amount_off', fen: 1.5, reason: 'x' } }],
    ['a discount with no reason', { ...ok, orderDiscount: { kind: 'amount_off', fen: 1, reason: '   ' } }],
    ['negative points', { ...ok, pointsToRedeem: -1 }],
    ['an unknown tender', { ...ok, tender: 'iou' }],
    ['a float total', { ...ok, expectedTotalFen: 9.99 }],
  ])('refuses %s', (_, body) => {
    expect(pricingRequest.safeParse(body).success).toBe(false);
  });

  it('gives discounts the engine takes as they are', () => {
    expectTypeOf<DiscountInput>().toExtend<Discount>();
  });
});
