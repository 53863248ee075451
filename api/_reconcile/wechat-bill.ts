import type { BillLine, BillTotals } from '../../shared/bills/types.js';
import { yuanToFen } from '../../shared/money.js';
import { isUtf8 } from 'node:buffer';
import { BillFormatError, BillOwnerMismatch, beijingTime, splitCsv, yuanToMilliFen, type ByteChunks, type LineSink, type RawRow, type RawRowSink, type BillOwner } from './lines.js';

const summaryHeader = '总交易单数';

/** Sums kept while reading, then held against the summary the bill prints. */
interface Sums {
  rows: number;
  settleFen: number;
  refundFen: number;
  feeMilli: number;
  orderFen: number;
  appliedRefundFen: number;
}

/** The columns a detail row is read from, found by name in the header; -1 when the variant has none. */
interface Cols {
  time: number;
  tradeNo: number;
  outTradeNo: number;
  state: number;
  settle: number;
  order: number;
  refund: number;
  applied: number;
  fee: number;
  refundNo: number;
  wxRefundNo: number;
  refundState: number;
  /** 商户号 and 特约商户号, read only when the bill's owner is checked. */
  mchid: number;
  subMchid: number;
  /** The highest of them: a row is cut no further. */
  last: number;
}

function colsOf(header: Map<string, number>, owner: WechatOwner | undefined): Cols {
  const at = (name: string) => header.get(name) ?? -1;
  const ownerAt = (name: string) => (owner ? at(name) : -1);
  const c = {
    time: at('交易时间'), tradeNo: at('微信订单号'), outTradeNo: at('商户订单号'), state: at('交易状态'), settle: at('应结订单金额'), order: at('订单金额'),
    refund: at('退款金额'), applied: at('申请退款金额'), fee: at('手续费'), refundNo: at('商户退款单号'), wxRefundNo: at('微信退款单号'), refundState: at('退款状态'), mchid: ownerAt('商户号'), subMchid: ownerAt('特约商户号'), last: 0,
  };
  c.last = Math.max(...Object.values(c));
  return c;
}

const summaryBytes = Buffer.from(summaryHeader);
const backtick = 0x60;

/**
 * Reads a WeChat Pay v3 trade bill (A11) line by line: a header, backticked
 * detail rows, then a summary header and one values line. Columns are found
 * by name, never by position, because the ALL, SUCCESS and REFUND variants
 * differ. Every row goes to `sink` as it is read; at the end the printed
 * totals must equal the sums of the rows, or the whole bill is refused.
 * Detail rows are read straight from the bytes (a million lines a day is
 * the case it is built for); a row with a quoted field, and every other
 * line, goes through the general CSV reading.
 */
/** The owner as bytes, compared against each row's 商户号 and 特约商户号 without making strings. */
interface WechatOwner {
  mchid: Buffer;
  /** The sub-merchant's number; null for a direct merchant, whose rows print `0` or nothing. */
  subMchid: Buffer | null;
  text: { mchid: string; subMchid: string | null };
}

const zeroBytes = Buffer.from('0');

/**
 * Refuses a row that is not the owner's (#18): its 商户号 must be the
 * owner's and its 特约商户号 the owner's sub-merchant (or none, for a direct
 * merchant). One foreign row refuses the whole bill, so another merchant's
 * trades never reach this merchant's reconciliation.
 */
function checkOwner(buf: Buffer, fields: Int32Array, c: Cols, owner: WechatOwner, lineNo: number): void {
  const ms = fields[2 * c.mchid]!;
  const me = fields[2 * c.mchid + 1]!;
  const ss = c.subMchid < 0 ? 0 : fields[2 * c.subMchid]!;
  const se = c.subMchid < 0 ? 0 : fields[2 * c.subMchid + 1]!;
  const mchOk = me - ms === owner.mchid.length && startsWith(buf, ms, me, owner.mchid);
  const subOk = owner.subMchid ? se - ss === owner.subMchid.length && startsWith(buf, ss, se, owner.subMchid) : se === ss || (se - ss === 1 && buf[ss] === zeroBytes[0]);
  if (!mchOk || !subOk) throw new BillOwnerMismatch(`第 ${lineNo} 行是商户号 ${buf.toString('utf8', ms, me)}${se > ss ? `、特约商户号 ${buf.toString('utf8', ss, se)}` : ''} 的交易，不是本商户（${owner.text.subMchid ? `特约商户号 ${owner.text.subMchid}` : `商户号 ${owner.text.mchid}`}）的账单`);
}

