import { describe, expect, it } from 'vitest';
import { checkDigit, ean13, retailBarcodeKind } from './barcode.js';

describe('retail barcodes', () => {
  it.each([
    ['6901234567892', 'ean13'], // a Chinese (69) prefix code with a worked check digit
    ['4006381333931', 'ean13'],
    ['96385074', 'ean8'],
    ['036000291452', 'upca'],
  ])('accepts %s as %s', (code, kind) => {
    expect(retailBarcodeKind(code)).toBe(kind);
  });

  it.each(['6901234567893', '96385075', '036000291453', '69012345678', 'abcdefghijklm', ''])('rejects %s', (code) => {
    expect(retailBarcodeKind(code)).toBeNull();
  });

  it('computes check digits by the 3-1 weighting from the right', () => {
    expect(checkDigit('400638133393')).toBe(1);
    expect(ean13('690123456789')).toBe('6901234567892');
    expect(() => ean13('69012345678')).toThrow(RangeError);
  });
});
