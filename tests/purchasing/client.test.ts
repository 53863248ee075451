import { describe, expect, it } from 'vitest';
import { monthToDate, purchaseLinesFrom, receiveAllTyped, receiveLinesFrom, shanghaiDay } from '../../src/services/purchasing';

const order = {
  lines: [
    { lineNo: 1, skuId: 'sku_a', name: '王老吉', spec: '', barcode: '1', qty: 24, unitCostFen: 250, receivedQty: 10, returnedQty: 0 },
    { lineNo: 2, skuId: 'sku_b', name: '红牛', spec: '', barcode: '2', qty: 10, unitCostFen: 420, receivedQty: 10, returnedQty: 0 },
  ],
};

describe('the receive form', () => {
  it.each([
    [{ sku_a: '14' }, { ok: true, value: [{ skuId: 'sku_a', qty: 14 }] }],
    [{ sku_a: '1', sku_b: '' }, { ok: true, value: [{ skuId: 'sku_a', qty: 1 }] }],
    [{ sku_a: '15' }, { ok: false, message: '王老吉：未收 14，不能收 15' }],
    [{ sku_b: '1' }, { ok: false, message: '红牛：未收 0，不能收 1' }],
    [{ sku_a: '1.5' }, { ok: false, message: '王老吉：数量须是整数' }],
    [{ sku_a: '0' }, { ok: false, message: '请至少填写一行收货数量' }],
    [{}, { ok: false, message: '请至少填写一行收货数量' }],
  ])('%j → %j', (typed, expected) => {
    expect(receiveLinesFrom(order, typed)).toEqual(expected);
  });
  it('fills what remains for a full receipt', () => {
    expect(receiveAllTyped(order)).toEqual({ sku_a: '14' });
  });
});

describe('a new order\'s lines', () => {
  it.each([
    [[{ skuId: 'sku_a', name: 'A', qtyText: '24', costText: '2.5' }], { ok: true, value: [{ skuId: 'sku_a', qty: 24, unitCostFen: 250 }] }],
    [[{ skuId: 'sku_a', name: 'A', qtyText: '1', costText: '0' }], { ok: true, value: [{ skuId: 'sku_a', qty: 1, unitCostFen: 0 }] }],
    [[{ skuId: 'sku_a', name: 'A', qtyText: '0', costText: '1' }], { ok: false, message: 'A：数量须是 1–99999 的整数' }],
    [[{ skuId: 'sku_a', name: 'A', qtyText: '100000', costText: '1' }], { ok: false, message: 'A：数量须是 1–99999 的整数' }],
    [[{ skuId: 'sku_a', name: 'A', qtyText: '2', costText: '2.555' }], { ok: false, message: 'A：进价须是金额，如 2.50' }],
    [[{ skuId: 'sku_a', name: 'A', qtyText: '2', costText: '100000.01' }], { ok: false, message: 'A：进价超出范围' }],
    [[], { ok: false, message: '请先添加商品' }],
  ])('%j → %j', (draft, expected) => {
    expect(purchaseLinesFrom(draft)).toEqual(expected);
  });
});

describe('days', () => {
  it('counts the Shanghai day, which starts at 16:00 UTC', () => {
    expect(shanghaiDay(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
    expect(shanghaiDay(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
    expect(monthToDate('2026-03-17')).toEqual({ from: '2026-03-01', to: '2026-03-17' });
  });
});
