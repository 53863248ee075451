import iconv from 'iconv-lite';
import { layoutReceipt, receipt_columns_58mm, type ReceiptAlign, type ReceiptItem } from '../../shared/receipt/layout.js';
import type { Receipt } from '../../shared/receipt/model.js';

/**
 * ESC/POS bytes for a receipt, for the 58 mm Bluetooth printers Chinese shops
 * buy (Xprinter, GOOJPRT, SPRT, HPRT and their many rebadges).
 *
 * Chinese text: after ESC @ we send FS & (1C 26), which selects Chinese
 * character mode, where a byte from 0x81 up starts a two-byte GB code. It is
 * the command these printers' manuals document, most of them power up in it
 * anyway, and on the rest ESC @ may leave it off, so sending it costs two
 * bytes and removes the doubt. ESC t (a single-byte code page) is the wrong
 * tool: no single-byte page holds Chinese. Text is encoded as GBK; cheaper
 * heads carry only the GB2312 subset of glyphs and print a blank cell for the
 * rest, still two columns wide, so the layout holds either way.
 */

const ESC = 0x1b;
const FS = 0x1c;
const GS = 0x1d;
const LF = 0x0a;

export const qr_module_dots_min = 1;
/** At 6 dots a module the largest payload the model admits still fits a 58 mm head; see qr_payload_bytes_max. */
export const qr_module_dots_max = 6;
export const qr_module_dots_default = 6;
/** Blank lines fed before the cut so the last printed line clears the tear bar. */
export const feed_before_cut_lines = 4;
/** A BLE write without a negotiated MTU carries 23 − 3 bytes of payload; WeChat documents 20 as the safe size. */
export const ble_write_bytes_default = 20;
/** The largest attribute value BLE allows. */
export const ble_write_bytes_max = 512;

export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

export type EscposOptions = {
  columns?: number;
  qrModuleDots?: number;
  qrErrorCorrection?: QrErrorCorrection;
  /** Printers without a cutter ignore GS V; set false to leave it out entirely. */
  cut?: boolean;
};

const alignCode: Record<ReceiptAlign, number> = { left: 0, center: 1, right: 2 };
const errorCorrectionCode: Record<QrErrorCorrection, number> = { L: 48, M: 49, Q: 50, H: 51 };

// Full-width replacement for what GBK cannot show, so a character keeps the
// two columns the layout gave it. The ASCII-width ¥ maps to ￥, its GBK form.
const FULLWIDTH_QUESTION = [0xa3, 0xbf] as const;
const substitutes: Record<string, string> = { '¥': '￥' };

/**
 * The bytes the printer receives for a line of text: printable ASCII as
 * itself, every other character as exactly two GBK bytes. Control characters
 * become "?" so text can never smuggle in a command (a cut, a drawer kick).
 */
export function gbkText(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const raw of text) {
    const ch = substitutes[raw] ?? raw;
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) {
      bytes.push(code >= 0x20 && code !== 0x7f ? code : 0x3f);
      continue;
    }
    const encoded = iconv.encode(ch, 'gbk');
    const lead = encoded[0] ?? 0;
    const trail = encoded[1] ?? 0;
    // iconv-lite answers "?" for a missing character and one byte 0x80 for €,
    // neither of which a printer in Chinese mode reads as one wide character.
    if (encoded.length === 2 && lead >= 0x81 && lead <= 0xfe && trail >= 0x40 && trail <= 0xfe && trail !== 0x7f) {
      bytes.push(lead, trail);
    } else {
      bytes.push(...FULLWIDTH_QUESTION);
    }
  }
  return Uint8Array.from(bytes);
}

/** GS ( k with its two-byte little-endian length of what follows pL pH. */
function qrFunction(cn: number, fn: number, params: readonly number[]): number[] {
  const length = params.length + 2;
  return [GS, 0x28, 0x6b, length & 0xff, length >> 8, cn, fn, ...params];
}