/**
 * With `owner` given (every bill stored for a merchant), each row must be
 * that merchant's, or the bill is refused (`BillOwnerMismatch`); the header
 * must then carry 商户号, and 特约商户号 for a sub-merchant's bill.
 */
export async function parseWechatBill(chunks: ByteChunks, sink: LineSink, raw?: RawRowSink, billOwner?: Extract<BillOwner, { channel: 'wechat' }>): Promise<BillTotals> {
  const owner: WechatOwner | undefined = billOwner && { mchid: Buffer.from(billOwner.mchid), subMchid: billOwner.subMchid ? Buffer.from(billOwner.subMchid) : null, text: { mchid: billOwner.mchid, subMchid: billOwner.subMchid } };
  const row: RawRow = { refund: false, amountFen: 0, feeMilliFen: 0, occurredMs: 0, at: new Int32Array(10) };
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let header: Map<string, number> | null = null;
  let cols: Cols | null = null;
  let summaryCols: string[] | null = null;
  let summary: string[] | null = null;
  let lineNo = 0;
  const sums: Sums = { rows: 0, settleFen: 0, refundFen: 0, feeMilli: 0, orderFen: 0, appliedRefundFen: 0 };
  const totals: BillTotals = { lines: 0, payments: 0, refunds: 0, paymentFen: 0, refundFen: 0, feeMilliFen: 0 };
  let pending: BillLine[] = [];
  let fields = new Int32Array(64);

  const takeText = (line: string) => {
    if (line.trim() === '') return;
    if (summary) throw new BillFormatError(`第 ${lineNo} 行：汇总之后不应再有内容`);
    if (summaryCols) {
      summary = splitCsv(line).map(unTick);
      return;
    }
    if (!header) {
      header = new Map(splitCsv(line).map((name, i) => [name.trim(), i]));
      for (const need of ['交易时间', '微信订单号', '商户订单号', '交易状态', '手续费']) {
        if (!header.has(need)) throw new BillFormatError(`第 1 行：表头缺少“${need}”，不是微信支付交易账单`);
      }
      if (owner && !header.has('商户号')) throw new BillOwnerMismatch('第 1 行：表头缺少“商户号”，无法确认账单属于本商户');
      if (owner?.subMchid && !header.has('特约商户号')) throw new BillOwnerMismatch('第 1 行：表头缺少“特约商户号”，无法确认账单属于本商户');
      cols = colsOf(header, owner);
      if (fields.length < 2 * (cols.last + 1)) fields = new Int32Array(2 * (cols.last + 1));
      return;
    }
    if (line.startsWith(summaryHeader)) {
      summaryCols = splitCsv(line).map((s) => s.trim());
      return;
    }
    if (!line.startsWith('`')) throw new BillFormatError(`第 ${lineNo} 行：明细字段应以 \` 开头`);
    const f = splitCsv(line).map(unTick);
    if (owner && cols) {
      // The general path (a quoted field somewhere): the same check on the row's text.
      const text = (col: number) => (col < 0 ? '' : (f[col] ?? '').trim());
      const sub = text(cols.subMchid);
      if (text(cols.mchid) !== owner.text.mchid || (owner.text.subMchid ? sub !== owner.text.subMchid : sub !== '' && sub !== '0')) {
        throw new BillOwnerMismatch(`第 ${lineNo} 行是商户号 ${text(cols.mchid)}${sub ? `、特约商户号 ${sub}` : ''} 的交易，不是本商户的账单`);
      }
    }
    pending.push(rowToLine(header, f, lineNo, sums));
  };

  const take = (buf: Buffer, s: number, e: number) => {
    lineNo++;
    if (lineNo === 1 && e - s >= 3 && buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf) s += 3;
    if (cols && !summaryCols && s < e && buf[s] === backtick && !startsWith(buf, s, e, summaryBytes)) {
      if (scanRow(buf, s, e, cols, fields, lineNo, sums, row, owner)) {
        if (raw) {
          count(totals, row.refund ? 'refund' : 'payment', row.amountFen, row.feeMilliFen);
          raw.row(buf, row);
        } else pending.push(lineOf(buf, row));
        return;
      }
    }
    takeText(decoder.decode(buf.subarray(s, e)));
  };

  // Lines never straddle a '\n', so complete lines are checked as UTF-8 and read on their own; only the tail waits for the next chunk.
  const takeLines = (buf: Buffer, last: boolean) => {
    if (!isUtf8(buf)) throw new BillFormatError('账单不是 UTF-8 文本');
    let s = 0;
    for (;;) {
      const nl = buf.indexOf(10, s);
      if (nl < 0) break;
      take(buf, s, nl > s && buf[nl - 1] === 13 ? nl - 1 : nl);
      s = nl + 1;
    }
    if (last && s < buf.length) take(buf, s, buf[buf.length - 1] === 13 ? buf.length - 1 : buf.length);
  };

  let carry: Buffer | null = null;
  for await (const chunk of chunks) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const data: Buffer = carry ? Buffer.concat([carry, bytes]) : bytes;
    const cut = data.lastIndexOf(10) + 1;
    carry = cut === data.length ? null : Buffer.from(data.subarray(cut));
    try {
      if (cut > 0) takeLines(data.subarray(0, cut), false);
    } catch (e) {
      throw asFormatError(e, lineNo);
    }
    pending = await drain(pending, sink, totals);
    await raw?.ready();
  }
  try {
    if (carry) takeLines(carry, true);
  } catch (e) {
    throw asFormatError(e, lineNo);
  }
  await drain(pending, sink, totals);
  await raw?.ready();
  if (!header) throw new BillFormatError('账单为空');
  if (!summaryCols || !summary) throw new BillFormatError('账单缺少汇总行（总交易单数…），可能不完整');
  checkSummary(summaryCols, summary, sums);
  return totals;
}

