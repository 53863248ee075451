import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { wechatBill, type GenLine } from '../bills/writer';
import { beijingDay, billReadyMs, BillLinks, dayStartMs, feeFen, inDay, isDay, sandbox_bill_link_ms } from './bill-day';
import type { Refusal, SandboxRefund, SandboxTrade, WechatTrades } from './wechat-pay-trades';

/**
 * WeChat Pay's trade bill (A11): `GET /v3/bill/tradebill` answers, signed,
 * with the SHA1 of the bill and a short-lived `download_url`; the download
 * (`GET /v3/billdownload/file`, Authorization checked, answer unsigned, as
 * on the platform) is the bill made from this sandbox's own trades and
 * refunds of the day, gzipped when `tar_type=GZIP`. Before 10:00 Beijing
 * the next day the bill is STATEMENT_CREATING; a day with nothing on it is
 * NO_STATEMENT_EXIST. `POST /sandbox/wechat/bills {tamper}` makes the next
 * downloads differ from their announced hash.
 */

export interface BillRouteTools {
  admit(c: Context): Promise<{ body: unknown } | Response>;
  signed(c: Context, status: number, body?: object): Response;
  refuse(c: Context, refusal: Refusal): Response;
  appId: string;
  mchId: string;
  now: () => number;
}

/** Bills go back this far (WeChat: the last 3 months). */
const bill_history_days = 92;
const billTypes = ['ALL', 'SUCCESS', 'REFUND'] as const;

const refundStatusInBill: Record<SandboxRefund['status'], string> = { PROCESSING: 'PROCESSING', SUCCESS: 'SUCCESS', ABNORMAL: 'CHANGE', CLOSED: 'FAIL' };

function paidIn(trade: SandboxTrade): boolean {
  return trade.successMs !== undefined && (trade.state === 'SUCCESS' || trade.state === 'REFUND' || trade.state === 'REVOKED');
}

/** The day's rows: payments by payment time, refunds by the time they were accepted (the row is written then and not updated). */
/**
 * `subMchid` (partner mode, #18) keeps only that sub-merchant's rows; without
 * it the bill is the whole account's, every sub-merchant's included, as the
 * platform gives a provider that leaves `sub_mchid` out.
 */
export function wechatBillLines(store: WechatTrades, day: string, billType: (typeof billTypes)[number], subMchid?: string): GenLine[] {
  const lines: GenLine[] = [];
  const theirs = (t: { subMchid?: string } | undefined) => subMchid === undefined || t?.subMchid === subMchid;
  if (billType !== 'REFUND') {
    for (const t of store.trades.values()) {
      if (!paidIn(t) || !inDay(t.successMs, day) || !theirs(t)) continue;
      lines.push({ ...(t.subMchid ? { subMchid: t.subMchid } : {}), kind: 'payment', outNo: t.outTradeNo, outTradeNo: t.outTradeNo, amountFen: t.totalFen, feeFen: feeFen(t.totalFen), at: new Date(t.successMs!), status: t.state === 'REVOKED' ? 'REVOKED' : 'SUCCESS', platformNo: t.transactionId, tradeType: t.tradeType });
    }
  }
  if (billType !== 'SUCCESS') {
    for (const r of store.refunds.values()) {
      if (!inDay(r.createdMs, day)) continue;
      const t = store.trades.get(r.outTradeNo);
      if (!theirs(t)) continue;
      lines.push({ ...(t?.subMchid ? { subMchid: t.subMchid } : {}), kind: 'refund', outNo: r.outRefundNo, outTradeNo: r.outTradeNo, amountFen: r.refundFen, feeFen: -feeFen(r.refundFen), at: new Date(r.createdMs), status: refundStatusInBill[r.status], platformNo: t?.transactionId ?? '', refundPlatformNo: r.refundId, ...(t ? { tradeType: t.tradeType } : {}) });
    }
  }
  return lines.sort((a, b) => a.at.getTime() - b.at.getTime());
}

export function wechatBillRoutes(app: Hono, store: WechatTrades, t: BillRouteTools): void {
  const links = new BillLinks();
  let tamper = false;
  const param = (message: string): Refusal => ({ status: 400, code: 'PARAM_ERROR', message });

  app.get('/v3/bill/tradebill', async (c) => {
    const admitted = await t.admit(c);
    if (admitted instanceof Response) return admitted;
    const day = c.req.query('bill_date');
    const billType = c.req.query('bill_type') ?? 'ALL';
    const tarType = c.req.query('tar_type');
    const subMchid = c.req.query('sub_mchid');
    if (subMchid !== undefined && !/^\d{8,12}$/.test(subMchid)) return t.refuse(c, param('sub_mchid格式不正确'));
    if (!isDay(day)) return t.refuse(c, param('bill_date格式应为YYYY-MM-DD'));
    if (!(billTypes as readonly string[]).includes(billType)) return t.refuse(c, param('bill_type取值不正确'));
    if (tarType !== undefined && tarType !== 'GZIP') return t.refuse(c, param('tar_type取值不正确'));
    const nowMs = t.now();
    if (day >= beijingDay(nowMs)) return t.refuse(c, param('不支持下载当日及之后的账单'));
    if (dayStartMs(day) < nowMs - bill_history_days * 86_400_000) return t.refuse(c, param('仅支持下载三个月内的账单'));
    if (nowMs < billReadyMs(day)) return t.refuse(c, { status: 400, code: 'STATEMENT_CREATING', message: '账单生成中' });
    const lines = wechatBillLines(store, day, billType as (typeof billTypes)[number], subMchid);
    if (lines.length === 0) return t.refuse(c, { status: 400, code: 'NO_STATEMENT_EXIST', message: '请求的账单文件不存在' });
    const bill = Buffer.from(wechatBill(lines, { appId: t.appId, mchId: t.mchId }), 'utf8');
    // The hash is of the bill itself, before compression ("原始账单(gzip需要解压缩)的摘要值").
    const hash = createHash('sha1').update(bill).digest('hex');
    const served = tamper ? Buffer.from(bill.toString('utf8').replace('柜台演示商行', '柜台演示商號'), 'utf8') : bill;
    const token = links.issue(tarType === 'GZIP' ? gzipSync(served) : served, nowMs + sandbox_bill_link_ms.wechat);
    const origin = new URL(c.req.url).origin;
    return t.signed(c, 200, { hash_type: 'SHA1', hash_value: hash, download_url: `${origin}/v3/billdownload/file?token=${token}${tarType === 'GZIP' ? '&tartype=gzip' : ''}` });
  });

  // The file itself carries no signature headers: the caller checks the hash instead.
  app.get('/v3/billdownload/file', async (c) => {
    const admitted = await t.admit(c);
    if (admitted instanceof Response) return admitted;
    const file = links.take(c.req.query('token'), t.now());
    if (file === undefined) return c.json({ code: 'RESOURCE_NOT_EXISTS', message: '账单文件不存在' }, 404);
    if (file === 'expired') return c.json({ code: 'INVALID_REQUEST', message: '下载链接已过期，请重新申请账单' }, 400);
    return c.body(file as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/octet-stream' });
  });

  app.post('/sandbox/wechat/bills', bodyLimit({ maxSize: 1024 }), async (c) => {
    const parsed = z.strictObject({ tamper: z.boolean() }).safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
    tamper = parsed.data.tamper;
    return c.json({ tamper });
  });
}
