import type { BillLine, BillTotals } from '../../shared/bills/types';
import { yuanToFen } from '../../shared/money';
import { BillFormatError, LineSplitter, beijingTime, splitCsv, yuanToMilliFen, type ByteChunks, type LineSink } from './lines';

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

/**
 * Reads a WeChat Pay v3 trade bill (A11) line by line: a header, backticked
 * detail rows, then a summary header and one values line. Columns are found
 * by name, never by position, because the ALL, SUCCESS and REFUND variants
 * differ. Every row goes to `sink` as it is read; at the end the printed
 * totals must equal the sums of the rows, or the whole bill is refused.
 */
export async function parseWechatBill(chunks: ByteChunks, sink: LineSink): Promise<BillTotals> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const splitter = new LineSplitter();
  let header: Map<string, number> | null = null;
  let summaryCols: string[] | null = null;
  let summary: string[] | null = null;
  let lineNo = 0;
  const sums: Sums = { rows: 0, settleFen: 0, refundFen: 0, feeMilli: 0, orderFen: 0, appliedRefundFen: 0 };
  const totals: BillTotals = { lines: 0, payments: 0, refunds: 0, paymentFen: 0, refundFen: 0, feeMilliFen: 0 };
  let pending: BillLine[] = [];

  const take = (raw: string) => {
    lineNo++;
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
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
      return;
    }
    if (line.startsWith(summaryHeader)) {
      summaryCols = splitCsv(line).map((s) => s.trim());
      return;
    }
    if (!line.startsWith('`')) throw new BillFormatError(`第 ${lineNo} 行：明细字段应以 \` 开头`);
    pending.push(rowToLine(header, splitCsv(line).map(unTick), lineNo, sums));
  };

  for await (const chunk of chunks) {
    try {
      splitter.push(decoder.decode(chunk, { stream: true }), take);
    } catch (e) {
      throw asFormatError(e, lineNo);
    }
    pending = await drain(pending, sink, totals);
  }
  try {
    splitter.push(decoder.decode(), take);
    splitter.end(take);
  } catch (e) {
    throw asFormatError(e, lineNo);
  }
  await drain(pending, sink, totals);
  if (!header) throw new BillFormatError('账单为空');
  if (!summaryCols || !summary) throw new BillFormatError('账单缺少汇总行（总交易单数…），可能不完整');
  checkSummary(summaryCols, summary, sums);
  return totals;
}

async function drain(lines: BillLine[], sink: LineSink, totals: BillTotals): Promise<BillLine[]> {
  for (const l of lines) {
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
  return [];
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
