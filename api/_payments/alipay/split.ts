import { AppError } from '../../_kernel/errors.js';
import type { PaymentChannel, RoyaltyReturn, SplitReceiverAccount, SplitRequest, SplitState } from '../channel.js';
import { alipayAmountToFen, fenToAlipayAmount } from './amount.js';
import { alipay_code_success, failureOf, text, type AlipayRecord } from './state.js';

/**
 * Alipay 商家分账 (royalty) for the `PaymentChannel` split methods:
 *
 * - receivers: `alipay.trade.royalty.relation.bind` (the 分账关系集);
 * - split: `alipay.trade.order.settle` in async mode (`royalty_mode=async`,
 *   up to 50 receivers, each receiver succeeds or fails on its own), amounts
 *   as exact yuan strings, the split id as `out_request_no` so a resend is
 *   the same split;
 * - result: `alipay.trade.order.settle.query` by `out_request_no` + `trade_no`,
 *   one `royalty_detail_list` entry per receiver (SUCCESS / FAIL / PROCESSING);
 * - remainder: `alipay.trade.order.settle` with only
 *   `extend_params.royalty_finish=true` (no royalty_parameters), which
 *   releases whatever is still frozen on the trade;
 * - return: Alipay has no separate return call for this product; split money
 *   comes back inside the refund (`refund_royalty_parameters` on
 *   `alipay.trade.refund`, built by `refundRoyaltyParameters`). Alipay's
 *   refund page says web, app and 直付通 trades must name the receivers this
 *   way, while 当面付 trades outside 直付通 have the split returned by ratio
 *   automatically and do not take the parameter; which rule a given
 *   merchant's QR and code trades follow is to be confirmed on a real account.
 *
 * The freeze itself is `extend_params.royalty_freeze` on the payment call
 * (see `tradeContent` in channel.ts).
 */

export { alipay_split_cap_bp, alipay_user_id_pattern } from '../../../shared/split/limits.js';
/** Receivers in one async `alipay.trade.order.settle` (sync mode takes 5). */
export const alipay_split_receivers_max = 50;
/** `desc` of a royalty entry is at most 1000 characters; the rule's description is far shorter, this only guards. */
export const alipay_royalty_desc_chars_max = 1000;

type Call = (method: string, bizContent: AlipayRecord) => Promise<AlipayRecord>;

function amountOf(fen: number, what: string): string {
  try {
    return fenToAlipayAmount(fen, what);
  } catch (e) {
    throw new AppError('validation_failed', `${(e as Error).message}.`);
  }
}

function alipayType(type: SplitReceiverAccount['type']): 'userId' | 'loginName' {
  if (type !== 'userId' && type !== 'loginName') throw new AppError('validation_failed', `支付宝分账接收方的账号类型须为 userId 或 loginName，不是 ${type}`);
  return type;
}

/** `alipay.trade.royalty.relation.bind`. The request number is derived from the account, so binding again is the same request. */
export function bindContent(receiver: SplitReceiverAccount): AlipayRecord {
  const type = alipayType(receiver.type);
  return {
    receiver_list: [{ type, account: receiver.account, name: receiver.name, memo: relationMemo[receiver.relation] }],
    out_request_no: `bind_${type}_${receiver.account}`.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64),
  };
}

const relationMemo: Record<SplitReceiverAccount['relation'], string> = { BRAND: '品牌方', STORE_OWNER: '房东', SERVICE_PROVIDER: '平台', STAFF: '员工' };

/** `alipay.trade.order.settle` for one split: async mode, each receiver's amount as an exact yuan string. */
export function settleContent(request: SplitRequest): AlipayRecord {
  if (request.receivers.length === 0 || request.receivers.length > alipay_split_receivers_max) {
    throw new AppError('validation_failed', `支付宝一次分账须有 1 到 ${alipay_split_receivers_max} 个接收方（alipay_split_receivers_max）`);
  }
  if (!request.platformTradeNo) throw new AppError('validation_failed', '分账需要支付宝交易号 trade_no');
  return {
    out_request_no: request.outOrderNo,
    trade_no: request.platformTradeNo,
    royalty_mode: 'async',
    royalty_parameters: request.receivers.map((r) => ({
      royalty_type: 'transfer',
      trans_in_type: alipayType(r.type),
      trans_in: r.account,
      amount: amountOf(r.amountFen, 'amountFen'),
      desc: r.description.slice(0, alipay_royalty_desc_chars_max),
    })),
  };
}

/** The finish call: no royalty entries, only `royalty_finish`, so Alipay releases whatever is still frozen. */
export function finishContent(platformTradeNo: string, outRequestNo: string): AlipayRecord {
  if (!platformTradeNo) throw new AppError('validation_failed', '解冻需要支付宝交易号 trade_no');
  return { out_request_no: outRequestNo, trade_no: platformTradeNo, extend_params: { royalty_finish: 'true' } };
}

