import * as z from 'zod/mini';
import type { Fen } from '../../shared/money';
import { fen } from './shop-schemas';

/**
 * A line holds what the shopper saw; the server prices the order again. The
 * cart lives in the main package, so it is checked with zod/mini (see shop-schemas.ts).
 */
export const cartLine = z.object({
  skuId: z.string(),
  productId: z.string(),
  name: z.string(),
  spec: z.string(),
  priceFen: fen,
  qty: z.number().check(z.int(), z.gte(1)),
});
export type CartLine = z.infer<typeof cartLine>;

export const cart_lines_max = 50;
export const cart_line_qty_max = 99;

const storedCart = z.object({ v: z.literal(1), storeCode: z.string(), lines: z.array(cartLine).check(z.maxLength(cart_lines_max)) });
export type Cart = Omit<z.infer<typeof storedCart>, 'v'>;

export function emptyCart(storeCode: string): Cart {
  return { storeCode, lines: [] };
}

/** Adds `qty` of a SKU; quantities stop at the per-line limit, new lines at the line limit. */
export function addToCart(cart: Cart, line: Omit<CartLine, 'qty'>, qty = 1): Cart {
  const existing = cart.lines.find((l) => l.skuId === line.skuId);
  if (existing) return setQty(cart, line.skuId, existing.qty + qty);
  if (cart.lines.length >= cart_lines_max) return cart;
  return { ...cart, lines: [...cart.lines, { ...line, qty: clampQty(qty) }] };
}

/** A quantity of zero or less removes the line. */
export function setQty(cart: Cart, skuId: string, qty: number): Cart {
  if (qty <= 0) return { ...cart, lines: cart.lines.filter((l) => l.skuId !== skuId) };
  return { ...cart, lines: cart.lines.map((l) => (l.skuId === skuId ? { ...l, qty: clampQty(qty) } : l)) };
}

export function cartTotalFen(cart: Cart): Fen {
  return cart.lines.reduce((sum, l) => sum + l.priceFen * l.qty, 0);
}

export function cartCount(cart: Cart): number {
  return cart.lines.reduce((sum, l) => sum + l.qty, 0);
}

export function encodeCart(cart: Cart): string {
  return JSON.stringify({ v: 1, ...cart });
}

/** A cart for another store, or one that does not parse, starts empty. */
export function decodeCart(raw: unknown, storeCode: string): Cart {
  if (typeof raw !== 'string' || raw === '') return emptyCart(storeCode);
  try {
    const parsed = storedCart.safeParse(JSON.parse(raw));
    if (parsed.success && parsed.data.storeCode === storeCode) return { storeCode, lines: parsed.data.lines };
  } catch {
    // Unreadable storage is the same as no cart.
  }
  return emptyCart(storeCode);
}

function clampQty(qty: number): number {
  return Math.min(cart_line_qty_max, Math.max(1, Math.floor(qty)));
}
