import { zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { fenToYuan } from '../../shared/money';

/**
 * Writers of the platforms' trade bills in their real formats: the WeChat Pay
 * trade bill (backticked UTF-8 CSV with its summary) and the Alipay zip of GBK
 * CSVs (业务明细 with its # header and footer, 业务明细(汇总)). The sandbox
 * serves bills made here; the tests and the bench write theirs with it too.
 */

/** One line to write into a generated bill, in our terms (fee in fen, signed: negative when returned). */
export interface GenLine {
  kind: 'payment' | 'refund';
  outNo: string;
  outTradeNo: string;
  amountFen: number;
  feeFen: number;
  at: Date;
  /** WeChat 交易状态 for payments (SUCCESS/REVOKED), 退款状态 for refunds (SUCCESS/PROCESSING/FAIL). */
  status: string;
  platformNo: string;
  /** 微信退款单号 of a refund row; made from platformNo when not given. */
  refundPlatformNo?: string;
  /** WeChat 交易类型 (JSAPI, NATIVE, MICROPAY); NATIVE when not given. */
  tradeType?: string;
  /** WeChat 特约商户号 of a sub-merchant's row (partner mode); `0` (a direct merchant's) when not given. */
  subMchid?: string;
}

const wechatHeader = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';

function beijing(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Fen into WeChat's 5-decimal fee form: 12 → "0.12000", -2 → "-0.02000". */
function fee5(fen: number): string {
  return `${fenToYuan(fen)}000`;
}

/** Whose bill it is: the app id and merchant number printed on every WeChat row. */
export interface WechatBillIds {
  appId: string;
  mchId: string;
}

const fakeWechatIds: WechatBillIds = { appId: 'wxfake000000000001', mchId: '1900000109' };

export function wechatRow(l: GenLine, ids: WechatBillIds = fakeWechatIds): string {
  const y = fenToYuan;
  const f =
    l.kind === 'payment'
      ? [beijing(l.at), ids.appId, ids.mchId, l.subMchid ?? '0', '', l.platformNo, l.outTradeNo, 'o_payer', l.tradeType ?? 'NATIVE', l.status, 'OTHERS', 'CNY', y(l.amountFen), '0.00', '0', '0', '0.00', '0.00', '', '', '柜台演示商行', '', fee5(l.feeFen), '0.60%', y(l.amountFen), '0.00', '']
      : [beijing(l.at), ids.appId, ids.mchId, l.subMchid ?? '0', '', l.platformNo, l.outTradeNo, 'o_payer', l.tradeType ?? 'NATIVE', 'REFUND', 'OTHERS', 'CNY', '0.00', '0.00', l.refundPlatformNo ?? `R${l.platformNo}`, l.outNo, y(l.amountFen), '0.00', 'ORIGINAL', l.status, '柜台演示商行', '', fee5(l.feeFen), '0.60%', '0.00', y(l.amountFen), ''];
  return f.map((x) => '`' + x).join(',');
}

export interface WechatSums {
  rows: number;
  settle: number;
  refund: number;
  fee: number;
}

export function wechatSummary(s: WechatSums): string {
  return `总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n\`${s.rows},\`${fenToYuan(s.settle)},\`${fenToYuan(s.refund)},\`0.00,\`${fenToYuan(s.fee)},\`${fenToYuan(s.settle)},\`${fenToYuan(s.refund)}\r\n`;
}

/** A WeChat trade bill as text chunks (header, rows, summary), so a million lines never sit in memory at once. */
export function* wechatBillChunks(lines: Iterable<GenLine>, ids: WechatBillIds = fakeWechatIds): Generator<string> {
  yield `\uFEFF${wechatHeader}\r\n`;
  const s: WechatSums = { rows: 0, settle: 0, refund: 0, fee: 0 };
  let buf = '';
  for (const l of lines) {
    s.rows++;
    if (l.kind === 'payment') s.settle += l.amountFen;
    else s.refund += l.amountFen;
    s.fee += l.feeFen;
    buf += wechatRow(l, ids) + '\r\n';
    if (buf.length > 256 * 1024) {
      yield buf;
      buf = '';
    }
  }
  yield buf + wechatSummary(s);
}

export function wechatBill(lines: Iterable<GenLine>, ids: WechatBillIds = fakeWechatIds): string {
  return [...wechatBillChunks(lines, ids)].join('');
}

const alipayHeader = '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注';

/** An Alipay trade bill: a zip of the GBK detail CSV (with the # header and footer) and its 汇总 file. */
export function alipayBillZip(lines: GenLine[], day: string, options: { footerTradeCount?: number; pid?: string } = {}): Uint8Array {
  const account = `${options.pid ?? '2088000000000000'}0156`;
  const rows: string[] = [
    '#支付宝业务明细查询',
    `#账号：[${account}]`,
    `#起始日期：[${day} 00:00:00]   终止日期：[${day} 23:59:59]`,
    '#-----------------------------------------业务明细列表----------------------------------------',
    alipayHeader,
  ];
  let trades = 0;
  let received = 0;
  let refunds = 0;
  let refunded = 0;
  for (const l of lines) {
    const sign = l.kind === 'refund' ? '-' : '';
    const amount = sign + fenToYuan(l.amountFen);
    const fee = fenToYuan(Math.abs(l.feeFen));
    if (l.kind === 'payment') {
      trades++;
      received += l.amountFen;
    } else {
      refunds++;
      refunded -= l.amountFen;
    }
    rows.push(
      [`${l.platformNo}\t`, `${l.outTradeNo}\t`, l.kind === 'payment' ? '交易' : '退款', '"柜台演示商行, 订单"', beijing(l.at), beijing(l.at), 'DEMO01', '演示一店', '', '', 'buyer***@example.com', amount, amount, '0.00', '0.00', '0.00', '0.00', '0.00', '', '0.00', '0.00', l.kind === 'refund' ? `${l.outNo}\t` : '', fee, '0.00', ''].join(','),
    );
  }
  rows.push('#-----------------------------------------业务明细列表结束------------------------------------');
  rows.push(`#交易合计：${options.footerTradeCount ?? trades}笔，商家实收共${fenToYuan(received)}元，商家优惠共0.00元`);
  rows.push(`#退款合计：${refunds}笔，商家实收退款共${fenToYuan(refunded)}元，商家优惠退款共0.00元`);
  rows.push(`#导出时间：[${day} 10:00:00]`);
  const detail = iconv.encode(rows.join('\r\n') + '\r\n', 'gbk');
  const summary = iconv.encode(`#支付宝业务汇总查询\r\n门店编号,门店名称,交易订单总笔数\r\nDEMO01,演示一店,${trades}\r\n`, 'gbk');
  const date = day.replace(/-/g, '');
  // The entries' times are the export time printed above, so the same day's bill is the same bytes each time it is made.
  const mtime = new Date(`${day}T10:00:00+08:00`);
  return zipSync({ [`${account}_${date}_业务明细.csv`]: new Uint8Array(detail), [`${account}_${date}_业务明细(汇总).csv`]: new Uint8Array(summary) }, { mtime });
}
