import { createSign, randomInt } from 'node:crypto';
import { beijingTimestamp } from '../../api/_platform/alipay-time';
import { fenToYuan } from '../../shared/money';
import type { Outgoing } from './notify-control';
import type { SandboxTrade } from './alipay-pay-trades';

/**
 * Alipay's asynchronous notification (`trade_status_sync`) as the sandbox
 * sends it: form fields signed RSA2 with the Alipay platform key over the
 * sorted `k=v` pairs without `sign` and `sign_type`, posted as
 * `application/x-www-form-urlencoded`. Alipay resends until the reply is the
 * seven bytes `success`, after 4m, 10m, 10m, 1h, 2h, 6h and 15h.
 */

export const alipay_notify_retry_delays_ms = [4, 10, 10, 60, 120, 360, 900].map((minutes) => minutes * 60 * 1000);

export interface RefundNotice {
  outRequestNo: string;
  refundedTotalFen: number;
  at: Date;
}

function notifyId(at: Date): string {
  let digits = '';
  for (let i = 0; i < 20; i++) digits += String(randomInt(10));
  return `${beijingTimestamp(at).replace(/\D/g, '').slice(0, 8)}${digits}`.slice(0, 34);
}

export function signNotification(fields: Record<string, string>, alipayPrivateKey: string): string {
  const content = Object.keys(fields)
    .filter((name) => name !== 'sign' && name !== 'sign_type')
    .sort()
    .map((name) => `${name}=${fields[name]}`)
    .join('&');
  return createSign('RSA-SHA256').update(content, 'utf8').sign(alipayPrivateKey, 'base64');
}

export function tradeNotificationFields(trade: SandboxTrade, now: Date, refund?: RefundNotice): Record<string, string> {
  const total = fenToYuan(trade.totalFen);
  const fields: Record<string, string> = {
    notify_time: beijingTimestamp(now),
    notify_type: 'trade_status_sync',
    notify_id: notifyId(now),
    charset: 'utf-8',
    version: '1.0',
    app_id: trade.appId,
    auth_app_id: trade.authAppId,
    seller_id: trade.sellerId,
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    trade_status: trade.status,
    total_amount: total,
    subject: trade.subject,
    gmt_create: beijingTimestamp(trade.createdAt),
  };
  if (trade.buyerOpenId) fields['buyer_open_id'] = trade.buyerOpenId;
  else if (trade.buyerId) fields['buyer_id'] = trade.buyerId;
  if (trade.paidAt) {
    fields['gmt_payment'] = beijingTimestamp(trade.paidAt);
    fields['receipt_amount'] = total;
    fields['invoice_amount'] = total;
    fields['buyer_pay_amount'] = total;
    fields['point_amount'] = '0.00';
    fields['fund_bill_list'] = JSON.stringify([{ amount: total, fundChannel: 'ALIPAYACCOUNT' }]);
  }
  if (trade.closedAt && !refund) fields['gmt_close'] = beijingTimestamp(trade.closedAt);
  if (refund) {
    fields['out_biz_no'] = refund.outRequestNo;
    fields['refund_fee'] = fenToYuan(refund.refundedTotalFen);
    fields['gmt_refund'] = `${beijingTimestamp(refund.at)}.${String(refund.at.getTime() % 1000).padStart(3, '0')}`;
  }
  return fields;
}

export function alipayOutgoing(fields: Record<string, string>, url: string, alipayPrivateKey: string): Outgoing {
  const signed = { ...fields, sign_type: 'RSA2', sign: signNotification(fields, alipayPrivateKey) };
  return {
    channel: 'alipay',
    id: fields['notify_id'] ?? '',
    url,
    body: new URLSearchParams(signed).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
    retryDelaysMs: alipay_notify_retry_delays_ms,
    // Only the exact seven bytes count: no whitespace, no HTML.
    accepted: (status, body) => status === 200 && body === 'success',
  };
}
