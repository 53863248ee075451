import { describe, expect, it } from 'vitest';
import { addToCart, cart_line_qty_max, cart_lines_max, cartCount, cartTotalFen, decodeCart, emptyCart, encodeCart, setQty } from '../../src/services/cart';

const line = (n: number, priceFen = 100) => ({ skuId: `sku_${n}`, productId: `prd_${n}`, name: `商品${n}`, spec: '', priceFen });

describe('cart', () => {
  it('adds, merges and totals in fen', () => {
    let cart = emptyCart('DEMO01');
    cart = addToCart(cart, line(1, 1), 2);
    cart = addToCart(cart, line(2, 999));
    cart = addToCart(cart, line(1, 1));
    expect(cart.lines).toHaveLength(2);
    expect(cartCount(cart)).toBe(4);
    expect(cartTotalFen(cart)).toBe(3 + 999);
  });

  it('removes a line at zero and clamps large quantities', () => {
    let cart = addToCart(emptyCart('DEMO01'), line(1));
    cart = setQty(cart, 'sku_1', 1000);
    expect(cart.lines[0]?.qty).toBe(cart_line_qty_max);
    expect(setQty(cart, 'sku_1', 0).lines).toEqual([]);
    expect(setQty(cart, 'sku_1', -3).lines).toEqual([]);
  });

  it('stops adding lines at the limit', () => {
    let cart = emptyCart('DEMO01');
    for (let i = 0; i <= cart_lines_max; i++) cart = addToCart(cart, line(i));
    expect(cart.lines).toHaveLength(cart_lines_max);
  });

  it('round-trips, and starts empty for another store or junk', () => {
    const cart = addToCart(emptyCart('DEMO01'), line(1, 250), 3);
    expect(decodeCart(encodeCart(cart), 'DEMO01')).toEqual(cart);
    expect(decodeCart(encodeCart(cart), 'OTHER1')).toEqual(emptyCart('OTHER1'));
    expect(decodeCart('not json', 'DEMO01')).toEqual(emptyCart('DEMO01'));
    expect(decodeCart(JSON.stringify({ v: 1, storeCode: 'DEMO01', lines: [{ ...line(1), priceFen: 1.5, qty: 1 }] }), 'DEMO01')).toEqual(emptyCart('DEMO01'));
  });
});
