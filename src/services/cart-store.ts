import Taro from '@tarojs/taro';
import { addToCart, decodeCart, emptyCart, encodeCart, setQty, type Cart, type CartLine } from './cart';

const storage_key = 'guitai.cart';

export function loadCart(storeCode: string): Cart {
  try {
    return decodeCart(Taro.getStorageSync(storage_key), storeCode);
  } catch {
    return decodeCart(undefined, storeCode);
  }
}

function save(cart: Cart): Cart {
  Taro.setStorageSync(storage_key, encodeCart(cart));
  return cart;
}

export function addLine(storeCode: string, line: Omit<CartLine, 'qty'>): Cart {
  return save(addToCart(loadCart(storeCode), line));
}

export function changeQty(storeCode: string, skuId: string, qty: number): Cart {
  return save(setQty(loadCart(storeCode), skuId, qty));
}

/** After an order is paid its goods leave the cart. */
export function clearCart(storeCode: string): Cart {
  return save(emptyCart(storeCode));
}
