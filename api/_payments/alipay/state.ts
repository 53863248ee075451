import type { RefundState, TradeState } from '../channel.js';
import { parseBeijingTimestamp } from '../../_platform/index.js';
import { alipayAmountToFen } from './amount.js';

/**
 * Alipay answers mapped onto the core's states. Each function takes the
 * `…_response` object (snake_case, as the gateway sends it) after its
 * signature was checked. A code this module cannot place yields an
 * `AlipayUnplaced` result, and the caller reports the call as failed rather
 * than guess.
 */

export type AlipayRecord = Record<string, unknown>;

export const alipay_code_success = '10000';
export const alipay_code_user_paying = '10003';
export const alipay_code_unknown = '20000';
export const alipay_code_business_failed = '40004';

/** Business failures after which querying (or retrying with the same numbers) can still tell the outcome. */
const undecided_sub_codes = new Set(['ACQ.SYSTEM_ERROR', 'ACQ.TRADE_HAS_SUCCESS', 'ACQ.TRADE_HAS_CLOSE']);
const not_exist_sub_code = 'ACQ.TRADE_NOT_EXIST';

export interface AlipayUnplaced {
  unplaced: true;
  code: string;
  message: string;
}

export function text(record: AlipayRecord, name: string): string | undefined {
  const value = record[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function failureOf(record: AlipayRecord): { code: string; message: string } {
  return {
    code: text(record, 'sub_code') ?? text(record, 'code') ?? 'unknown',
    message: text(record, 'sub_msg') ?? text(record, 'msg') ?? '',
  };
}

function unplaced(record: AlipayRecord): AlipayUnplaced {
  const failure = failureOf(record);
  return { unplaced: true, code: `${text(record, 'code') ?? '?'}/${failure.code}`, message: failure.message };
}

/** `2015-04-28 15:45:57` or `2015-04-28 15:45:57.320` (refund times carry milliseconds), Beijing time. */
export function parseAlipayTime(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?:\.(\d{1,3}))?$/.exec(value);
  if (!match) return undefined;
  const at = parseBeijingTimestamp(match[1] ?? '');
  if (!at) return undefined;
  return new Date(at.getTime() + Number((match[2] ?? '').padEnd(3, '0')));
}

export type TradeStatusState = 'succeeded' | 'pending' | 'closed';

/** WAIT_BUYER_PAY → pending; TRADE_SUCCESS and TRADE_FINISHED → succeeded; TRADE_CLOSED → closed; anything else undefined. */
export function tradeStatusState(status: string | undefined): TradeStatusState | undefined {
  switch (status) {
    case 'WAIT_BUYER_PAY':
      return 'pending';
    case 'TRADE_SUCCESS':
    case 'TRADE_FINISHED':
      return 'succeeded';
    case 'TRADE_CLOSED':
      return 'closed';
    default:
      return undefined;
  }
}

/** The facts every trade answer and payment notification share, amounts converted exactly. Throws RangeError on a malformed amount. */
export function tradeFacts(record: AlipayRecord, outTradeNo: string): Omit<TradeState, 'state'> {
  const facts: Omit<TradeState, 'state'> = { outTradeNo: text(record, 'out_trade_no') ?? outTradeNo };
  const tradeNo = text(record, 'trade_no');
  if (tradeNo) facts.platformTradeNo = tradeNo;
  const total = text(record, 'total_amount');
  if (total !== undefined) facts.amountFen = alipayAmountToFen(total);
  const payer = text(record, 'buyer_open_id') ?? text(record, 'buyer_user_id') ?? text(record, 'buyer_id');
  if (payer) facts.payerId = payer;
  const paidAt = parseAlipayTime(text(record, 'gmt_payment') ?? text(record, 'send_pay_date'));
  if (paidAt) facts.paidAt = paidAt;
  const seller = text(record, 'seller_id');
  if (seller) facts.merchantNo = seller;
  const appId = text(record, 'app_id');
  if (appId) facts.appId = appId;
  const authAppId = text(record, 'auth_app_id');
  if (authAppId) facts.authAppId = authAppId;
  return facts;
}

/**
 * `alipay.trade.query`. A fully refunded trade also reads TRADE_CLOSED; it
 * was paid (it has a `send_pay_date`), so it stays `succeeded` here and the
 * refunds are tracked on their own, as WeChat's REFUND state is.
 */
export function queryTradeState(record: AlipayRecord, outTradeNo: string): TradeState | AlipayUnplaced {
  const code = text(record, 'code');
  if (code === alipay_code_business_failed && text(record, 'sub_code') === not_exist_sub_code) return { state: 'not_found', outTradeNo };
  if (code !== alipay_code_success) return unplaced(record);
  const state = tradeStatusState(text(record, 'trade_status'));
  if (!state) return unplaced(record);
  const paid = state === 'closed' && text(record, 'send_pay_date') !== undefined;
  return { state: paid ? 'succeeded' : state, ...tradeFacts(record, outTradeNo) };
}

/**
 * `alipay.trade.pay` with `scene=bar_code`: 10000 paid; 10003 the payer is
 * entering a password; 20000 unknown (query); 40004 refused — for good,
 * unless the sub code says a query can still tell.
 */
export function barCodePayState(record: AlipayRecord, outTradeNo: string): TradeState | AlipayUnplaced {
  const code = text(record, 'code');
  if (code === alipay_code_success) return { state: 'succeeded', ...tradeFacts(record, outTradeNo) };
  if (code === alipay_code_user_paying || code === alipay_code_unknown) return { state: 'pending', ...tradeFacts(record, outTradeNo) };
  if (code === alipay_code_business_failed) {
    const subCode = text(record, 'sub_code') ?? '';
    if (undecided_sub_codes.has(subCode)) return { state: 'pending', ...tradeFacts(record, outTradeNo), failure: failureOf(record) };
    return { state: 'failed', outTradeNo, failure: failureOf(record) };
  }
  return unplaced(record);
}

/**
 * `alipay.trade.refund`. 10000 with `fund_change=Y` moved money now; with
 * `N` the refund was already done earlier (a retry with the same
 * `out_request_no`) or did not move money — `needsQuery` says to confirm with
 * the refund query.
 */
export function refundCallState(record: AlipayRecord, outRefundNo: string, outTradeNo: string): { refund: RefundState; needsQuery: boolean } | AlipayUnplaced {
  const code = text(record, 'code');
  if (code === alipay_code_success) {
    const refund: RefundState = { state: 'succeeded', outRefundNo, outTradeNo: text(record, 'out_trade_no') ?? outTradeNo };
    const tradeNo = text(record, 'trade_no');
    if (tradeNo) refund.platformRefundNo = tradeNo;
    const at = parseAlipayTime(text(record, 'gmt_refund_pay'));
    if (at) refund.refundedAt = at;
    return { refund, needsQuery: text(record, 'fund_change') !== 'Y' };
  }
  if (code === alipay_code_business_failed) {
    const subCode = text(record, 'sub_code') ?? '';
    if (subCode === not_exist_sub_code) return { refund: { state: 'not_found', outRefundNo, outTradeNo, failure: failureOf(record) }, needsQuery: false };
    if (subCode === 'ACQ.SYSTEM_ERROR') return { refund: { state: 'pending', outRefundNo, outTradeNo, failure: failureOf(record) }, needsQuery: false };
    return { refund: { state: 'failed', outRefundNo, outTradeNo, failure: failureOf(record) }, needsQuery: false };
  }
  if (code === alipay_code_unknown) return { refund: { state: 'pending', outRefundNo, outTradeNo, failure: failureOf(record) }, needsQuery: false };
  return unplaced(record);
}

/**
 * `alipay.trade.fastpay.refund.query`. Alipay's rule: an answer that carries
 * the refund with `refund_status` empty or REFUND_SUCCESS means refunded; an
 * answer without it means no such refund happened (retry the refund with the
 * same `out_request_no`).
 */
export function refundQueryState(record: AlipayRecord, outRefundNo: string, outTradeNo: string): RefundState | AlipayUnplaced {
  const code = text(record, 'code');
  if (code === alipay_code_business_failed && text(record, 'sub_code') === not_exist_sub_code) return { state: 'not_found', outRefundNo, outTradeNo };
  if (code !== alipay_code_success) return unplaced(record);
  const amount = text(record, 'refund_amount');
  if (amount === undefined) return { state: 'not_found', outRefundNo, outTradeNo };
  const status = text(record, 'refund_status');
  const state: RefundState['state'] = status === undefined || status === 'REFUND_SUCCESS' ? 'succeeded' : 'pending';
  const refund: RefundState = {
    state,
    outRefundNo: text(record, 'out_request_no') ?? outRefundNo,
    outTradeNo: text(record, 'out_trade_no') ?? outTradeNo,
    refundFen: alipayAmountToFen(amount),
  };
  const tradeNo = text(record, 'trade_no');
  if (tradeNo) refund.platformRefundNo = tradeNo;
  const at = parseAlipayTime(text(record, 'gmt_refund_pay'));
  if (at) refund.refundedAt = at;
  return refund;
}

export function isUnplaced(value: object): value is AlipayUnplaced {
  return 'unplaced' in value;
}
