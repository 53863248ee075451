import { assertFen, fenToYuan, yuanToFen, type Fen } from '../../../shared/money.js';

/**
 * Alipay amounts are yuan strings with at most two decimals
 * (`total_amount`, `refund_amount`, `refund_fee`). They are converted to and
 * from integer fen with `shared/money`, which works on the digits, never on
 * floating point. Amounts here are never negative.
 */

/** Alipay's range for one trade: 0.01 to 100,000,000 yuan. */
export const alipay_trade_fen_min = 1;
export const alipay_trade_fen_max = 100_000_000_00;

const alipayAmountPattern = /^\d{1,12}(?:\.\d{1,2})?$/;

/** "0.01" → 1, "12.3" → 1230; a sign, spaces, an exponent or a third decimal throw a RangeError. */
export function alipayAmountToFen(amount: string): Fen {
  if (!alipayAmountPattern.test(amount)) throw new RangeError(`not an Alipay amount: ${JSON.stringify(amount)}`);
  return yuanToFen(amount);
}

/** The amount of one trade or refund as Alipay takes it: exactly two decimals, within Alipay's range. */
export function fenToAlipayAmount(fen: Fen, what = 'amount'): string {
  assertFen(fen, what);
  if (fen < alipay_trade_fen_min || fen > alipay_trade_fen_max) {
    throw new RangeError(`${what} must be between alipay_trade_fen_min (${alipay_trade_fen_min}) and alipay_trade_fen_max (${alipay_trade_fen_max}) fen`);
  }
  return fenToYuan(fen);
}