function qrBytes(payload: string, moduleDots: number, errorCorrection: QrErrorCorrection): number[] {
  const data = Array.from(payload, (ch) => {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) throw new RangeError('QR payload must be printable ASCII');
    return code;
  });
  const QR = 0x31;
  return [
    ...qrFunction(QR, 0x41, [0x32, 0x00]), // model 2
    ...qrFunction(QR, 0x43, [moduleDots]), // module size in dots
    ...qrFunction(QR, 0x45, [errorCorrectionCode[errorCorrection]]),
    ...qrFunction(QR, 0x50, [0x30, ...data]), // store the data
    ...qrFunction(QR, 0x51, [0x30]), // print the stored symbol
  ];
}

/** Encodes laid-out items; `escposBytes` is this over `layoutReceipt`. */
export function escposFromLayout(items: readonly ReceiptItem[], options: EscposOptions = {}): Uint8Array {
  const moduleDots = options.qrModuleDots ?? qr_module_dots_default;
  if (!Number.isInteger(moduleDots) || moduleDots < qr_module_dots_min || moduleDots > qr_module_dots_max) {
    throw new RangeError(`qrModuleDots must be an integer from ${qr_module_dots_min} to ${qr_module_dots_max}`);
  }
  const out: number[] = [ESC, 0x40, FS, 0x26];
  let align = 0;
  let bold = false;
  let double = false;
  // Alignment only takes effect at the start of a line, and each command is
  // sent only when it changes, because every byte costs time over BLE.
  const setAlign = (a: number) => {
    if (a !== align) out.push(ESC, 0x61, a);
    align = a;
  };
  const setBold = (b: boolean) => {
    if (b !== bold) out.push(ESC, 0x45, b ? 1 : 0);
    bold = b;
  };
  // GS ! sizes ASCII and, on most Chinese printers, Chinese too; FS ! is the
  // Chinese-mode command some firmware heeds instead, so both are sent.
  const setDouble = (d: boolean) => {
    if (d !== double) out.push(GS, 0x21, d ? 0x11 : 0x00, FS, 0x21, d ? 0x0c : 0x00);
    double = d;
  };

  for (const item of items) {
    if (item.kind === 'qr') {
      setAlign(alignCode.center);
      setBold(false);
      setDouble(false);
      out.push(...qrBytes(item.qr, moduleDots, options.qrErrorCorrection ?? 'M'), LF);
      continue;
    }
    setAlign(alignCode[item.align]);
    setBold(item.bold ?? false);
    setDouble(item.double ?? false);
    out.push(...gbkText(item.text), LF);
  }
  setAlign(alignCode.left);
  setBold(false);
  setDouble(false);
  out.push(ESC, 0x64, feed_before_cut_lines);
  if (options.cut ?? true) out.push(GS, 0x56, 0x01); // partial cut
  return Uint8Array.from(out);
}

export function escposBytes(receipt: Receipt, options: EscposOptions = {}): Uint8Array {
  const items = layoutReceipt(receipt, { columns: options.columns ?? receipt_columns_58mm });
  return escposFromLayout(items, options);
}

function checkChunkBytes(chunkBytes: number) {
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > ble_write_bytes_max) {
    throw new RangeError(`chunkBytes must be an integer from 1 to ${ble_write_bytes_max}`);
  }
}

/**
 * Splits bytes into BLE writes. Each chunk is a copy with a buffer of its
 * own, because wx.writeBLECharacteristicValue takes an ArrayBuffer and a view
 * would hand it the whole receipt.
 */
export function escposChunks(bytes: Uint8Array, chunkBytes: number = ble_write_bytes_default): Uint8Array[] {
  checkChunkBytes(chunkBytes);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += chunkBytes) chunks.push(bytes.slice(i, i + chunkBytes));
  return chunks;
}

/** The same chunks as lower-case hex strings, the form my.writeBLECharacteristicValue takes on Alipay. */
export function toHexChunks(bytes: Uint8Array, chunkBytes: number = ble_write_bytes_default): string[] {
  return escposChunks(bytes, chunkBytes).map((chunk) =>
    Array.from(chunk, (b) => b.toString(16).padStart(2, '0')).join(''),
  );
}
