import { describe, expect, it } from 'vitest';
import { displayWidth, layoutReceipt, type ReceiptItem } from '../../shared/receipt/layout.js';
import { demoReceipt } from '../../shared/receipt/receipt.fixture.js';
import {
  ble_write_bytes_default,
  escposBytes,
  escposChunks,
  escposFromLayout,
  feed_before_cut_lines,
  gbkText,
  toHexChunks,
} from './escpos.js';

const hex = (bytes: ArrayLike<number>) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/** Where `needle` first occurs in `haystack`, or -1. */
function indexOf(haystack: Uint8Array, needle: readonly number[], from = 0): number {
  outer: for (let i = from; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('escposBytes', () => {
  const bytes = escposBytes(demoReceipt);

  it('starts with ESC @ and then FS & for Chinese mode', () => {
    expect(hex(bytes.slice(0, 4))).toBe('1b 40 1c 26');
  });

  it('prints the order id only inside the QR, not as a line of text under it', () => {
    const fallback = escposBytes({ ...demoReceipt, qr: `ORDER:${demoReceipt.orderId}` });
    const id = Array.from(new TextEncoder().encode(demoReceipt.orderId));
    const first = indexOf(fallback, id);
    expect(first).toBeGreaterThan(0);
    expect(indexOf(fallback, id, first + 1)).toBe(-1);
    // The one occurrence is the QR's stored data, right after its "ORDER:" prefix.
    expect(new TextDecoder().decode(fallback.slice(first - 6, first))).toBe('ORDER:');
  });

  it('carries "合计" as the GB2312 codes BACF BCC6', () => {
    expect(hex(gbkText('合计'))).toBe('ba cf bc c6');
    expect(indexOf(bytes, [0xba, 0xcf, 0xbc, 0xc6])).toBeGreaterThan(0);
  });

  it('stores the QR payload with GS ( k, the length counting cn, fn and m', () => {
    const qr = demoReceipt.qr!;
    const at = indexOf(bytes, [0x1d, 0x28, 0x6b]);
    // Model 2, module size, error correction, then store.
    expect(hex(bytes.slice(at, at + 9))).toBe('1d 28 6b 04 00 31 41 32 00');
    expect(hex(bytes.slice(at + 9, at + 17))).toBe('1d 28 6b 03 00 31 43 06');
    expect(hex(bytes.slice(at + 17, at + 25))).toBe('1d 28 6b 03 00 31 45 31');
    const store = at + 25;
    expect(hex(bytes.slice(store, store + 3))).toBe('1d 28 6b');
    const length = (bytes[store + 3] ?? 0) + (bytes[store + 4] ?? 0) * 256;
    expect(length).toBe(qr.length + 3);
    expect(hex(bytes.slice(store + 5, store + 8))).toBe('31 50 30');
    expect(new TextDecoder().decode(bytes.slice(store + 8, store + 8 + qr.length))).toBe(qr);
    expect(hex(bytes.slice(store + 8 + qr.length, store + 16 + qr.length))).toBe('1d 28 6b 03 00 31 51 30');
  });

  it('writes the two length bytes little-endian once the payload passes 252 bytes', () => {
    const items: ReceiptItem[] = [{ kind: 'qr', qr: 'a'.repeat(300) }];
    const out = escposFromLayout(items);
    const store = indexOf(out, [0x31, 0x50, 0x30]) - 5;
    expect(hex(out.slice(store, store + 5))).toBe('1d 28 6b 2f 01'); // 303 = 0x012f
  });

  it('ends with a feed and a partial cut, or only the feed when asked', () => {
    expect(hex(bytes.slice(-6))).toBe(`1b 64 0${feed_before_cut_lines} 1d 56 01`);
    expect(hex(escposBytes(demoReceipt, { cut: false }).slice(-3))).toBe(`1b 64 0${feed_before_cut_lines}`);
  });

  it('switches to double size for the store name and back, and to bold for the total', () => {
    const doubleOn = [0x1d, 0x21, 0x11, 0x1c, 0x21, 0x0c];
    const doubleOff = [0x1d, 0x21, 0x00, 0x1c, 0x21, 0x00];
    const on = indexOf(bytes, doubleOn);
    const name = indexOf(bytes, Array.from(gbkText(demoReceipt.storeName)));
    expect(on).toBeGreaterThan(0);
    expect(name).toBeGreaterThan(on);
    expect(indexOf(bytes, doubleOff, name)).toBeGreaterThan(name);
    const total = indexOf(bytes, Array.from(gbkText('合计')));
    const boldOn = indexOf(bytes, [0x1b, 0x45, 0x01]);
    expect(boldOn).toBeLessThan(total);
  });

  it('centres, then returns to left alignment before the next left line', () => {
    const items: ReceiptItem[] = [
      { kind: 'text', text: 'A', align: 'center' },
      { kind: 'text', text: 'B', align: 'left' },
      { kind: 'text', text: 'C', align: 'right' },
    ];
    expect(hex(escposFromLayout(items, { cut: false }))).toBe(
      ['1b 40 1c 26', '1b 61 01 41 0a', '1b 61 00 42 0a', '1b 61 02 43 0a', '1b 61 00', `1b 64 0${feed_before_cut_lines}`].join(' '),
    );
  });

  it('refuses a QR module size that would not fit the paper', () => {
    expect(() => escposBytes(demoReceipt, { qrModuleDots: 7 })).toThrow(RangeError);
    expect(() => escposBytes(demoReceipt, { qrModuleDots: 0 })).toThrow(RangeError);
  });
});

describe('gbkText', () => {
  it.each([
    ['￥414.00', 'a3 a4 34 31 34 2e 30 30'],
    ['¥1', 'a3 a4 31'], // the ASCII-width yen has no GBK code; its full-width form does
    ['€', 'a3 bf'], // iconv-lite gives the lone byte 0x80, which Chinese mode would read as a lead byte
    ['😀', 'a3 bf'],
    ['a\x1bi', '61 3f 69'], // an ESC in text can never reach the printer as a command
    ['\x7f', '3f'],
  ])('encodes %j as %s', (text, bytes) => {
    expect(hex(gbkText(text))).toBe(bytes);
  });

  it('gives every laid-out line exactly as many bytes as it has columns', () => {
    const strings = layoutReceipt(demoReceipt).flatMap((i) => (i.kind === 'text' ? [i.text] : []));
    strings.push('×·é — “引号” ①②', '€😀¥\u0301\u200d', 'ＡＢＣ　１２３');
    for (const s of strings) expect(gbkText(s).length, s).toBe(displayWidth(s));
  });
});

describe('BLE chunks', () => {
  const bytes = escposBytes(demoReceipt);

  it.each([1, 7, ble_write_bytes_default, 512])('cuts into writes of at most %i bytes that reassemble', (size) => {
    const chunks = escposChunks(bytes, size);
    expect(chunks.every((c) => c.length >= 1 && c.length <= size)).toBe(true);
    expect(chunks.slice(0, -1).every((c) => c.length === size)).toBe(true);
    const joined = new Uint8Array(bytes.length);
    let at = 0;
    for (const c of chunks) {
      joined.set(c, at);
      at += c.length;
    }
    expect(joined).toEqual(bytes);
  });

  it('gives each chunk a buffer of its own, as wx.writeBLECharacteristicValue needs', () => {
    const [first] = escposChunks(bytes);
    expect(first?.buffer.byteLength).toBe(ble_write_bytes_default);
  });

  it('spells chunks as hex for Alipay, reassembling to the same bytes', () => {
    const chunks = toHexChunks(bytes);
    expect(chunks[0]?.startsWith('1b401c26')).toBe(true);
    expect(chunks.every((c) => c.length <= ble_write_bytes_default * 2)).toBe(true);
    expect(chunks.join('')).toBe(hex(bytes).replaceAll(' ', ''));
    expect(toHexChunks(new Uint8Array(0))).toEqual([]);
  });

  it.each([0, 513, 2.5])('refuses a chunk size of %s', (size) => {
    expect(() => escposChunks(bytes, size)).toThrow(RangeError);
  });
});
