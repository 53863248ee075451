import { fenToYuan, type Fen } from '../money.js';
import type { Receipt, ReceiptAdjustment } from './model.js';

/**
 * Lays a receipt out as lines for a thermal printer, and the receipt page
 * shows the same lines. Pure: the mini-program runs it too.
 *
 * Widths are printer columns. A Chinese printer in Chinese mode prints every
 * two-byte GBK code in a cell twice as wide as an ASCII character, so the
 * rule here is the printer's: printable ASCII is one column and every other
 * character is two. `api/_receipt/escpos.ts` keeps to the same rule, turning
 * a character GBK lacks into the full-width "？" rather than a one-byte "?".
 */

/** 58 mm paper at the default 12 × 24 font. */
export const receipt_columns_58mm = 32;
/** 80 mm paper at the default font. */
export const receipt_columns_80mm = 48;
export const receipt_columns_min = 24;
export const receipt_columns_max = 64;
const indent = '  ';

export type ReceiptAlign = 'left' | 'center' | 'right';
export type ReceiptTextLine = {
  kind: 'text';
  /** Never wider than the line: columns, or half of them when double. */
  text: string;
  align: ReceiptAlign;
  bold?: boolean;
  /** Double width and height: each character takes twice its columns. */
  double?: boolean;
};
export type ReceiptQrItem = { kind: 'qr'; qr: string };
export type ReceiptItem = ReceiptTextLine | ReceiptQrItem;

export type LayoutOptions = { columns: number };

export function charWidth(ch: string): 1 | 2 {
  const code = ch.codePointAt(0) ?? 0;
  return code >= 0x20 && code <= 0x7e ? 1 : 2;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch);
  return width;
}

/** The columns a laid-out line takes on paper. */
export function lineWidth(line: ReceiptTextLine): number {
  return displayWidth(line.text) * (line.double ? 2 : 1);
}

const isWordChar = (ch: string) => ch !== ' ' && charWidth(ch) === 1;

/**
 * Punctuation that may not begin a line (Chinese line-breaking rules): a
 * store name must not wrap leaving "）" alone.
 */
const no_line_start = new Set(Array.from('）)］]】」』》〉，,。.、！!？?：:；;…%％'));

export type WrapOptions = {
  /**
   * For centred text (a store name, a footer): a last line of one wide
   * character takes one more from the line before, so no character sits
   * alone under a full line.
   */
  balanceTail?: boolean;
};

/**
 * Breaks text into lines at most `width` columns wide, by code point so no
 * character is ever split. A run of ASCII (a brand, a model number) moves to
 * the next line whole when a space before it allows, and a closing bracket
 * or punctuation mark takes the character before it along to the next line.
 */
export function wrapToWidth(text: string, width: number, options: WrapOptions = {}): string[] {
  if (!Number.isInteger(width) || width < 2) throw new RangeError('width must be an integer of at least 2 columns');
  const lines: string[] = [];
  let current = '';
  let currentWidth = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (currentWidth + w > width) {
      const space = current.lastIndexOf(' ');
      const tail = current.slice(space + 1);
      const chars = Array.from(current);
      const carried = chars.at(-1) ?? '';
      if (no_line_start.has(ch) && width >= 4 && chars.length >= 2 && carried !== ' ' && !no_line_start.has(carried)) {
        lines.push(chars.slice(0, -1).join('').trimEnd());
        current = carried;
        currentWidth = charWidth(carried);
      } else if (isWordChar(ch) && space > 0 && tail.length > 0 && /^[!-~]+$/.test(tail)) {
        lines.push(current.slice(0, space).trimEnd());
        current = tail;
        currentWidth = displayWidth(tail);
      } else {
        lines.push(current.trimEnd());
        current = '';
        currentWidth = 0;
      }
      if (ch === ' ' && current === '') continue;
    }
    current += ch;
    currentWidth += w;
  }
  const previous = lines.at(-1);
  if (options.balanceTail && previous !== undefined && Array.from(current).length === 1 && currentWidth === 2 && width >= 4) {
    const chars = Array.from(previous);
    const moved = chars.at(-1) ?? '';
    if (chars.length >= 3 && moved !== ' ') {
      lines[lines.length - 1] = chars.slice(0, -1).join('').trimEnd();
      current = moved + current;
    }
  }
  if (current !== '' || lines.length === 0) lines.push(current);
  return lines;
}

/** "￥12.34", "-￥0.01". The full-width ￥ is the one GBK has; the ASCII-width ¥ would print as "?". */
export function yuan(fen: Fen): string {
  return fen < 0 ? `-￥${fenToYuan(-fen)}` : `￥${fenToYuan(fen)}`;
}

