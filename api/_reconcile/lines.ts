/** A bill that does not read as its format says; the message names the line. */
export class BillFormatError extends Error {}

/**
 * Whose bill a file must be (#18). WeChat rows print the merchant number
 * (商户号: the deployment's, or the service provider's) and the sub-merchant
 * (特约商户号: `0` or empty for a direct merchant); Alipay's detail file names
 * the account in its header (`#账号：[<PID>0156]`).
 */
export type BillOwner = { channel: 'wechat'; mchid: string; subMchid: string | null } | { channel: 'alipay'; sellerId: string };

/** A bill, or a line of it, that belongs to another merchant: refused whole, nothing of it is kept. */
export class BillOwnerMismatch extends BillFormatError {}

/**
 * Cuts a stream of text into lines without holding more than one partial
 * line, and no line longer than `lineCharsMax` (a file without line breaks
 * is refused, not buffered whole).
 */
export class LineSplitter {
  private rest = '';
  constructor(private readonly lineCharsMax = Number.POSITIVE_INFINITY) {}
  push(text: string, emit: (line: string) => void): void {
    const parts = (this.rest + text).split('\n');
    this.rest = parts.pop()!;
    if (this.rest.length > this.lineCharsMax) throw new BillFormatError(`有一行超过 ${this.lineCharsMax} 个字符，不是账单明细`);
    for (const p of parts) {
      if (p.length > this.lineCharsMax) throw new BillFormatError(`有一行超过 ${this.lineCharsMax} 个字符，不是账单明细`);
      emit(p.endsWith('\r') ? p.slice(0, -1) : p);
    }
  }
  end(emit: (line: string) => void): void {
    if (this.rest !== '') emit(this.rest.endsWith('\r') ? this.rest.slice(0, -1) : this.rest);
    this.rest = '';
  }
}

/** Splits one CSV record; double-quoted fields may hold commas and doubled quotes. */
export function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const decimalPattern = /^(-)?(\d{1,12})(?:\.(\d{1,5}))?$/;

/** An exact yuan decimal with up to 5 places into thousandths of a fen (1e-5 yuan). */
export function yuanToMilliFen(text: string): number {
  const m = decimalPattern.exec(text.trim());
  if (!m) throw new BillFormatError(`不是金额：${JSON.stringify(text)}`);
  const v = Number(m[2]) * 100_000 + Number((m[3] ?? '').padEnd(5, '0'));
  return m[1] && v !== 0 ? -v : v;
}

/** Milli-fen to whole fen, half away from zero. */
export function milliToFen(milli: number): number {
  const sign = milli < 0 ? -1 : 1;
  return sign * Math.floor((Math.abs(milli) + 500) / 1000);
}

/** "2019-02-19 05:01:46" in Beijing time. */
export function beijingTime(text: string): Date {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(t)) throw new BillFormatError(`不是时间：${JSON.stringify(text)}`);
  return new Date(`${t.replace(' ', 'T')}+08:00`);
}

export type ByteChunks = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
export type LineSink = (line: import('../../shared/bills/types.js').BillLine) => void | Promise<void>;

/**
 * A WeChat detail row as the fast reader found it: its numbers, and where
 * its text fields are in the bill's bytes ([start, end) pairs in `at`: the
 * record's own number, the payment's number, the platform's number, the
 * Beijing time "YYYY-MM-DD HH:MM:SS", the status, whose start is −1 when the
 * bill leaves a refund's status empty, which means SUCCESS).
 */
export interface RawRow {
  refund: boolean;
  amountFen: number;
  feeMilliFen: number;
  occurredMs: number;
  at: Int32Array;
}

/** A sink that takes rows straight from the bill's bytes (the COPY writer), instead of as BillLine objects. */
export interface RawRowSink {
  /** Must copy what it keeps: `buf` is reused. */
  row(buf: Uint8Array, row: RawRow): void;
  /** Settles when the sink has room for more (backpressure), or fails with what went wrong downstream. */
  ready(): Promise<void> | void;
}
