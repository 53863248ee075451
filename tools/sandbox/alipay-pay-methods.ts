import { beijingTimestamp, parseBeijingTimestamp } from '../../api/_platform/alipay-time';
import { fenToYuan, yuanToFen } from '../../shared/money';
import type { AlipayMethod, AlipayReply, AlipayRequest, SellerContext } from './alipay-gateway';
import { alipay_amount_pattern, bizOf, failed, invalid, ok, str, user_id_pattern, type Biz } from './alipay-replies';
import type { AlipayProduct, SandboxTrade } from './alipay-pay-trades';

/**
 * The trade methods of Alipay's gateway (当面付 and mini-program pay), as
 * the sandbox plays them. Answers follow the real gateway's shape: `10000`
 * success, `10003` waiting for the payer, `40004` business failure with an
 * `ACQ.*` sub code. Amounts are yuan strings converted exactly to fen.
 */

const alipay_trade_fen_max = 100_000_000_00;
const out_trade_no_pattern = /^[A-Za-z0-9_]{1,64}$/;
const out_request_no_pattern = /^[A-Za-z0-9_\-|*@]{1,64}$/;

const not_exist = () => failed('ACQ.TRADE_NOT_EXIST', '交易不存在');

function amountFen(value: string | undefined): number | undefined {
  if (value === undefined || !alipay_amount_pattern.test(value)) return undefined;
  const fen = yuanToFen(value);
  return fen >= 1 && fen <= alipay_trade_fen_max ? fen : undefined;
}

/** Finds the trade a request names by out_trade_no or trade_no, among the calling merchant's trades only. */
function named(request: AlipayRequest, biz: Biz, countQuery = false): SandboxTrade | undefined {
  const { pay } = request;
  const outTradeNo = str(biz, 'out_trade_no');
  const tradeNo = str(biz, 'trade_no');
  const trade = outTradeNo ? pay.trades.get(outTradeNo) : tradeNo ? pay.byTradeNo(tradeNo) : undefined;
  if (!trade || (tradeNo && trade.tradeNo !== tradeNo) || trade.sellerId !== request.seller.sellerId) return undefined;
  return pay.visible(trade.outTradeNo, { countQuery });
}

/** Another merchant's trade under the same out_trade_no: refused rather than shown or replaced. */
function heldByAnother(existing: SandboxTrade, seller: SellerContext): AlipayReply | undefined {
  return existing.sellerId === seller.sellerId ? undefined : failed('ACQ.TRADE_HAS_EXIST', '交易已存在，请更换商户订单号（沙箱：该订单号已被另一商户使用）');
}

function buyerFields(trade: SandboxTrade): Record<string, string> {
  if (trade.buyerOpenId) return { buyer_open_id: trade.buyerOpenId, buyer_logon_id: '159******01' };
  if (trade.buyerId) return { buyer_user_id: trade.buyerId, buyer_logon_id: '159******01' };
  return {};
}

interface NewTrade {
  biz: Biz;
  outTradeNo: string;
  totalFen: number;
  subject: string;
}

/** The common checks of create, precreate and pay: numbers, amount, subject. */
function readNewTrade(request: AlipayRequest): NewTrade | AlipayReply {
  const biz = bizOf(request);
  if (!biz) return invalid('biz_content 不是 JSON 对象');
  const outTradeNo = str(biz, 'out_trade_no');
  if (!outTradeNo || !out_trade_no_pattern.test(outTradeNo)) return invalid('out_trade_no');
  const totalFen = amountFen(str(biz, 'total_amount'));
  if (totalFen === undefined) return invalid('total_amount (0.01–100000000, at most two decimals)');
  const subject = str(biz, 'subject');
  if (!subject || subject.length > 256) return invalid('subject');
  return { biz, outTradeNo, totalFen, subject };
}

