import { describe, expect, it } from 'vitest';
import { fenToYuan, formatFen, yuanToFen, fen_amount_max, assertFen } from './money.js';

describe('money', () => {
  it.each([
    ['0', 0], ['0.01', 1], ['0.1', 10], ['12.3', 1230], ['12.30', 1230], ['-0.01', -1], ['5', 500], ['999999999999.99', 99999999999999],
  ])('parses yuan %s as %i fen', (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen);
  });

  it.each(['', '1.234', '1e3', '.5', '1,000.00', 'NaN', '0x10', ' - 1'])('rejects %j', (yuan) => {
    expect(() => yuanToFen(yuan)).toThrow(RangeError);
  });

  it('formats fen with exactly two decimals, round trip exact', () => {
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(1)).toBe('0.01');
    expect(fenToYuan(-105)).toBe('-1.05');
    expect(formatFen(123456)).toBe('¥1,234.56');
    expect(formatFen(28320605)).toBe('¥283,206.05');
    expect(formatFen(99999)).toBe('¥999.99');
    expect(formatFen(-2418)).toBe('-¥24.18');
    expect(formatFen(-123456789)).toBe('-¥1,234,567.89');
    expect(formatFen(0)).toBe('¥0.00');
    for (const fen of [0, 1, 9, 10, 99, 100, 101, 123456789, -7]) expect(yuanToFen(fenToYuan(fen))).toBe(fen);
  });

  it('refuses fractions and amounts past the limit', () => {
    expect(() => assertFen(0.5)).toThrow(RangeError);
    expect(() => assertFen(fen_amount_max + 1)).toThrow(RangeError);
    expect(assertFen(fen_amount_max)).toBe(fen_amount_max);
  });
});
