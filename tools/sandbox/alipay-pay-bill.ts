import { Hono } from 'hono';
import { alipayBillZip, type GenLine } from '../bills/writer';
import type { AlipayMethod, AlipayReply } from './alipay-gateway';
import type { AlipayPaySandbox } from './alipay-pay-trades';
import { beijingDay, billReadyMs, BillLinks, feeFen, inDay, isDay, sandbox_bill_link_ms } from './bill-day';

/**
 * Alipay's bill download (B7): `alipay.data.dataservice.bill.downloadurl.query`
 * with `bill_type=trade` answers a `bill_download_url` that lives 30 seconds;
 * the file there is the zip of GBK CSVs (业务明细 and 业务明细(汇总)) made from
 * this sandbox's trades and refunds of the day. A day with nothing on it, or
 * asked for before the bill is ready (10:00 Beijing the next day), is
 * `isp.bill_not_exist`, which is all the real gateway says in both cases.
 */

const links = new WeakMap<AlipayPaySandbox, BillLinks>();
function linksOf(pay: AlipayPaySandbox): BillLinks {
  let l = links.get(pay);
  if (!l) links.set(pay, (l = new BillLinks()));
  return l;
}

function failed(subCode: string, subMsg: string): AlipayReply {
  return { in: 'method', payload: { code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: subMsg } };
}

/** One merchant's lines of a day: a bill is always of the seller it was asked for, never of the whole sandbox. */
export function alipayBillLines(pay: AlipayPaySandbox, day: string, sellerId: string = pay.sellerId): GenLine[] {
  const lines: GenLine[] = [];
  for (const t of pay.trades.values()) {
    if (t.sellerId !== sellerId) continue;
    const paidMs = t.paidAt?.getTime();
    if (inDay(paidMs, day)) {
      lines.push({ kind: 'payment', outNo: t.outTradeNo, outTradeNo: t.outTradeNo, amountFen: t.totalFen, feeFen: feeFen(t.totalFen), at: t.paidAt!, status: 'SUCCESS', platformNo: t.tradeNo });
    }
    for (const r of t.refunds) {
      if (!inDay(r.at.getTime(), day)) continue;
      lines.push({ kind: 'refund', outNo: r.outRequestNo, outTradeNo: t.outTradeNo, amountFen: r.amountFen, feeFen: -feeFen(r.amountFen), at: r.at, status: 'SUCCESS', platformNo: t.tradeNo });
    }
  }
  return lines.sort((a, b) => a.at.getTime() - b.at.getTime());
}

export const billDownloadUrlQuery: AlipayMethod = ({ params, pay, origin, seller }) => {
  let biz: Record<string, unknown>;
  try {
    biz = JSON.parse(params['biz_content'] ?? '') as Record<string, unknown>;
  } catch {
    return failed('isv.invalid-parameter', 'biz_content 不是 JSON 对象');
  }
  const day = typeof biz['bill_date'] === 'string' ? biz['bill_date'] : undefined;
  if (biz['bill_type'] !== 'trade') return failed('isp.bill_type_not_support', '账单类型不支持（沙箱只有 trade）');
  if (!isDay(day)) return failed('isv.invalid-parameter', 'bill_date 格式应为 yyyy-MM-dd');
  const nowMs = pay.now();
  if (day >= beijingDay(nowMs)) return failed('isv.invalid-parameter', '不支持下载当日账单');
  const { sellerId } = seller;
  const lines = nowMs < billReadyMs(day) ? [] : alipayBillLines(pay, day, sellerId);
  if (lines.length === 0) return failed('isp.bill_not_exist', '账单不存在');
  const token = linksOf(pay).issue(alipayBillZip(lines, day, { pid: sellerId }), nowMs + sandbox_bill_link_ms.alipay);
  const compact = day.replaceAll('-', '');
  const url = new URL('/downloadBillFile.resource', origin);
  url.search = new URLSearchParams({ bizType: 'trade', userId: sellerId, fileType: 'csv.zip', bizDates: compact, downloadFileName: `${sellerId}0156_${compact}.csv.zip`, token }).toString();
  return { in: 'method', payload: { code: '10000', msg: 'Success', bill_download_url: url.href } };
};

/** The file behind a `bill_download_url`: no signature, no sign-in, only the token, as on Alipay's bill server. */
export function alipayBillRoutes(pay: AlipayPaySandbox): Hono {
  const app = new Hono();
  app.get('/downloadBillFile.resource', (c) => {
    const file = linksOf(pay).take(c.req.query('token'), pay.now());
    if (file === undefined) return c.text('文件不存在', 404);
    if (file === 'expired') return c.text('下载链接已失效', 410);
    return c.body(file as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/zip' });
  });
  return app;
}
