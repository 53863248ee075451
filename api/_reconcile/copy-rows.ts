import type { BillLine } from '../../shared/bills/types.js';
import type { RawRow } from './lines.js';

const copySpecial = /[\\\t\n\r]/;

/** A value as COPY's text format reads it: backslash, tab and line breaks escaped. */
export function copyText(v: string): string {
  if (!copySpecial.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

const tab = 0x09;
const newline = 0x0a;
const kindBytes = { payment: Buffer.from('payment'), refund: Buffer.from('refund') };
const successBytes = Buffer.from('SUCCESS');
/** COPY text's NULL. */
const nullBytes = Buffer.from('\\N');
/** The bill prints Beijing time; Postgres reads the offset. */
const beijingOffset = Buffer.from('+08');

/**
 * reconcile_bill_lines rows in COPY text format, built in one growing
 * buffer: (bill_key, line_no, kind, out_no, out_trade_no, platform_no,
 * occurred_at, amount_fen, status, fee_milli). Raw rows are copied from the
 * bill's bytes, escaping only what COPY would misread.
 */
export class CopyRowBuffer {
  private buf = Buffer.allocUnsafe(1 << 20);
  length = 0;
  private lineNo = 0;
  private readonly prefix: Buffer;

  constructor(billKey: number) {
    this.prefix = Buffer.from(`${billKey}\t`);
  }

  /** Hands over what is written so far and starts again. */
  take(): Buffer {
    const chunk = Buffer.from(this.buf.subarray(0, this.length));
    this.length = 0;
    return chunk;
  }

  line(l: BillLine): void {
    this.lineNo++;
    const text = `${this.lineNo}\t${l.kind}\t${copyText(l.outNo)}\t${l.kind === 'payment' ? '\\N' : copyText(l.outTradeNo)}\t${copyText(l.platformNo)}\t${l.occurredAt.toISOString()}\t${l.amountFen}\t${copyText(l.status)}\t${l.feeMilliFen}\n`;
    this.room(this.prefix.length + Buffer.byteLength(text));
    this.bytes(this.prefix, 0, this.prefix.length);
    this.length += this.buf.write(text, this.length);
  }

  raw(src: Uint8Array, row: RawRow): void {
    const at = row.at;
    // Escaping at most doubles a field; numbers and fixed words are short.
    this.room(this.prefix.length + 2 * (at[1]! - at[0]! + at[3]! - at[2]! + at[5]! - at[4]! + (at[8]! < 0 ? 0 : at[9]! - at[8]!)) + 96);
    this.lineNo++;
    this.bytes(this.prefix, 0, this.prefix.length);
    this.int(this.lineNo);
    this.byte(tab);
    const kind = row.refund ? kindBytes.refund : kindBytes.payment;
    this.bytes(kind, 0, kind.length);
    this.byte(tab);
    this.field(src, at[0]!, at[1]!);
    this.byte(tab);
    // A payment line's out_trade_no is its own number: stored as null rather than twice.
    if (row.refund) this.field(src, at[2]!, at[3]!);
    else this.bytes(nullBytes, 0, nullBytes.length);
    this.byte(tab);
    this.field(src, at[4]!, at[5]!);
    this.byte(tab);
    this.bytes(src, at[6]!, at[7]!);
    this.bytes(beijingOffset, 0, beijingOffset.length);
    this.byte(tab);
    this.int(row.amountFen);
    this.byte(tab);
    if (at[8]! < 0) this.bytes(successBytes, 0, successBytes.length);
    else this.field(src, at[8]!, at[9]!);
    this.byte(tab);
    this.int(row.feeMilliFen);
    this.byte(newline);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }

  private byte(b: number): void {
    this.buf[this.length++] = b;
  }

  private bytes(src: Uint8Array, s: number, e: number): void {
    const buf = this.buf;
    let o = this.length;
    for (let i = s; i < e; i++) buf[o++] = src[i]!;
    this.length = o;
  }

  /** Text of the bill as COPY reads it: a backslash or tab inside a field is escaped (a line break cannot be inside a line). */
  private field(src: Uint8Array, s: number, e: number): void {
    const buf = this.buf;
    let o = this.length;
    for (let i = s; i < e; i++) {
      const b = src[i]!;
      if (b === 0x5c) {
        buf[o++] = 0x5c;
        buf[o++] = 0x5c;
      } else if (b === tab) {
        buf[o++] = 0x5c;
        buf[o++] = 0x74;
      } else buf[o++] = b;
    }
    this.length = o;
  }

  private int(v: number): void {
    if (v < 0) {
      this.byte(0x2d);
      v = -v;
    }
    if (v < 10) {
      this.byte(0x30 + v);
      return;
    }
    let digits = 0;
    for (let n = v; n > 0; n = Math.floor(n / 10)) digits++;
    let o = this.length + digits;
    this.length = o;
    while (v > 0) {
      this.buf[--o] = 0x30 + (v % 10);
      v = Math.floor(v / 10);
    }
  }
}