/** `refund_royalty_parameters` of `alipay.trade.refund`: each receiver named as `trans_out` gives back its amount inside the refund. */
export function refundRoyaltyParameters(returns: readonly RoyaltyReturn[]): AlipayRecord[] {
  return returns.map((r) => ({
    royalty_type: 'transfer',
    trans_out: r.account,
    trans_out_type: alipayType(r.type),
    amount: amountOf(r.amountFen, 'royalty return amountFen'),
    desc: r.description.slice(0, alipay_royalty_desc_chars_max),
  }));
}

/** An amount in a settle-query answer: a yuan string, or (as some answers show it) a JSON number, read through its decimal text. */
function amountFenOf(value: unknown): number {
  if (typeof value === 'string') return alipayAmountToFen(value);
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return alipayAmountToFen(String(value));
  throw new RangeError(`not an Alipay amount: ${JSON.stringify(value)}`);
}

/** `alipay.trade.order.settle.query` → the core's split state; `finished` once no receiver is still PROCESSING. */
export function settleQueryState(record: AlipayRecord, outOrderNo: string): SplitState {
  const list = Array.isArray(record['royalty_detail_list']) ? (record['royalty_detail_list'] as AlipayRecord[]) : [];
  const receivers: SplitState['receivers'] = list
    .filter((d) => (text(d, 'operation_type') ?? 'transfer') === 'transfer')
    .map((d) => {
      const state = text(d, 'state');
      const reason = [text(d, 'error_code'), text(d, 'error_desc')].filter(Boolean).join(' ');
      return {
        type: text(d, 'trans_in_type') ?? '',
        account: text(d, 'trans_in') ?? '',
        amountFen: amountFenOf(d['amount']),
        result: state === 'SUCCESS' ? 'success' : state === 'FAIL' ? 'closed' : 'pending',
        ...(state === 'FAIL' && reason ? { failReason: reason } : {}),
      };
    });
  const settleNo = text(record, 'settle_no');
  return {
    state: receivers.some((r) => r.result === 'pending') ? 'processing' : 'finished',
    outOrderNo: text(record, 'out_request_no') ?? outOrderNo,
    ...(settleNo ? { platformOrderId: settleNo } : {}),
    receivers,
  };
}

type SplitMethods = Required<Pick<PaymentChannel, 'addSplitReceiver' | 'requestSplit' | 'querySplit' | 'unfreezeSplit'>>;

/** The split methods of the Alipay channel over its verified `call`. */
export function alipaySplitMethods(call: Call): SplitMethods {
  function refusedBy(method: string, record: AlipayRecord): AppError {
    const failure = failureOf(record);
    return new AppError('platform_error', `Alipay ${method} refused (${text(record, 'code') ?? '?'}/${failure.code} ${failure.message}).`);
  }

  async function settle(method: string, content: AlipayRecord): Promise<AlipayRecord> {
    const record = await call('alipay.trade.order.settle', content);
    if (text(record, 'code') === alipay_code_success) return record;
    // Every refusal is thrown: the job sends the same out_request_no again (ACQ.SYSTEM_ERROR and ACQ.TRADE_SETTLE_ERROR may
    // have gone through, and Alipay answers a repeat of a done split with success) until split_attempts_max, then alerts.
    throw refusedBy(method, record);
  }

  return {
    async addSplitReceiver(receiver) {
      const record = await call('alipay.trade.royalty.relation.bind', bindContent(receiver));
      if (text(record, 'code') !== alipay_code_success || (text(record, 'result_code') ?? 'SUCCESS') !== 'SUCCESS') throw refusedBy('alipay.trade.royalty.relation.bind', record);
    },

    async requestSplit(request) {
      const record = await settle('alipay.trade.order.settle', settleContent(request));
      const settleNo = text(record, 'settle_no');
      // Async mode: accepted now, each receiver's result comes from the query.
      return {
        state: 'processing',
        outOrderNo: request.outOrderNo,
        ...(settleNo ? { platformOrderId: settleNo } : {}),
        receivers: request.receivers.map((r) => ({ type: r.type, account: r.account, amountFen: r.amountFen, result: 'pending' as const })),
      };
    },

    async querySplit(outOrderNo, platformTradeNo) {
      const record = await call('alipay.trade.order.settle.query', { out_request_no: outOrderNo, trade_no: platformTradeNo });
      if (text(record, 'code') !== alipay_code_success) throw refusedBy('alipay.trade.order.settle.query', record);
      try {
        return settleQueryState(record, outOrderNo);
      } catch {
        throw new AppError('platform_error', 'Alipay alipay.trade.order.settle.query answered with a malformed amount.');
      }
    },

    async unfreezeSplit(request) {
      const record = await settle('alipay.trade.order.settle (royalty_finish)', finishContent(request.platformTradeNo, request.outOrderNo));
      const settleNo = text(record, 'settle_no');
      // Alipay does not say how much it released; the core works that out from its own parts.
      return { state: 'finished', outOrderNo: request.outOrderNo, ...(settleNo ? { platformOrderId: settleNo } : {}), receivers: [] };
    },
  };
}