function startsWith(buf: Buffer, s: number, e: number, prefix: Buffer): boolean {
  if (e - s < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[s + i] !== prefix[i]) return false;
  return true;
}

const refundBytes = Buffer.from('REFUND');

/**
 * One backticked detail row read from its bytes into `row`, as `rowToLine`
 * reads it from its text; false when a field is quoted (the general path
 * takes it). `fields` holds each column's [start, end) with the backtick and
 * blanks cut off.
 */
function scanRow(buf: Buffer, start: number, end: number, c: Cols, fields: Int32Array, lineNo: number, sums: Sums, row: RawRow, owner?: WechatOwner): boolean {
  if (!scanFields(buf, start, end, c, fields)) return false;
  if (owner) checkOwner(buf, fields, c, owner, lineNo);
  return readRow(buf, c, fields, lineNo, sums, row);
}

/** Cuts a row into `fields` ([start, end) per column, backtick and blanks cut off) up to the last column read; false when a field is quoted. */
function scanFields(buf: Buffer, start: number, end: number, c: Cols, fields: Int32Array): boolean {
  let k = 0;
  let fieldStart = start;
  let i = start;
  for (; i < end; i++) {
    const ch = buf[i]!;
    if (ch === 0x2c) {
      trimInto(buf, fieldStart, i, fields, k);
      if (k === c.last) break;
      k++;
      fieldStart = i + 1;
    } else if (ch === 0x22) return false;
  }
  if (i >= end) {
    trimInto(buf, fieldStart, end, fields, k);
    for (let j = k + 1; j <= c.last; j++) fields[2 * j] = fields[2 * j + 1] = end;
  }
  return true;
}

