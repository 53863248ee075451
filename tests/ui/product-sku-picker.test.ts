import { describe, expect, it } from 'vitest';
import type { SkuSummary } from '../../shared/api/catalog';
import { cart_line_qty_max } from '../../src/services/cart';
import {
  choose,
  chosenSku,
  clampQty,
  initialChoice,
  memberSaving,
  optionState,
  qtyMax,
  specDimensions,
  specText,
  stockText,
} from '../../src/pages/shop/product/sku-picker';

let n = 0;
const sku = (spec: Record<string, string>, retailPriceFen: number, available: number, memberPriceFen = retailPriceFen): SkuSummary => ({
  id: `sku_${String(++n).padStart(26, '0')}`,
  barcode: String(n),
  spec,
  retailPriceFen,
  memberPriceFen,
  available,
});

// 红 comes in S and M, 蓝 only in M; 红 M is sold out.
const redS = sku({ 颜色: '红', 尺码: 'S' }, 5900, 3, 5500);
const redM = sku({ 颜色: '红', 尺码: 'M' }, 5900, 0);
const blueM = sku({ 颜色: '蓝', 尺码: 'M' }, 4900, 10);
const shirt = [redS, redM, blueM];

describe('spec picker', () => {
  it('lists dimensions and values in the order the SKUs give them', () => {
    expect(specDimensions(shirt)).toEqual([
      { name: '颜色', values: ['红', '蓝'] },
      { name: '尺码', values: ['S', 'M'] },
    ]);
    expect(specDimensions([sku({}, 100, 1)])).toEqual([]);
  });

  it('opens on the cheapest SKU in stock', () => {
    expect(initialChoice(shirt)).toEqual({ 颜色: '蓝', 尺码: 'M' });
    expect(initialChoice([redM])).toEqual({ 颜色: '红', 尺码: 'M' });
    expect(initialChoice([])).toEqual({});
  });

  it('names a SKU only when every dimension is chosen', () => {
    expect(chosenSku(shirt, { 颜色: '红' })).toBeNull();
    expect(chosenSku(shirt, { 颜色: '红', 尺码: 'S' })).toBe(redS);
    const single = sku({}, 100, 1);
    expect(chosenSku([single], {})).toBe(single);
  });

  it('marks combinations that do not exist and those sold out', () => {
    const choice = { 颜色: '蓝', 尺码: 'M' };
    expect(optionState(shirt, choice, '颜色', '蓝')).toBe('chosen');
    expect(optionState(shirt, choice, '颜色', '红')).toBe('sold_out');
    expect(optionState(shirt, choice, '尺码', 'S')).toBe('none');
    expect(optionState(shirt, { 颜色: '红' }, '尺码', 'S')).toBe('open');
  });

  it('drops a choice that no SKU combines with the new one, and clears on a second tap', () => {
    expect(choose(shirt, { 颜色: '蓝', 尺码: 'M' }, '尺码', 'S')).toEqual({ 尺码: 'S' });
    expect(choose(shirt, { 颜色: '蓝', 尺码: 'M' }, '颜色', '红')).toEqual({ 颜色: '红', 尺码: 'M' });
    expect(choose(shirt, { 颜色: '红', 尺码: 'M' }, '颜色', '红')).toEqual({ 尺码: 'M' });
  });
});

describe('quantity and display', () => {
  it('bounds quantity by stock and the cart line limit', () => {
    expect(qtyMax(null)).toBe(0);
    expect(qtyMax(redM)).toBe(0);
    expect(qtyMax(redS)).toBe(3);
    expect(qtyMax(sku({}, 1, cart_line_qty_max + 1))).toBe(cart_line_qty_max);
    expect(clampQty(0, 3)).toBe(1);
    expect(clampQty(4, 3)).toBe(3);
    expect(clampQty(2.7, 3)).toBe(2);
    expect(clampQty(1, 0)).toBe(0);
  });

  it('shows member price only when it is lower, and stock in words', () => {
    expect(memberSaving(redS)).toBe(true);
    expect(memberSaving(blueM)).toBe(false);
    expect(specText(redS)).toBe('红 S');
    expect(stockText(null)).toBe('请选择规格');
    expect(stockText(redM)).toBe('暂时缺货');
    expect(stockText(redS)).toBe('仅剩 3 件');
    expect(stockText(blueM)).toBe('库存 10 件');
  });
});