const text = (t: string, align: ReceiptAlign = 'left', style: { bold?: boolean; double?: boolean } = {}): ReceiptTextLine => ({
  kind: 'text',
  text: t,
  align,
  ...style,
});

/**
 * A label on the left and a value flush right, on one line when both fit
 * with a space between; otherwise the label wraps and the value takes a
 * right-aligned line of its own.
 */
export function pair(
  left: string,
  right: string,
  columns: number,
  options: { indent?: string; bold?: boolean } = {},
): ReceiptTextLine[] {
  const lead = options.indent ?? '';
  const style = options.bold ? { bold: true } : {};
  const lefts = wrapToWidth(left, columns - displayWidth(lead)).map((l) => lead + l);
  const last = lefts[lefts.length - 1] ?? '';
  const gap = columns - displayWidth(last) - displayWidth(right);
  if (gap >= 1) {
    lefts[lefts.length - 1] = last + ' '.repeat(gap) + right;
    return lefts.map((l) => text(l, 'left', style));
  }
  return [
    ...lefts.map((l) => text(l, 'left', style)),
    ...wrapToWidth(right, columns).map((r) => text(r, 'right', style)),
  ];
}

export const centered = (t: string, columns: number, style: { bold?: boolean; double?: boolean } = {}) =>
  wrapToWidth(t, style.double ? Math.floor(columns / 2) : columns, { balanceTail: true }).map((l) => text(l, 'center', style));

/**
 * The store name large (double size) when it fits on one line that way;
 * otherwise bold at normal size, wrapped by width, so a long name such as
 * "柜台示范店（人民路店）" never breaks into pieces with "）" alone.
 */
export function storeNameLines(name: string, columns: number): ReceiptTextLine[] {
  if (displayWidth(name) <= Math.floor(columns / 2)) return centered(name, columns, { bold: true, double: true });
  return centered(name, columns, { bold: true });
}

export const rule = (columns: number) => text('-'.repeat(columns));

// China has kept UTC+8 without daylight saving since 1991, so Asia/Shanghai
// is a fixed offset; Intl time zones are not dependable in mini-program runtimes.
const shanghai_offset_ms = 8 * 60 * 60 * 1000;

