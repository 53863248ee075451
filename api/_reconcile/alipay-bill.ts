import { Unzip, UnzipInflate } from 'fflate';
import iconv from 'iconv-lite';
import type { BillLine, BillTotals } from '../../shared/bills/types.js';
import { yuanToFen } from '../../shared/money.js';
import { BillFormatError, BillOwnerMismatch, LineSplitter, beijingTime, splitCsv, type BillOwner, type ByteChunks, type LineSink } from './lines.js';
import { AppError } from '../_kernel/errors.js';
import { alipay_bill_inflated_bytes_max, alipay_bill_line_chars_max } from './limits.js';

/**
 * Reads an Alipay trade bill (B7): a zip holding GBK CSV files, of which the
 * detail file (业务明细, not 业务明细(汇总)) is read as it inflates, or that
 * detail file on its own (owners often unzip the download and send the
 * `…_业务明细.csv`). `#` lines are the header and footer; the footer's 交易合计
 * and 退款合计 (count and 商家实收) must equal the rows. Refund rows carry
 * negative amounts. The zip may inflate to no more than
 * alipay_bill_inflated_bytes_max and no line may be longer than
 * alipay_bill_line_chars_max.
 */
export async function parseAlipayBill(
  chunks: ByteChunks,
  sink: LineSink,
  limits: { inflatedBytesMax: number; lineCharsMax: number } = { inflatedBytesMax: alipay_bill_inflated_bytes_max, lineCharsMax: alipay_bill_line_chars_max },
  owner?: Extract<BillOwner, { channel: 'alipay' }>,
): Promise<BillTotals> {
  const totals: BillTotals = { lines: 0, payments: 0, refunds: 0, paymentFen: 0, refundFen: 0, feeMilliFen: 0 };
  const state: State & { detailSeen: boolean } = { owner: owner?.sellerId ?? null, account: null, header: null, lineNo: 0, footer: { trade: null, refund: null }, received: [0, 0], refunded: [0, 0], detailSeen: false };
  let pending: BillLine[] = [];
  let failure: Error | null = null;
  let entries = 0;
  let inflated = 0;

  /** The detail file's bytes, from the zip or as sent: decoded (GBK, or UTF-8 after a BOM) and cut into lines. */
  const detail = (utf8: boolean) => {
    const decoder = iconv.getDecoder(utf8 ? 'utf8' : 'gbk');
    const splitter = new LineSplitter(limits.lineCharsMax);
    const take = (line: string) => {
      if (failure) return;
      try {
        const l = takeLine(state, line);
        if (l) pending.push(l);
      } catch (e) {
        failure = e instanceof BillFormatError ? e : new BillFormatError(`第 ${state.lineNo} 行：${e instanceof Error ? e.message : String(e)}`);
      }
    };
    return {
      push(data: Uint8Array) {
        if (failure) return;
        try {
          splitter.push(decoder.write(Buffer.from(data)), take);
        } catch (e) {
          failure ??= e instanceof Error ? e : new Error(String(e));
        }
      },
      end() {
        if (failure) return;
        try {
          splitter.push(decoder.end() ?? '', take);
          splitter.end(take);
        } catch (e) {
          failure ??= e instanceof Error ? e : new Error(String(e));
        }
      },
    };
  };

  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.onfile = (file) => {
    entries++;
    // Any character above one byte means the name was decoded already; GBK names arrive as latin1 bytes.
    // eslint-disable-next-line no-control-regex -- the range starts at NUL on purpose: every one-byte character.
    const name = /[^\x00-\xff]/.test(file.name) ? file.name : iconv.decode(Buffer.from(file.name, 'latin1'), 'gbk');
    if (!name.toLowerCase().endsWith('.csv') || name.includes('汇总')) return;
    if (state.detailSeen) {
      failure ??= new BillFormatError(`压缩包里有不止一个业务明细文件：${name}`);
      return;
    }
    state.detailSeen = true;
    const reader = detail(false);
    file.ondata = (err, data, final) => {
      if (err) {
        failure ??= new BillFormatError(`压缩包损坏：${err.message}`);
        return;
      }
      inflated += data.length;
      if (inflated > limits.inflatedBytesMax) {
        failure ??= new BillTooLarge();
        return;
      }
      reader.push(data);
      if (final) reader.end();
    };
    file.start();
  };

  const flush = async () => {
    for (const l of pending) {
      totals.lines++;
      if (l.kind === 'payment') {
        totals.payments++;
        totals.paymentFen += l.amountFen;
      } else {
        totals.refunds++;
        totals.refundFen += l.amountFen;
      }
      totals.feeMilliFen += l.feeMilliFen;
      const r = sink(l);
      if (r) await r;
    }
    pending = [];
  };
  const raise = (e: Error): never => {
    if (e instanceof BillTooLarge) throw new AppError('payload_too_large', `支付宝账单解压后超过 ${limits.inflatedBytesMax} 字节上限（alipay_bill_inflated_bytes_max）`);
    throw e;
  };
  // The first bytes decide: a zip (PK), else the detail CSV itself.
  let plain: ReturnType<typeof detail> | null = null;
  let sawBytes = false;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    if (!sawBytes) {
      sawBytes = true;
      if (!(chunk[0] === 0x50 && chunk[1] === 0x4b)) {
        const bom = chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
        plain = detail(bom);
        state.detailSeen = true;
      }
    }
    if (plain) plain.push(chunk);
    else {
      try {
        unzip.push(chunk);
      } catch (e) {
        throw new BillFormatError(`压缩包损坏：${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (failure) raise(failure);
    await flush();
  }
  if (plain) plain.end();
  else {
    try {
      unzip.push(new Uint8Array(0), true);
    } catch (e) {
      throw new BillFormatError(`压缩包损坏：${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (failure) raise(failure);
  await flush();
  if (!plain && (entries === 0 || !state.detailSeen)) throw new BillFormatError('压缩包里没有业务明细文件');
  if (!state.header) throw new BillFormatError(plain ? '不是支付宝账单：应是下载的 zip 压缩包或其中的业务明细 CSV' : '业务明细缺少表头');
  const { trade, refund } = state.footer;
  if (!trade || !refund) throw new BillFormatError('业务明细缺少交易合计或退款合计，可能不完整');
  if (trade[0] !== state.received[0] || trade[1] !== state.received[1]) throw new BillFormatError(`交易合计 ${trade[0]} 笔 ${trade[1]} 分与明细 ${state.received[0]} 笔 ${state.received[1]} 分不符`);
  if (refund[0] !== state.refunded[0] || refund[1] !== state.refunded[1]) throw new BillFormatError(`退款合计 ${refund[0]} 笔 ${refund[1]} 分与明细 ${state.refunded[0]} 笔 ${state.refunded[1]} 分不符`);
  return totals;
}

/** The zip inflated past alipay_bill_inflated_bytes_max: refused as too large (413), not as malformed. */
class BillTooLarge extends Error {}

const accountHeader = /^#账号：\s*\[(\d+)\]/;
const tradeFooter = /^#交易合计：\s*(\d+)\s*笔，\s*商家实收共\s*(-?[\d.]+)\s*元/;
const refundFooter = /^#退款合计：\s*(\d+)\s*笔，\s*商家实收退款共\s*(-?[\d.]+)\s*元/;

type State = {
  /** The seller (PID) the bill must be of (#18), when checked. */
  owner: string | null;
  /** The account the header names (`#账号：[…]`). */
  account: string | null;
  header: Map<string, number> | null;
  lineNo: number;
  footer: { trade: null | [number, number]; refund: null | [number, number] };
  received: [number, number];
  refunded: [number, number];
};

function takeLine(state: State, raw: string): BillLine | null {
  state.lineNo++;
  const line = state.lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
  if (line.trim() === '') return null;
  if (line.startsWith('#')) {
    const a = accountHeader.exec(line);
    if (a) state.account = a[1]!;
    const t = tradeFooter.exec(line);
    if (t) state.footer.trade = [Number(t[1]), yuanToFen(t[2]!)];
    const r = refundFooter.exec(line);
    if (r) state.footer.refund = [Number(r[1]), yuanToFen(r[2]!)];
    return null;
  }
  const fields = splitCsv(line).map((f) => f.trim());
  if (!state.header) {
    // The header names the account (the seller's PID and four more digits): a bill of another seller is refused before any line of it is read.
    if (state.owner !== null) {
      if (state.account === null) throw new BillOwnerMismatch('账单缺少“#账号：”，无法确认账单属于本商户');
      if (!state.account.startsWith(state.owner)) throw new BillOwnerMismatch(`账单是支付宝账号 ${state.account} 的，不是本商户（${state.owner}）的账单`);
    }
    state.header = new Map(fields.map((name, i) => [name, i]));
    for (const need of ['支付宝交易号', '商户订单号', '业务类型', '完成时间', '订单金额（元）', '商家实收（元）', '退款批次号/请求号', '服务费（元）']) {
      if (!state.header.has(need)) throw new BillFormatError(`第 ${state.lineNo} 行：表头缺少“${need}”，不是支付宝业务明细`);
    }
    return null;
  }
  const get = (name: string) => fields[state.header!.get(name)!] ?? '';
  const money = (name: string) => (get(name) === '' ? 0 : yuanToFen(get(name)));
  try {
    const type = get('业务类型');
    const amount = money('订单金额（元）');
    const received = money('商家实收（元）');
    const fee = Math.abs(money('服务费（元）')) * 1000;
    const occurredAt = beijingTime(get('完成时间') || get('创建时间'));
    if (type === '交易') {
      state.received[0]++;
      state.received[1] += received;
      const outNo = get('商户订单号');
      if (!outNo) throw new BillFormatError('缺少商户订单号');
      return { kind: 'payment', outNo, outTradeNo: outNo, platformNo: get('支付宝交易号'), occurredAt, amountFen: Math.abs(amount), status: 'SUCCESS', feeMilliFen: fee };
    }
    if (type === '退款') {
      state.refunded[0]++;
      state.refunded[1] += received;
      const outNo = get('退款批次号/请求号');
      if (!outNo) throw new BillFormatError('退款行缺少退款批次号/请求号');
      return { kind: 'refund', outNo, outTradeNo: get('商户订单号'), platformNo: get('支付宝交易号'), occurredAt, amountFen: Math.abs(amount), status: 'SUCCESS', feeMilliFen: -fee };
    }
    throw new BillFormatError(`未知业务类型“${type}”`);
  } catch (e) {
    if (e instanceof BillFormatError && e.message.startsWith('第')) throw e;
    throw new BillFormatError(`第 ${state.lineNo} 行：${e instanceof Error ? e.message : String(e)}`);
  }
}
