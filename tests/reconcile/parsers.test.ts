import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWechatBill } from '../../api/_reconcile/wechat-bill';
import { parseAlipayBill } from '../../api/_reconcile/alipay-bill';
import { BillFormatError, milliToFen, yuanToMilliFen } from '../../api/_reconcile/lines';
import type { BillLine, BillTotals } from '../../shared/bills/types';
import { requireThat } from '../_support/requires';
import { alipayBillZip, wechatBill, type GenLine } from './bill-gen';
import { CopyRowBuffer, copyText } from '../../api/_reconcile/copy-rows';
import iconv from 'iconv-lite';
import { AppError } from '../../api/_kernel/errors';
import { alipay_bill_inflated_bytes_max, alipay_bill_line_chars_max } from '../../api/_reconcile/limits';

const sample = resolve(__dirname, '../../../shared/vendor-fixtures/wechatpay-axios-plugin/tests/fixtures/bill.ALL.csv');

function* chunked(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(parse: (chunks: Iterable<Uint8Array>, sink: (l: BillLine) => void) => Promise<BillTotals>, bytes: Uint8Array, size = 4096) {
  const lines: BillLine[] = [];
  const totals = await parse(chunked(bytes, size), (l) => {
    lines.push(l);
  });
  return { lines, totals };
}

const at = new Date('2026-11-22T04:00:00Z');
const gen: GenLine[] = [
  { kind: 'payment', outNo: 'T1', outTradeNo: 'T1', amountFen: 1234, feeFen: 7, at, status: 'SUCCESS', platformNo: '4200000001' },
  { kind: 'payment', outNo: 'T2', outTradeNo: 'T2', amountFen: 1, feeFen: 0, at, status: 'SUCCESS', platformNo: '4200000002' },
  { kind: 'refund', outNo: 'R1', outTradeNo: 'T1', amountFen: 234, feeFen: -1, at, status: 'SUCCESS', platformNo: '4200000001' },
];

describe('money in bills', () => {
  it.each([
    ['0.01000', 1000],
    ['0.00000', 0],
    ['12.34567', 1_234_567],
    ['-0.02000', -2000],
    ['5', 500_000],
    ['0.1', 10_000],
  ])('%s yuan is %i thousandths of a fen', (text, milli) => expect(yuanToMilliFen(text)).toBe(milli));
  it.each(['', '1.234567', 'abc', '1e3'])('refuses %j', (text) => expect(() => yuanToMilliFen(text)).toThrow(BillFormatError));
  it.each([
    [1499, 1],
    [1500, 2],
    [-1500, -2],
    [0, 0],
    [499, 0],
  ])('%i milli-fen rounds to %i fen', (m, f) => expect(milliToFen(m)).toBe(f));
});

describe('WeChat trade bill', () => {
  const present = existsSync(sample);
  it.skipIf(!requireThat(present, `the WeChat sample bill is missing (${sample})`))('reads the real sample: every row, summary totals checked, whatever the chunk size', async () => {
    const bytes = new Uint8Array(readFileSync(sample));
    for (const size of [1, 7, 100, 1 << 16]) {
      const { lines, totals } = await readAll(parseWechatBill, bytes, size);
      expect(totals).toEqual({ lines: 45, payments: 31, refunds: 14, paymentFen: 47, refundFen: 14, feeMilliFen: 8000 });
      expect(lines).toHaveLength(45);
    }
    const { lines } = await readAll(parseWechatBill, bytes);
    expect(lines[0]).toEqual({
      kind: 'refund',
      outNo: 'REF4200000263201902167700963919',
      outTradeNo: 'autotest_20190216081946_82335',
      platformNo: '50000709672019011908420787722',
      occurredAt: new Date('2019-02-19T05:01:46+08:00'),
      amountFen: 1,
      status: 'SUCCESS',
      feeMilliFen: 0,
    });
    expect(lines.find((l) => l.outNo === 'autotest_20190219015232_89201')).toMatchObject({ kind: 'payment', amountFen: 3, status: 'SUCCESS', feeMilliFen: 1000 });
    // Differential: the rows' fees summed in thousandths of a fen equal the printed 手续费总金额 0.08.
    expect(lines.reduce((s, l) => s + l.feeMilliFen, 0)).toBe(8000);
  });

  it('refuses the real sample with a summary that does not add up, or cut short', async () => {
    if (!existsSync(sample)) return;
    const text = readFileSync(sample, 'utf8');
    const wrongTotal = text.replace('`45.0,`0.47,', '`45.0,`0.48,');
    await expect(readAll(parseWechatBill, new TextEncoder().encode(wrongTotal))).rejects.toThrow(/应结订单总金额/);
    const wrongCount = text.replace('`45.0,', '`44.0,');
    await expect(readAll(parseWechatBill, new TextEncoder().encode(wrongCount))).rejects.toThrow(/总交易单数/);
    const cut = text.slice(0, text.indexOf('总交易单数'));
    await expect(readAll(parseWechatBill, new TextEncoder().encode(cut))).rejects.toThrow(/缺少汇总/);
  });

  it('reads a generated bill back exactly', async () => {
    const { lines, totals } = await readAll(parseWechatBill, new TextEncoder().encode(wechatBill(gen)), 5);
    expect(totals).toEqual({ lines: 3, payments: 2, refunds: 1, paymentFen: 1235, refundFen: 234, feeMilliFen: 6000 });
    expect(lines.map((l) => [l.kind, l.outNo, l.outTradeNo, l.amountFen, l.feeMilliFen, l.status, l.occurredAt.toISOString()])).toEqual([
      ['payment', 'T1', 'T1', 1234, 7000, 'SUCCESS', at.toISOString()],
      ['payment', 'T2', 'T2', 1, 0, 'SUCCESS', at.toISOString()],
      ['refund', 'R1', 'T1', 234, -1000, 'SUCCESS', at.toISOString()],
    ]);
  });

  it.each([
    ['not a bill', 'hello,world\r\n'],
    ['a row without backticks', wechatBill(gen).replace('`2026', '2026')],
    ['a bad amount', wechatBill(gen).replace('`12.34,', '`12.3x,')],
    ['an empty file', ''],
  ])('refuses %s', async (_, text) => {
    await expect(readAll(parseWechatBill, new TextEncoder().encode(text))).rejects.toThrow(BillFormatError);
  });
});

describe('Alipay trade bill', () => {
  it('reads the detail file of the zip (GBK), refunds as positive amounts from negative rows, quoted commas kept', async () => {
    const zip = alipayBillZip(gen, '2026-11-22');
    for (const size of [3, 1024]) {
      const { lines, totals } = await readAll(parseAlipayBill, zip, size);
      expect(totals).toEqual({ lines: 3, payments: 2, refunds: 1, paymentFen: 1235, refundFen: 234, feeMilliFen: 6000 });
      expect(lines.map((l) => [l.kind, l.outNo, l.outTradeNo, l.amountFen, l.feeMilliFen, l.platformNo])).toEqual([
        ['payment', 'T1', 'T1', 1234, 7000, '4200000001'],
        ['payment', 'T2', 'T2', 1, 0, '4200000002'],
        ['refund', 'R1', 'T1', 234, -1000, '4200000001'],
      ]);
    }
  });

  it('refuses a footer that does not match, a file that is not a zip, and a zip without the detail file', async () => {
    await expect(readAll(parseAlipayBill, alipayBillZip(gen, '2026-11-22', { footerTradeCount: 3 }))).rejects.toThrow(/交易合计/);
    await expect(readAll(parseAlipayBill, new TextEncoder().encode('#支付宝业务明细查询\n'))).rejects.toThrow(/zip/);
    const { zipSync } = await import('fflate');
    await expect(readAll(parseAlipayBill, zipSync({ 'readme.txt': new Uint8Array([65]) }))).rejects.toThrow(/业务明细/);
  });
});

describe('Alipay detail CSV on its own, and the limits on a zip', () => {
  const detailOf = async (zip: Uint8Array) => {
    const { unzipSync } = await import('fflate');
    const files = unzipSync(zip);
    const name = Object.keys(files).find((n) => !iconv.decode(Buffer.from(n, 'latin1'), 'gbk').includes('汇总') && !n.includes('汇总'))!;
    return files[name]!;
  };

  it('reads the unzipped GBK 业务明细 file exactly as the zip', async () => {
    const zip = alipayBillZip(gen, '2026-11-22');
    const csv = await detailOf(zip);
    expect(csv[0]).not.toBe(0x50);
    const fromZip = await readAll(parseAlipayBill, zip);
    for (const size of [5, 4096]) expect(await readAll(parseAlipayBill, csv, size)).toEqual(fromZip);
    // Saved again as UTF-8 with a BOM, it still reads.
    const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(iconv.decode(Buffer.from(csv), 'gbk'))]);
    expect(await readAll(parseAlipayBill, utf8)).toEqual(fromZip);
  });

  it('refuses a detail file whose footer does not match, and a file that is neither', async () => {
    const csv = await detailOf(alipayBillZip(gen, '2026-11-22', { footerTradeCount: 3 }));
    await expect(readAll(parseAlipayBill, csv)).rejects.toThrow(/交易合计/);
    await expect(readAll(parseAlipayBill, new TextEncoder().encode('hello,world\n'))).rejects.toThrow(BillFormatError);
  });

  it('refuses a line longer than alipay_bill_line_chars_max, in a zip or on its own, as malformed', async () => {
    expect(alipay_bill_line_chars_max).toBe(8192);
    const long = new Uint8Array(alipay_bill_line_chars_max + 10).fill(0x41);
    await expect(readAll(parseAlipayBill, long)).rejects.toThrow(/超过 8192 个字符/);
    const { zipSync } = await import('fflate');
    await expect(readAll(parseAlipayBill, zipSync({ 'x_业务明细.csv': long }))).rejects.toThrow(/超过 8192 个字符/);
  });

  it('refuses a zip that inflates past the limit with 413 before reading it all', async () => {
    const zip = alipayBillZip(gen, '2026-11-22');
    const small = { inflatedBytesMax: 200, lineCharsMax: alipay_bill_line_chars_max };
    const refused = readAll((chunks, sink) => parseAlipayBill(chunks, sink, small), zip).catch((e: unknown) => e);
    const e = (await refused) as AppError;
    expect(e).toBeInstanceOf(AppError);
    expect([e.status, e.message]).toEqual([413, expect.stringMatching(/解压后超过 200 字节/)]);
    // A zip bomb: 16 MB of zeros deflates to a few KB, and stops at the real limit's smaller stand-in.
    const { zipSync } = await import('fflate');
    const bomb = zipSync({ 'x_业务明细.csv': new Uint8Array(16 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(200_000);
    await expect(readAll((chunks, sink) => parseAlipayBill(chunks, sink, { inflatedBytesMax: 1024 * 1024, lineCharsMax: 1e9 }), bomb)).rejects.toThrow(/解压后超过/);
    expect(alipay_bill_inflated_bytes_max).toBe(1024 * 1024 * 1024);
  });
});

describe('WeChat rows read from bytes', () => {
  const many: GenLine[] = [];
  for (let i = 0; i < 300; i++) {
    const refund = i % 7 === 3;
    many.push({ kind: refund ? 'refund' : 'payment', outNo: refund ? `R${i}` : `T${i}`, outTradeNo: `T${i}`, amountFen: 1 + ((i * 7919) % 100_000), feeFen: refund ? -(i % 3) : i % 50, at: new Date(at.getTime() + i * 61_000), status: i % 11 === 5 ? (refund ? 'PROCESSING' : 'REVOKED') : 'SUCCESS', platformNo: `42${i}` });
  }
  const text = wechatBill(many);

  it('reads every row as the general CSV reading does (a quoted field sends a row down that path)', async () => {
    const fast = await readAll(parseWechatBill, new TextEncoder().encode(text), 1000);
    const quoted = text.replace(/`柜台演示商行/g, '"`柜台,演示商行"');
    expect(quoted).not.toBe(text);
    const general = await readAll(parseWechatBill, new TextEncoder().encode(quoted), 1000);
    expect(fast.totals).toEqual(general.totals);
    expect(fast.lines).toEqual(general.lines);
    expect(fast.lines.map((l) => [l.kind, l.outNo, l.outTradeNo, l.amountFen, l.feeMilliFen, l.status, l.occurredAt.getTime()])).toEqual(
      many.map((g) => [g.kind, g.outNo, g.outTradeNo, g.amountFen, g.feeFen * 1000 || 0, g.status, g.at.getTime()]),
    );
  });

  it('writes the same COPY rows from the bytes as from the lines', async () => {
    const fromLines = new CopyRowBuffer(42);
    await parseWechatBill(chunked(new TextEncoder().encode(text), 777), (l) => fromLines.line(l));
    const fromBytes = new CopyRowBuffer(42);
    const totals = await parseWechatBill(chunked(new TextEncoder().encode(text), 777), () => {
      throw new Error('raw rows should not become lines');
    }, { row: (buf, row) => fromBytes.raw(buf, row), ready: () => {} });
    expect(totals.lines).toBe(many.length);
    // The time column differs only in form (ISO UTC vs the bill's Beijing text with its offset).
    const rows = (b: CopyRowBuffer) => b.take().toString('utf8').trimEnd().split('\n').map((r) => r.split('\t').map((f, i) => (i === 6 ? new Date(f.replace(' ', 'T').replace(/\+08$/, '+08:00')).getTime() : f)));
    const a = rows(fromLines);
    expect(a).toHaveLength(many.length);
    expect(rows(fromBytes)).toEqual(a);
  });

  it('escapes what COPY would misread', () => {
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyText('plain_123')).toBe('plain_123');
  });

  it.each([
    ['2026-02-29 10:00:00', false],
    ['2028-02-29 10:00:00', true],
    ['2026-11-31 10:00:00', false],
    ['2026-11-22 24:00:00', false],
    ['2026-11-22 23:59:59', true],
  ])('takes %s as a time: %s', async (time, ok) => {
    const bill = wechatBill(gen).replaceAll('2026-11-22 12:00:00', time);
    const read = readAll(parseWechatBill, new TextEncoder().encode(bill));
    if (ok) await expect(read).resolves.toBeTruthy();
    else await expect(read).rejects.toThrow(/不是时间/);
  });
});