export function formatShanghaiTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO time: ${JSON.stringify(iso)}`);
  const d = new Date(ms + shanghai_offset_ms);
  const p = (n: number) => n.toString().padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

const adjustmentLines = (adjustments: readonly ReceiptAdjustment[], columns: number) =>
  adjustments.flatMap((a) => pair(a.label, yuan(a.fen), columns, { indent }));

export function layoutReceipt(receipt: Receipt, options: LayoutOptions = { columns: receipt_columns_58mm }): ReceiptItem[] {
  const { columns } = options;
  if (!Number.isInteger(columns) || columns < receipt_columns_min || columns > receipt_columns_max) {
    throw new RangeError(`columns must be an integer from ${receipt_columns_min} to ${receipt_columns_max}`);
  }
  const out: ReceiptItem[] = [];

  out.push(...storeNameLines(receipt.storeName, columns));
  if (receipt.storeAddress !== '') out.push(...centered(receipt.storeAddress, columns));
  if (receipt.header) out.push(...centered(receipt.header, columns));
  if (receipt.offline) out.push(...centered('离线单', columns, { bold: true }));
  out.push(rule(columns));

  out.push(...pair('单号', receipt.receiptNo, columns));
  // A sale billed offline and not yet synced has only the device's number, printed once as 单号.
  if (receipt.offline && receipt.offline.deviceReceiptNo !== receipt.receiptNo) out.push(...pair('设备单号', receipt.offline.deviceReceiptNo, columns));
  out.push(...pair('时间', formatShanghaiTime(receipt.paidAt), columns));
  out.push(...pair('收银员', receipt.assistantName, columns));
  if (receipt.pickupCode) out.push(...pair('取货码', receipt.pickupCode, columns, { bold: true }));
  if (receipt.tableNo) out.push(...pair('桌号', receipt.tableNo, columns));
  if (receipt.member) {
    const m = receipt.member;
    out.push(...pair('会员', m.level === '' ? m.name : `${m.name} ${m.level}`, columns));
    out.push(...pair('手机', m.phoneMasked, columns));
  }
  out.push(rule(columns));

  for (const line of receipt.lines) {
    const title = line.spec === '' ? line.name : `${line.name} ${line.spec}`;
    out.push(...wrapToWidth(title, columns).map((t) => text(t)));
    out.push(...pair(`${line.qty} x ${yuan(line.unitFen)}`, yuan(line.listFen), columns, { indent }));
    out.push(...adjustmentLines(line.adjustments, columns));
  }
  out.push(rule(columns));

  const pieces = receipt.lines.reduce((acc, l) => acc + l.qty, 0);
  out.push(...pair(`商品合计(${pieces}件)`, yuan(receipt.subtotalFen), columns));
  out.push(...adjustmentLines(receipt.orderAdjustments, columns));
  if (receipt.discountFen !== 0) out.push(...pair('优惠合计', yuan(-receipt.discountFen), columns));
  // The total is printed large when it fits in half the columns, and bold at normal size when it does not.
  const total = yuan(receipt.totalFen);
  const half = Math.floor(columns / 2);
  if (displayWidth('合计') + 1 + displayWidth(total) <= half) {
    out.push(...pair('合计', total, half, { bold: true }).map((l) => ({ ...l, double: true })));
  } else {
    out.push(...pair('合计', total, columns, { bold: true }));
  }

  if (receipt.tenders.length > 0 || receipt.cashReceivedFen !== undefined) {
    out.push(rule(columns));
    for (const t of receipt.tenders) out.push(...pair(t.label, yuan(t.fen), columns));
    if (receipt.cashReceivedFen !== undefined) out.push(...pair('实收现金', yuan(receipt.cashReceivedFen), columns));
    if (receipt.changeFen !== undefined) out.push(...pair('找零', yuan(receipt.changeFen), columns));
  }

  if (receipt.pointsEarned !== undefined || receipt.pointsBalance !== undefined) {
    out.push(rule(columns));
    if (receipt.pointsEarned !== undefined) out.push(...pair('本次积分', `+${receipt.pointsEarned}`, columns));
    if (receipt.pointsBalance !== undefined) out.push(...pair('积分余额', `${receipt.pointsBalance}`, columns));
  }

  out.push(rule(columns));
  for (const paragraph of receipt.footer.split('\n')) {
    if (paragraph.trim() !== '') out.push(...centered(paragraph, columns));
  }
  // The receipt number is printed once, at the top; the QR carries the link (or the order), so the
  // raw order id is not printed again under it.
  if (receipt.qr !== undefined) out.push({ kind: 'qr', qr: receipt.qr });
  return out;
}

/**
 * The laid-out receipt as plain text, every line exactly `columns` wide, for
 * a monospace preview and for tests. A double-size character is drawn
 * followed by spaces filling the columns its larger glyph takes on paper.
 */
export function renderPlainText(items: readonly ReceiptItem[], columns: number): string[] {
  const out: string[] = [];
  const place = (body: string, align: ReceiptAlign) => {
    const room = columns - displayWidth(body);
    if (room < 0) throw new RangeError(`line wider than ${columns} columns: ${JSON.stringify(body)}`);
    const left = align === 'left' ? 0 : align === 'right' ? room : Math.floor(room / 2);
    out.push(' '.repeat(left) + body + ' '.repeat(room - left));
  };
  for (const item of items) {
    if (item.kind === 'qr') {
      for (const l of wrapToWidth(`[QR] ${item.qr}`, columns)) place(l, 'left');
      continue;
    }
    const body = item.double
      ? Array.from(item.text, (ch) => ch + ' '.repeat(charWidth(ch))).join('')
      : item.text;
    place(body, item.align);
  }
  return out;
}

/** One line of the on-screen preview: its text placed in its own width, and how it is printed. */
export type ReceiptPreviewItem = { kind: 'text'; text: string; bold: boolean; double: boolean } | ReceiptQrItem;

/**
 * The laid-out receipt for the screen: each text line padded to the columns
 * it may use (half of them for a double-size line, which the screen draws
 * in a font twice as large), so "合计 ￥16.29" reads as one word the way the
 * printer prints it, not spaced out letter by letter; the QR stays an item
 * the screen draws as a QR code.
 */
export function previewItems(items: readonly ReceiptItem[], columns: number): ReceiptPreviewItem[] {
  return items.map((item) => {
    if (item.kind === 'qr') return item;
    const room = (item.double ? Math.floor(columns / 2) : columns) - displayWidth(item.text);
    if (room < 0) throw new RangeError(`line wider than ${columns} columns: ${JSON.stringify(item.text)}`);
    const left = item.align === 'left' ? 0 : item.align === 'right' ? room : Math.floor(room / 2);
    return { kind: 'text', text: ' '.repeat(left) + item.text + ' '.repeat(room - left), bold: item.bold ?? false, double: item.double ?? false };
  });
}
