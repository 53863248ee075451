import { z } from 'zod';
import type { RefundState, TradeState } from '../channel.js';

/**
 * WeChat Pay's transaction and refund objects (query answers, codepay
 * answers and decrypted notifications share them) mapped onto the core's
 * states. Amounts stay integer fen; anything that is not is malformed.
 */

const fen = z.number().int().nonnegative();

export const transactionSchema = z.looseObject({
  appid: z.string().optional(),
  mchid: z.string().optional(),
  /** Partner mode (#18): the provider's app and merchant number, and the sub-merchant's. */
  sp_appid: z.string().optional(),
  sp_mchid: z.string().optional(),
  sub_appid: z.string().optional(),
  sub_mchid: z.string().optional(),
  out_trade_no: z.string().min(1),
  transaction_id: z.string().optional(),
  trade_type: z.string().optional(),
  trade_state: z.string().min(1),
  trade_state_desc: z.string().optional(),
  success_time: z.string().optional(),
  payer: z.looseObject({ openid: z.string().optional(), sp_openid: z.string().optional(), sub_openid: z.string().optional() }).optional(),
  amount: z.looseObject({ total: fen.optional(), payer_total: fen.optional(), currency: z.string().optional() }).optional(),
});

export type WechatTransaction = z.infer<typeof transactionSchema>;

export const refundSchema = z.looseObject({
  /** Partner refund notifications name `sp_mchid` and `sub_mchid`; one official sample shows a bare `mchid`, so both are read. */
  mchid: z.string().optional(),
  sp_mchid: z.string().optional(),
  sub_mchid: z.string().optional(),
  out_refund_no: z.string().min(1),
  out_trade_no: z.string().optional(),
  refund_id: z.string().optional(),
  transaction_id: z.string().optional(),
  /** `status` in API answers, `refund_status` in notifications. */
  status: z.string().optional(),
  refund_status: z.string().optional(),
  success_time: z.string().optional(),
  amount: z.looseObject({ refund: fen, total: fen.optional() }).optional(),
});

export type WechatRefund = z.infer<typeof refundSchema>;

const trade_states: Record<string, TradeState['state']> = {
  SUCCESS: 'succeeded',
  // A refunded trade was paid; the refund is tracked on its own.
  REFUND: 'succeeded',
  NOTPAY: 'pending',
  USERPAYING: 'pending',
  ACCEPT: 'pending',
  CLOSED: 'closed',
  REVOKED: 'closed',
  PAYERROR: 'failed',
};

const refund_states: Record<string, RefundState['state']> = {
  SUCCESS: 'succeeded',
  PROCESSING: 'pending',
  ABNORMAL: 'abnormal',
  CLOSED: 'closed',
};

function time(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** Throws on an unknown trade_state: guessing a state for money is worse than failing loudly. */
export function tradeStateOf(transaction: WechatTransaction): TradeState {
  const state = trade_states[transaction.trade_state];
  if (!state) throw new Error(`unknown WeChat Pay trade_state ${transaction.trade_state}`);
  const out: TradeState = { state, outTradeNo: transaction.out_trade_no };
  if (transaction.transaction_id) out.platformTradeNo = transaction.transaction_id;
  if (transaction.amount?.total !== undefined) out.amountFen = transaction.amount.total;
  // With a sub_appid the payer is known under the merchant's app (sub_openid), else under the provider's (sp_openid).
  const payerId = transaction.payer?.openid ?? transaction.payer?.sub_openid ?? transaction.payer?.sp_openid;
  if (payerId) out.payerId = payerId;
  const paidAt = state === 'succeeded' ? time(transaction.success_time) : undefined;
  if (paidAt) out.paidAt = paidAt;
  const merchantNo = transaction.mchid ?? transaction.sp_mchid;
  if (merchantNo) out.merchantNo = merchantNo;
  const appId = transaction.appid ?? transaction.sp_appid;
  if (appId) out.appId = appId;
  if (transaction.sub_mchid) out.subMerchantNo = transaction.sub_mchid;
  if (transaction.sub_appid) out.subAppId = transaction.sub_appid;
  if (state === 'failed') out.failure = { code: transaction.trade_state, message: transaction.trade_state_desc ?? '' };
  return out;
}

export function refundStateOf(refund: WechatRefund): RefundState {
  const status = refund.status ?? refund.refund_status ?? '';
  const state = refund_states[status];
  if (!state) throw new Error(`unknown WeChat Pay refund status ${status || '(none)'}`);
  const out: RefundState = { state, outRefundNo: refund.out_refund_no };
  if (refund.out_trade_no) out.outTradeNo = refund.out_trade_no;
  if (refund.refund_id) out.platformRefundNo = refund.refund_id;
  if (refund.amount) out.refundFen = refund.amount.refund;
  const merchantNo = refund.sp_mchid ?? refund.mchid;
  if (merchantNo) out.merchantNo = merchantNo;
  if (refund.sub_mchid) out.subMerchantNo = refund.sub_mchid;
  const refundedAt = state === 'succeeded' ? time(refund.success_time) : undefined;
  if (refundedAt) out.refundedAt = refundedAt;
  if (state === 'abnormal' || state === 'closed') out.failure = { code: status, message: status === 'ABNORMAL' ? '退款异常，退款到用户账户失败' : '退款关闭' };
  return out;
}

const shanghai_offset_ms = 8 * 60 * 60 * 1000;

/** RFC 3339 in Beijing time, the form `time_expire` takes: `2026-10-02T10:00:00+08:00`. */
export function beijingRfc3339(at: Date): string {
  return `${new Date(at.getTime() + shanghai_offset_ms).toISOString().slice(0, 19)}+08:00`;
}
