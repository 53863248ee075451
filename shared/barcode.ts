/**
 * Retail barcodes carry a check digit: EAN-13, EAN-8 and UPC-A all weight the
 * digits 3,1,3,1… from the right (the check digit excluded) and pick the digit
 * that makes the sum a multiple of 10.
 */
export type BarcodeKind = 'ean13' | 'ean8' | 'upca';

export function checkDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    if (digit < 0 || digit > 9) throw new RangeError('barcode body must be digits');
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

const lengths: Record<number, BarcodeKind> = { 13: 'ean13', 8: 'ean8', 12: 'upca' };

/** The kind of a valid retail barcode, or null if the length or check digit is wrong. */
export function retailBarcodeKind(code: string): BarcodeKind | null {
  if (!/^\d+$/.test(code)) return null;
  const kind = lengths[code.length];
  if (!kind) return null;
  return checkDigit(code.slice(0, -1)) === Number(code.slice(-1)) ? kind : null;
}

/** Completes a 12-digit body into a valid EAN-13. */
export function ean13(body12: string): string {
  if (!/^\d{12}$/.test(body12)) throw new RangeError('an EAN-13 body has 12 digits');
  return body12 + String(checkDigit(body12));
}