/** A second request for an out_trade_no already used: the same unpaid order is answered again; anything else is refused. */
function reuse(existing: SandboxTrade, product: AlipayProduct, wanted: NewTrade): AlipayReply | SandboxTrade {
  if (existing.status === 'TRADE_SUCCESS' || existing.status === 'TRADE_FINISHED') return failed('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
  if (existing.status === 'TRADE_CLOSED') return failed('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
  if (existing.product !== product || existing.totalFen !== wanted.totalFen || existing.subject !== wanted.subject) {
    return failed('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
  }
  return existing;
}

function baseTrade(request: AlipayRequest, wanted: NewTrade, product: AlipayProduct): SandboxTrade {
  const { pay } = request;
  const extend = wanted.biz['extend_params'];
  const trade: SandboxTrade = {
    outTradeNo: wanted.outTradeNo,
    tradeNo: pay.newTradeNo(),
    appId: request.params['app_id'] ?? '',
    authAppId: request.seller.authAppId,
    sellerId: request.seller.sellerId,
    product,
    totalFen: wanted.totalFen,
    subject: wanted.subject,
    status: 'WAIT_BUYER_PAY',
    scanned: product !== 'precreate',
    royaltyFreeze: typeof extend === 'object' && extend !== null && (extend as Biz)['royalty_freeze'] === 'true',
    createdAt: new Date(pay.now()),
    refunds: [],
  };
  const notifyUrl = request.params['notify_url'];
  if (notifyUrl) trade.notifyUrl = notifyUrl;
  const expires = str(wanted.biz, 'time_expire');
  if (expires) {
    const at = parseBeijingTimestamp(expires);
    if (at) trade.expiresAt = at;
  }
  return trade;
}

function checkExpiry(wanted: NewTrade): AlipayReply | undefined {
  const expires = str(wanted.biz, 'time_expire');
  if (expires !== undefined && !parseBeijingTimestamp(expires)) return invalid('time_expire (yyyy-MM-dd HH:mm:ss)');
  return undefined;
}

export const tradeCreate: AlipayMethod = (request) => {
  const wanted = readNewTrade(request);
  if ('in' in wanted) return wanted;
  const expiryError = checkExpiry(wanted);
  if (expiryError) return expiryError;
  const buyerId = str(wanted.biz, 'buyer_id');
  const buyerOpenId = str(wanted.biz, 'buyer_open_id');
  if (!buyerId && !buyerOpenId) return invalid('buyer_id 与 buyer_open_id 不能同时为空');
  if (buyerId && !user_id_pattern.test(buyerId)) return invalid('buyer_id');
  const opAppId = str(wanted.biz, 'op_app_id');
  if (opAppId !== undefined && opAppId !== request.keys.alipay.appId && opAppId !== request.seller.authAppId) return failed('ACQ.INVALID_PARAMETER', 'op_app_id 与商户未绑定');
  const { pay } = request;
  const existing = pay.trades.get(wanted.outTradeNo);
  if (existing) {
    const other = heldByAnother(existing, request.seller);
    if (other) return other;
    const again = reuse(existing, 'create', wanted);
    if ('in' in again) return again;
    return ok({ out_trade_no: again.outTradeNo, trade_no: again.tradeNo });
  }
  if (pay.isFull()) return failed('ACQ.SYSTEM_ERROR', '系统繁忙 (sandbox trade store full)');
  const trade = baseTrade(request, wanted, 'create');
  if (buyerOpenId) trade.buyerOpenId = buyerOpenId;
  else if (buyerId) trade.buyerId = buyerId;
  pay.trades.set(trade.outTradeNo, trade);
  return ok({ out_trade_no: trade.outTradeNo, trade_no: trade.tradeNo });
};

export const tradePrecreate: AlipayMethod = (request) => {
  const wanted = readNewTrade(request);
  if ('in' in wanted) return wanted;
  const expiryError = checkExpiry(wanted);
  if (expiryError) return expiryError;
  const { pay } = request;
  const existing = pay.trades.get(wanted.outTradeNo);
  if (existing) {
    const other = heldByAnother(existing, request.seller);
    if (other) return other;
    const again = reuse(existing, 'precreate', wanted);
    if ('in' in again) return again;
    return ok({ out_trade_no: again.outTradeNo, qr_code: again.qrCode });
  }
  if (pay.isFull()) return failed('ACQ.SYSTEM_ERROR', '系统繁忙 (sandbox trade store full)');
  const trade = baseTrade(request, wanted, 'precreate');
  trade.qrCode = pay.newQrCode();
  pay.trades.set(trade.outTradeNo, trade);
  return ok({ out_trade_no: trade.outTradeNo, qr_code: trade.qrCode });
};

const auth_code_invalid = '支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款，如再次收款失败，请联系管理员处理。[SOUNDWAVE_PARSER_FAIL]';

export const tradePay: AlipayMethod = (request) => {
  const wanted = readNewTrade(request);
  if ('in' in wanted) return wanted;
  if (str(wanted.biz, 'scene') !== 'bar_code') return invalid('scene (the sandbox plays bar_code)');
  const authCode = str(wanted.biz, 'auth_code');
  if (!authCode) return invalid('auth_code');
  const { pay } = request;
  const existing = pay.trades.get(wanted.outTradeNo);
  if (existing) {
    const other = heldByAnother(existing, request.seller);
    if (other) return other;
    const again = reuse(existing, 'bar_code', wanted);
    if ('in' in again) return again;
    // A new payment code needs a new out_trade_no while the first one is still open.
    return failed('ACQ.TRADE_HAS_EXIST', '交易已存在，请更换商户订单号');
  }
  const taken = pay.paycodes.take('alipay', authCode);
  if (taken.outcome !== 'ok' || taken.paycode.behaviour === 'invalid') return failed('ACQ.PAYMENT_AUTH_CODE_INVALID', auth_code_invalid);
  const paycode = taken.paycode;
  if (paycode.behaviour === 'insufficient') return failed('ACQ.BUYER_BALANCE_NOT_ENOUGH', '买家余额不足');
  if (pay.isFull()) return failed('ACQ.SYSTEM_ERROR', '系统繁忙 (sandbox trade store full)');
  const trade = baseTrade(request, wanted, 'bar_code');
  trade.buyerId = paycode.payerId;
  pay.trades.set(trade.outTradeNo, trade);
  const total = fenToYuan(trade.totalFen);
  const facts = { trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo, total_amount: total, buyer_user_id: paycode.payerId, buyer_logon_id: '159******01' };
  if (paycode.behaviour === 'userpaying') {
    trade.userPaying = {
      queriesLeft: paycode.afterQueries,
      payAtMs: paycode.afterMs === undefined ? undefined : pay.now() + paycode.afterMs,
      payerId: paycode.payerId,
    };
    return { in: 'method', payload: { code: '10003', msg: ' order success pay inprocess', ...facts } };
  }
  pay.markPaid(trade, paycode.payerId);
  return ok({
    ...facts,
    receipt_amount: total,
    buyer_pay_amount: total,
    gmt_payment: beijingTimestamp(trade.paidAt),
    fund_bill_list: [{ fund_channel: 'ALIPAYACCOUNT', amount: total }],
  });
};

export const tradeQuery: AlipayMethod = (request) => {
  const biz = bizOf(request);
  if (!biz) return invalid('biz_content 不是 JSON 对象');
  const trade = named(request, biz, true);
  if (!trade) return not_exist();
  const total = fenToYuan(trade.totalFen);
  const payload: Record<string, unknown> = {
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    trade_status: trade.status,
    total_amount: total,
    ...buyerFields(trade),
  };
  if (trade.paidAt) {
    payload['send_pay_date'] = beijingTimestamp(trade.paidAt);
    payload['buyer_pay_amount'] = total;
    payload['receipt_amount'] = total;
  }
  return ok(payload);
};

export const tradeClose: AlipayMethod = (request) => {
  const biz = bizOf(request);
  if (!biz) return invalid('biz_content 不是 JSON 对象');
  const trade = named(request, biz);
  if (!trade) return not_exist();
  if (trade.status !== 'WAIT_BUYER_PAY') return failed('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
  request.pay.markClosed(trade);
  return ok({ trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo });
};

/** Closes an unpaid trade, refunds a paid one; cancelling again changes nothing. */
export const tradeCancel: AlipayMethod = (request) => {
  const biz = bizOf(request);
  if (!biz) return invalid('biz_content 不是 JSON 对象');
  const { pay } = request;
  const trade = named(request, biz);
  if (!trade) return failed('ACQ.TRADE_NOT_EXIST', '交易不存在', { retry_flag: 'N' });
  const answer = (action: string) => ok({ trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo, retry_flag: 'N', action });
  if (trade.status === 'WAIT_BUYER_PAY') {
    trade.userPaying = undefined;
    pay.markClosed(trade);
    return answer('close');
  }
  if (trade.status === 'TRADE_SUCCESS') {
    const remaining = trade.totalFen - pay.refundedFen(trade);
    pay.addRefund(trade, { outRequestNo: `cancel_${trade.outTradeNo}`.slice(0, 64), amountFen: remaining, reason: 'cancel', at: new Date(pay.now()) });
    return answer('refund');
  }
  if (trade.status === 'TRADE_CLOSED') return answer('');
  return failed('ACQ.TRADE_STATUS_ERROR', '交易状态不合法', { retry_flag: 'N' });
};

export const tradeRefund: AlipayMethod = (request) => {
  const biz = bizOf(request);
  if (!biz) return invalid('biz_content 不是 JSON 对象');
  const { pay } = request;
  const refundFen = amountFen(str(biz, 'refund_amount'));
  if (refundFen === undefined) return invalid('refund_amount (0.01–100000000, at most two decimals)');
  const trade = named(request, biz);
  if (!trade) return not_exist();
  const outRequestNo = str(biz, 'out_request_no') ?? trade.outTradeNo;
  if (!out_request_no_pattern.test(outRequestNo)) return invalid('out_request_no');
  const answer = (fundChange: 'Y' | 'N', at: Date) =>
    ok({
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      ...buyerFields(trade),
      fund_change: fundChange,
      refund_fee: fenToYuan(pay.refundedFen(trade)),
      gmt_refund_pay: beijingTimestamp(at),
    });
  const earlier = trade.refunds.find((refund) => refund.outRequestNo === outRequestNo);
  if (earlier) {
    // The same out_request_no is the same refund: never executed twice.
    if (earlier.amountFen !== refundFen) return failed('ACQ.CONTEXT_INCONSISTENT', '参数与原退款请求不一致');
    return answer('N', earlier.at);
  }
  if (trade.status !== 'TRADE_SUCCESS') return failed('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
  if (refundFen > trade.totalFen - pay.refundedFen(trade)) return failed('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
  const at = new Date(pay.now());
  pay.addRefund(trade, { outRequestNo, amountFen: refundFen, reason: str(biz, 'refund_reason') ?? '', at });
  return answer('Y', at);
};

export const tradeRefundQuery: AlipayMethod = (request) => {
  const biz = bizOf(request);
  if (!biz) return invalid('biz_content 不是 JSON 对象');
  const trade = named(request, biz);
  if (!trade) return not_exist();
  const outRequestNo = str(biz, 'out_request_no');
  if (!outRequestNo) return invalid('out_request_no');
  const refund = trade.refunds.find((r) => r.outRequestNo === outRequestNo);
  // No such refund: Alipay answers success without the refund fields.
  if (!refund) return ok({ trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo });
  const options = Array.isArray(biz['query_options']) ? (biz['query_options'] as unknown[]) : [];
  return ok({
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    out_request_no: refund.outRequestNo,
    total_amount: fenToYuan(trade.totalFen),
    refund_amount: fenToYuan(refund.amountFen),
    refund_status: 'REFUND_SUCCESS',
    ...(options.includes('gmt_refund_pay') ? { gmt_refund_pay: beijingTimestamp(refund.at) } : {}),
  });
};