function readRow(buf: Buffer, c: Cols, fields: Int32Array, lineNo: number, sums: Sums, row: RawRow): boolean {
  const settle = moneyAt(buf, fields, c.settle, 2, lineNo);
  const order = c.order >= 0 ? moneyAt(buf, fields, c.order, 2, lineNo) : settle;
  const refund = moneyAt(buf, fields, c.refund, 2, lineNo);
  const applied = moneyAt(buf, fields, c.applied, 2, lineNo);
  const fee = moneyAt(buf, fields, c.fee, 5, lineNo);
  sums.rows++;
  sums.settleFen += settle;
  sums.refundFen += refund;
  sums.feeMilli += fee;
  sums.orderFen += order;
  sums.appliedRefundFen += applied;
  const ts = fields[2 * c.time]!;
  const te = fields[2 * c.time + 1]!;
  row.occurredMs = beijingMs(buf, ts, te);
  if (Number.isNaN(row.occurredMs)) throw new BillFormatError(`第 ${lineNo} 行：不是时间：${JSON.stringify(textAt(buf, fields, c.time))}`);
  row.feeMilliFen = fee;
  const at = row.at;
  at[6] = ts;
  at[7] = te;
  const stateStart = fields[2 * c.state]!;
  const stateEnd = fields[2 * c.state + 1]!;
  row.refund = stateEnd - stateStart === refundBytes.length && startsWith(buf, stateStart, stateEnd, refundBytes);
  if (row.refund) {
    copyRange(fields, c.refundNo, at, 0);
    if (at[0] === at[1]) throw new BillFormatError(`第 ${lineNo} 行：退款行缺少商户退款单号`);
    copyRange(fields, c.outTradeNo, at, 2);
    copyRange(fields, c.wxRefundNo, at, 4);
    copyRange(fields, c.refundState, at, 8);
    if (at[8] === at[9]) at[8] = -1;
    row.amountFen = applied || refund;
    return true;
  }
  copyRange(fields, c.outTradeNo, at, 0);
  if (at[0] === at[1]) throw new BillFormatError(`第 ${lineNo} 行：缺少商户订单号`);
  at[2] = at[0]!;
  at[3] = at[1]!;
  copyRange(fields, c.tradeNo, at, 4);
  at[8] = stateStart;
  at[9] = stateEnd;
  row.amountFen = order;
  return true;
}

function copyRange(fields: Int32Array, col: number, at: Int32Array, to: number): void {
  at[to] = col < 0 ? 0 : fields[2 * col]!;
  at[to + 1] = col < 0 ? 0 : fields[2 * col + 1]!;
}

/** A scanned row as the line the other sinks take. */
function lineOf(buf: Buffer, row: RawRow): BillLine {
  const at = row.at;
  const text = (i: number) => buf.toString('utf8', at[i]!, at[i + 1]!);
  return {
    kind: row.refund ? 'refund' : 'payment',
    outNo: text(0),
    outTradeNo: text(2),
    platformNo: text(4),
    occurredAt: new Date(row.occurredMs),
    amountFen: row.amountFen,
    status: at[8] === -1 ? 'SUCCESS' : stateText(buf, at[8]!, at[9]!),
    feeMilliFen: row.feeMilliFen,
  };
}

// Module-level rather than closures: these run a million times a bill, and a closure is made (and named) on every call.
function moneyAt(buf: Buffer, fields: Int32Array, col: number, places: 2 | 5, lineNo: number): number {
  if (col < 0) return 0;
  const s = fields[2 * col]!;
  const e = fields[2 * col + 1]!;
  if (s === e) return 0;
  const v = decimalAt(buf, s, e, places);
  if (Number.isNaN(v)) throw new BillFormatError(`第 ${lineNo} 行：不是金额：${JSON.stringify(buf.toString('utf8', s, e))}`);
  return v;
}

