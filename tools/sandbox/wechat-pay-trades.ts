import { randomBytes, randomInt } from 'node:crypto';
import { beijingTime } from './wechat-pay-signing';

/**
 * The WeChat Pay sandbox's memory: trades and refunds,
 * with the platform's rules for moving between states. Answers are the
 * platform's JSON objects or a refusal `{status, code, message}`.
 */

export type TradeStateName = 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'REFUND' | 'CLOSED' | 'REVOKED' | 'PAYERROR';
export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';

export interface SandboxTrade {
  outTradeNo: string;
  appId: string;
  mchId: string;
  /** Partner mode (#18): the sub-merchant the trade is for (the money is its), and its app when given. */
  subMchid?: string;
  subAppid?: string;
  description: string;
  totalFen: number;
  tradeType: 'JSAPI' | 'NATIVE' | 'MICROPAY';
  state: TradeStateName;
  stateDesc: string;
  transactionId: string;
  prepayId?: string;
  codeUrl?: string;
  notifyUrl?: string;
  openid?: string;
  successMs?: number;
  expireMs?: number;
  profitSharing: boolean;
  /** The creating request, to tell a retry from a clash. */
  request: string;
  userpaying?: { queriesLeft: number; untilMs: number };
}

export interface SandboxRefund {
  outRefundNo: string;
  outTradeNo: string;
  refundId: string;
  refundFen: number;
  status: RefundStatus;
  createdMs: number;
  successMs?: number;
  notifyUrl?: string;
  request: string;
}

export interface Refusal {
  status: number;
  code: string;
  message: string;
}

export const wechat_refunds_per_trade_max = 50;

function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}

export function newTransactionId(): string {
  return `4200${digits(24)}`;
}
export function newPrepayId(nowMs: number): string {
  return `wx${beijingTime(nowMs).slice(0, 19).replace(/\D/g, '')}${randomBytes(9).toString('hex')}`;
}
export function newCodeUrl(): string {
  return `weixin://wxpay/bizpayurl?pr=${randomBytes(6).toString('base64url').slice(0, 7)}`;
}
export function newRefundId(): string {
  return `50${digits(27)}`;
}

export class WechatTrades {
  readonly trades = new Map<string, SandboxTrade>();
  readonly refunds = new Map<string, SandboxRefund>();

  /** An unpaid trade past its time_expire is closed, as the platform closes it. */
  get(outTradeNo: string, nowMs: number): SandboxTrade | undefined {
    const trade = this.trades.get(outTradeNo);
    if (trade && trade.state === 'NOTPAY' && trade.expireMs !== undefined && nowMs > trade.expireMs) {
      trade.state = 'CLOSED';
      trade.stateDesc = '订单已关闭';
    }
    return trade;
  }

  transaction(trade: SandboxTrade): Record<string, unknown> {
    const paid = trade.state === 'SUCCESS' || trade.state === 'REFUND' || (trade.state === 'REVOKED' && trade.successMs !== undefined);
    // A partner trade names the provider (sp_*) and the sub-merchant; its payer is known under the app it paid in.
    const who = trade.subMchid
      ? { sp_appid: trade.appId, sp_mchid: trade.mchId, ...(trade.subAppid ? { sub_appid: trade.subAppid } : {}), sub_mchid: trade.subMchid }
      : { appid: trade.appId, mchid: trade.mchId };
    const payer = trade.openid ? (trade.subMchid ? (trade.subAppid ? { sub_openid: trade.openid } : { sp_openid: trade.openid }) : { openid: trade.openid }) : undefined;
    return {
      ...who,
      out_trade_no: trade.outTradeNo,
      ...(paid ? { transaction_id: trade.transactionId, bank_type: 'OTHERS', success_time: beijingTime(trade.successMs ?? 0) } : {}),
      trade_type: trade.tradeType,
      trade_state: trade.state,
      trade_state_desc: trade.stateDesc,
      attach: '',
      ...(payer ? { payer } : {}),
      amount: paid ? { total: trade.totalFen, payer_total: trade.totalFen, currency: 'CNY', payer_currency: 'CNY' } : { total: trade.totalFen, currency: 'CNY' },
    };
  }

  refundObject(refund: SandboxRefund, asNotification: boolean): Record<string, unknown> {
    const trade = this.trades.get(refund.outTradeNo);
    const total = trade?.totalFen ?? 0;
    const common = {
      out_refund_no: refund.outRefundNo,
      refund_id: refund.refundId,
      transaction_id: trade?.transactionId ?? '',
      out_trade_no: refund.outTradeNo,
      user_received_account: '支付用户零钱',
      ...(refund.successMs !== undefined ? { success_time: beijingTime(refund.successMs) } : {}),
    };
    if (asNotification) {
      return {
        ...(trade?.subMchid ? { sp_mchid: trade.mchId, sub_mchid: trade.subMchid } : { mchid: trade?.mchId ?? '' }),
        ...common,
        refund_status: refund.status,
        amount: { total, refund: refund.refundFen, payer_total: total, payer_refund: refund.refundFen },
      };
    }
    return {
      ...(trade?.subMchid ? { sub_mchid: trade.subMchid } : {}),
      ...common,
      channel: 'ORIGINAL',
      create_time: beijingTime(refund.createdMs),
      status: refund.status,
      funds_account: 'AVAILABLE',
      amount: {
        total,
        refund: refund.refundFen,
        payer_total: total,
        payer_refund: refund.refundFen,
        settlement_refund: refund.refundFen,
        settlement_total: total,
        discount_refund: 0,
        currency: 'CNY',
      },
    };
  }

  /** Sum of refunds that hold money (CLOSED ones gave it back). */
  refundedFen(outTradeNo: string): { fen: number; count: number } {
    let fen = 0;
    let count = 0;
    for (const refund of this.refunds.values()) {
      if (refund.outTradeNo !== outTradeNo) continue;
      count += 1;
      if (refund.status !== 'CLOSED') fen += refund.refundFen;
    }
    return { fen, count };
  }
}