function textAt(buf: Buffer, fields: Int32Array, col: number): string {
  return col < 0 ? '' : buf.toString('utf8', fields[2 * col]!, fields[2 * col + 1]!);
}

function isBlank(ch: number): boolean {
  return ch === 0x20 || ch === 0x09 || ch === 0x0d;
}

function trimInto(buf: Buffer, s: number, e: number, fields: Int32Array, k: number): void {
  if (s < e && buf[s] === backtick) s++;
  while (s < e && isBlank(buf[s]!)) s++;
  while (e > s && isBlank(buf[e - 1]!)) e--;
  fields[2 * k] = s;
  fields[2 * k + 1] = e;
}

/** An exact decimal of up to 12 whole digits and `places` decimals, in units of 10^-places; NaN when it is not one. */
export function decimalAt(buf: Uint8Array, s: number, e: number, places: 2 | 5): number {
  let neg = false;
  if (buf[s] === 0x2d) {
    neg = true;
    s++;
  }
  let whole = 0;
  const wholeStart = s;
  while (s < e && buf[s]! >= 0x30 && buf[s]! <= 0x39) whole = whole * 10 + (buf[s++]! - 0x30);
  const wholeDigits = s - wholeStart;
  if (wholeDigits < 1 || wholeDigits > 12) return NaN;
  let frac = 0;
  let fracDigits = 0;
  if (s < e) {
    if (buf[s] !== 0x2e) return NaN;
    s++;
    while (s < e && buf[s]! >= 0x30 && buf[s]! <= 0x39) {
      frac = frac * 10 + (buf[s++]! - 0x30);
      fracDigits++;
    }
    if (s !== e || fracDigits < 1 || fracDigits > places) return NaN;
  }
  const v = whole * 10 ** places + frac * 10 ** (places - fracDigits);
  return neg && v !== 0 ? -v : v;
}

/** "2019-02-19 05:01:46" (Beijing time) as epoch milliseconds; NaN when it is not a real time of that form. */
function beijingMs(buf: Uint8Array, s: number, e: number): number {
  if (e - s !== 19 || buf[s + 4] !== 0x2d || buf[s + 7] !== 0x2d || buf[s + 10] !== 0x20 || buf[s + 13] !== 0x3a || buf[s + 16] !== 0x3a) return NaN;
  const y = digitsAt(buf, s, 4);
  const mo = digitsAt(buf, s + 5, 2);
  const d = digitsAt(buf, s + 8, 2);
  const h = digitsAt(buf, s + 11, 2);
  const mi = digitsAt(buf, s + 14, 2);
  const sec = digitsAt(buf, s + 17, 2);
  // Date.UTC would roll 2月30日 over into March; a real bill never prints one.
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && h <= 23 && mi <= 59 && sec <= 59)) return NaN;
  return Date.UTC(y, mo - 1, d, h, mi, sec) - 8 * 3600_000;
}

function daysIn(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/** `len` ASCII digits from `at` as a number; NaN when one is not a digit. */
function digitsAt(buf: Uint8Array, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

/** The few statuses a bill repeats a million times, without making a string for each. */
const knownStates = ['SUCCESS', 'REFUND', 'REVOKED', 'PROCESSING', 'FAIL', 'CHANGE', 'CLOSED', 'NOTPAY', 'USERPAYING', 'PAYERROR'].map((t) => ({ text: t, bytes: Buffer.from(t) }));

function stateText(buf: Buffer, s: number, e: number): string {
  for (const k of knownStates) if (k.bytes.length === e - s && startsWith(buf, s, e, k.bytes)) return k.text;
  return buf.toString('utf8', s, e);
}

async function drain(lines: BillLine[], sink: LineSink, totals: BillTotals): Promise<BillLine[]> {
  for (const l of lines) {
    count(totals, l.kind, l.amountFen, l.feeMilliFen);
    const r = sink(l);
    if (r) await r;
  }
  return [];
}

function count(totals: BillTotals, kind: 'payment' | 'refund', amountFen: number, feeMilliFen: number): void {
  totals.lines++;
  if (kind === 'payment') {
    totals.payments++;
    totals.paymentFen += amountFen;
  } else {
    totals.refunds++;
    totals.refundFen += amountFen;
  }
  totals.feeMilliFen += feeMilliFen;
}

function unTick(field: string): string {
  return field.startsWith('`') ? field.slice(1) : field;
}

function asFormatError(e: unknown, lineNo: number): Error {
  if (e instanceof BillFormatError) return e;
  if (e instanceof RangeError) return new BillFormatError(`第 ${lineNo} 行：${e.message}`);
  if (e instanceof TypeError) return new BillFormatError('账单不是 UTF-8 文本');
  return e as Error;
}

function rowToLine(header: Map<string, number>, f: string[], lineNo: number, sums: Sums): BillLine {
  const get = (name: string): string => {
    const i = header.get(name);
    return i === undefined ? '' : (f[i] ?? '').trim();
  };
  const money = (name: string): number => {
    const v = get(name);
    return v === '' ? 0 : yuanToFen(v);
  };
  try {
    const settle = money('应结订单金额');
    const order = header.has('订单金额') ? money('订单金额') : settle;
    const refund = money('退款金额');
    const applied = money('申请退款金额');
    const fee = get('手续费') === '' ? 0 : yuanToMilliFen(get('手续费'));
    sums.rows++;
    sums.settleFen += settle;
    sums.refundFen += refund;
    sums.feeMilli += fee;
    sums.orderFen += order;
    sums.appliedRefundFen += applied;
    const state = get('交易状态');
    const occurredAt = beijingTime(get('交易时间'));
    if (state === 'REFUND') {
      const outNo = get('商户退款单号');
      if (!outNo) throw new BillFormatError('退款行缺少商户退款单号');
      return { kind: 'refund', outNo, outTradeNo: get('商户订单号'), platformNo: get('微信退款单号'), occurredAt, amountFen: applied || refund, status: get('退款状态') || 'SUCCESS', feeMilliFen: fee };
    }
    const outNo = get('商户订单号');
    if (!outNo) throw new BillFormatError('缺少商户订单号');
    return { kind: 'payment', outNo, outTradeNo: outNo, platformNo: get('微信订单号'), occurredAt, amountFen: order, status: state, feeMilliFen: fee };
  } catch (e) {
    if (e instanceof BillFormatError && e.message.startsWith('第')) throw e;
    throw new BillFormatError(`第 ${lineNo} 行：${e instanceof Error ? e.message : String(e)}`);
  }
}

function checkSummary(cols: string[], values: string[], sums: Sums): void {
  const at = (name: string): string | undefined => {
    const i = cols.indexOf(name);
    return i < 0 ? undefined : values[i]?.trim();
  };
  const count = at('总交易单数');
  if (count === undefined || !/^\d+(\.0+)?$/.test(count)) throw new BillFormatError('汇总缺少总交易单数');
  if (Number(count) !== sums.rows) throw new BillFormatError(`汇总总交易单数 ${count} 与明细 ${sums.rows} 行不符`);
  const checks: [string, number][] = [
    ['应结订单总金额', sums.settleFen * 1000],
    ['退款总金额', sums.refundFen * 1000],
    ['手续费总金额', sums.feeMilli],
    ['订单总金额', sums.orderFen * 1000],
    ['申请退款总金额', sums.appliedRefundFen * 1000],
  ];
  for (const [name, milli] of checks) {
    const printed = at(name);
    if (printed === undefined) continue;
    const v = yuanToMilliFen(printed);
    // The summary prints fees to the fen while rows carry 5 decimals: compare at the printed precision.
    const ok = name === '手续费总金额' ? Math.round(v / 1000) === Math.round(milli / 1000) : v === milli;
    if (!ok) throw new BillFormatError(`汇总${name} ${printed} 与明细合计不符`);
  }
}
