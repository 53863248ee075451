import { alipaySdk, requestErrorBody, verifiedErrorResponse } from '../../_platform/index.js';
import { createPublicKey } from 'node:crypto';
import type { AlipaySdk } from 'alipay-sdk';
import { AppError } from '../../_kernel/errors.js';
import { beijingTimestamp } from '../../_platform/index.js';
import type { CreateTrade, MerchantBinding, PaymentChannel, RefundState, TradeState } from '../channel.js';
import { fenToAlipayAmount } from './amount.js';
import { alipayTradeBill } from './bill.js';
import type { AlipayPayConfig } from './config.js';
import { parseAlipayNotification } from './notification.js';
import { alipaySplitMethods, refundRoyaltyParameters } from './split.js';
import {
  alipay_code_business_failed,
  alipay_code_success,
  barCodePayState,
  failureOf,
  isUnplaced,
  queryTradeState,
  refundCallState,
  refundQueryState,
  text,
  type AlipayRecord,
  type AlipayUnplaced,
} from './state.js';

/**
 * The Alipay `PaymentChannel`, over alipay-sdk pointed at the configured
 * gateway. Every answer's signature is checked (`validateSign: true`; an
 * `error_response`, which the SDK cannot check, is checked here), and the
 * `timestamp` is sent in Beijing time because the SDK would use the process
 * time zone.
 *
 * Calls that fail in transport, fail verification, or come back with a code
 * this adapter cannot place throw `AppError('platform_error')` naming the
 * method and Alipay's code; business outcomes (a refused payment code, a
 * refund Alipay turned down) are returned as states with `failure`.
 *
 * Whose money (#18): with no binding, or a direct one, the calls are the
 * deployment's own merchant's (`config.sellerId`). With an isv binding the
 * configured app is the service provider's third-party app and every call —
 * payments, queries, refunds, royalty, bills — carries the merchant's
 * `app_auth_token`, so Alipay makes it in the authorising merchant's name:
 * the trades, the royalty relations and the bill are that merchant's. The
 * channel then names that merchant (`merchantNo` = its seller id, `authAppId`
 * = its app) for the core's notification checks; `appId` stays the
 * provider's, which is the `app_id` Alipay puts in the notifications.
 */

export const alipay_pay_request_timeout_ms = 10_000;
/** A user id (2088…) goes in `buyer_id`; anything else is an open id (`buyer_open_id`). */
const alipay_user_id_pattern = /^2088\d{12}$/;

export interface AlipayChannelOptions {
  clock?: () => Date;
}

export type AlipayBinding = Extract<MerchantBinding, { channel: 'alipay' }>;

/** The merchant a channel's calls are made for, from the deployment's mode and the merchant's binding. */
function merchantOf(config: AlipayPayConfig, binding: AlipayBinding | undefined): { sellerId: string; authAppId: string; appAuthToken?: string } {
  if (binding?.mode === 'isv') {
    if ((config.mode ?? 'direct') !== 'isv') throw new Error('An Alipay authorisation (isv binding) needs ALIPAY_MODE=isv: the configured app is not a service provider’s.');
    return { sellerId: binding.sellerId, authAppId: binding.authAppId, appAuthToken: binding.appAuthToken };
  }
  // A direct binding takes money into the deployment's own account, which must then be named. With no binding
  // at all this is the merchant-less channel that only reads notifications, which needs no seller of its own.
  if (binding && !config.sellerId) throw new Error('Environment variable ALIPAY_SELLER_ID is not set: direct Alipay payments need the deployment’s own seller id.');
  return { sellerId: config.sellerId, authAppId: config.appId };
}

/**
 * `createAlipayChannel(config, binding?, options?)`; callers made before the
 * binding existed pass the options second, which is still understood.
 */
export function createAlipayChannel(config: AlipayPayConfig, binding?: AlipayBinding | AlipayChannelOptions | null, options: AlipayChannelOptions = {}): PaymentChannel {
  // null (the registry's merchant-less channel) is the same as no binding.
  if (binding === null) return createAlipayChannel(config, undefined, options);
  if (binding !== undefined && !('channel' in binding)) return createAlipayChannel(config, undefined, binding);
  const merchant = merchantOf(config, binding);
  const clock = options.clock ?? (() => new Date());
  const alipayPublicKey = createPublicKey(config.alipayPublicKey);
  const client = alipaySdk({ gateway: config.gateway, appId: config.appId, appPrivateKey: config.appPrivateKey, alipayPublicKey: config.alipayPublicKey, timeoutMs: alipay_pay_request_timeout_ms, camelcase: false });

  const verifiedError = (sdk: AlipaySdk, raw: string) => verifiedErrorResponse(sdk, raw) as AlipayRecord | undefined;

  /** The verified `…_response` object of one call. */
  async function call(method: string, bizContent: AlipayRecord, extra: Record<string, string> = {}): Promise<AlipayRecord> {
    let sdk: AlipaySdk | undefined;
    try {
      sdk = await client();
      // alipay-sdk snake-cases `appAuthToken` into the signed common parameter `app_auth_token` and sends it in the URL.
      const token = merchant.appAuthToken ? { appAuthToken: merchant.appAuthToken } : {};
      const result: unknown = await sdk.exec(method, { ...extra, ...token, bizContent, timestamp: beijingTimestamp(clock()) }, { validateSign: true });
      if (typeof result !== 'object' || result === null) throw new AppError('platform_error', `Alipay ${method} answered without a response object.`);
      return result as AlipayRecord;
    } catch (e) {
      if (e instanceof AppError) throw e;
      const raw = sdk ? await requestErrorBody(e) : undefined;
      const error = sdk && raw ? verifiedError(sdk, raw) : undefined;
      if (error) return error;
      throw new AppError('platform_error', `Alipay ${method} request failed or its answer failed verification.`);
    }
  }

  function refused(method: string, record: AlipayRecord | AlipayUnplaced): AppError {
    if ('unplaced' in record) return new AppError('platform_error', `Alipay ${method} answered ${record.code} ${record.message}`.trim());
    const failure = failureOf(record);
    return new AppError('platform_error', `Alipay ${method} refused (${text(record, 'code') ?? '?'}/${failure.code} ${failure.message}).`);
  }

  /** An amount Alipay cannot take is the caller's mistake, reported before any call. */
  function amountOf(fen: number, what: string): string {
    try {
      return fenToAlipayAmount(fen, what);
    } catch (e) {
      throw new AppError('validation_failed', `${(e as Error).message}.`);
    }
  }

  function tradeContent(trade: Omit<CreateTrade, 'notifyUrl' | 'expiresAt'>): AlipayRecord {
    const content: AlipayRecord = {
      out_trade_no: trade.outTradeNo,
      total_amount: amountOf(trade.amountFen, 'amountFen'),
      subject: trade.description,
    };
    // Funds stay frozen for royalty (分账) until settled or released.
    if (trade.profitSharing) content['extend_params'] = { royalty_freeze: 'true' };
    return content;
  }

  async function query(outTradeNo: string): Promise<TradeState> {
    const record = await call('alipay.trade.query', { out_trade_no: outTradeNo });
    let state: TradeState | AlipayUnplaced;
    try {
      state = queryTradeState(record, outTradeNo);
    } catch {
      throw new AppError('platform_error', 'Alipay alipay.trade.query answered with a malformed amount.');
    }
    if (isUnplaced(state)) throw refused('alipay.trade.query', state);
    return state;
  }

  async function queryRefund(outRefundNo: string, outTradeNo: string): Promise<RefundState> {
    const record = await call('alipay.trade.fastpay.refund.query', {
      out_trade_no: outTradeNo,
      out_request_no: outRefundNo,
      query_options: ['gmt_refund_pay'],
    });
    let state: RefundState | AlipayUnplaced;
    try {
      state = refundQueryState(record, outRefundNo, outTradeNo);
    } catch {
      throw new AppError('platform_error', 'Alipay alipay.trade.fastpay.refund.query answered with a malformed amount.');
    }
    if (isUnplaced(state)) throw refused('alipay.trade.fastpay.refund.query', state);
    return state;
  }

  return {
    name: 'alipay',
    merchantNo: merchant.sellerId,
    appId: config.appId,
    authAppId: merchant.authAppId,
    tradeBill: (billDate) => alipayTradeBill(call, billDate),

    async createJsapi(trade, payerId) {
      const content: AlipayRecord = {
        ...tradeContent(trade),
        product_code: 'JSAPI_PAY',
        op_app_id: config.opAppId,
        time_expire: beijingTimestamp(trade.expiresAt),
      };
      content[alipay_user_id_pattern.test(payerId) ? 'buyer_id' : 'buyer_open_id'] = payerId;
      const record = await call('alipay.trade.create', content, { notifyUrl: trade.notifyUrl });
      const tradeNo = text(record, 'trade_no');
      if (text(record, 'code') !== alipay_code_success || !tradeNo) throw refused('alipay.trade.create', record);
      return { channel: 'alipay', tradeNO: tradeNo };
    },

    async createQr(trade) {
      const content: AlipayRecord = { ...tradeContent(trade), time_expire: beijingTimestamp(trade.expiresAt) };
      const record = await call('alipay.trade.precreate', content, { notifyUrl: trade.notifyUrl });
      const qrCode = text(record, 'qr_code');
      if (text(record, 'code') !== alipay_code_success || !qrCode) throw refused('alipay.trade.precreate', record);
      return { codeUrl: qrCode };
    },

    async payWithCode(trade, authCode) {
      const content: AlipayRecord = { ...tradeContent(trade), scene: 'bar_code', auth_code: authCode, product_code: 'FACE_TO_FACE_PAYMENT' };
      const record = await call('alipay.trade.pay', content);
      let state: TradeState | AlipayUnplaced;
      try {
        state = barCodePayState(record, trade.outTradeNo);
      } catch {
        throw new AppError('platform_error', 'Alipay alipay.trade.pay answered with a malformed amount.');
      }
      if (isUnplaced(state)) throw refused('alipay.trade.pay', state);
      return state;
    },

    query,

    async cancel(outTradeNo, mode) {
      // A payment-code trade is cancelled: closed if unpaid, refunded if the payer got through after all
      // (Alipay's `action` is then `refund`). Either way the money is not the merchant's afterwards, and a
      // later query reads TRADE_CLOSED with a payment date, which `query` maps to `succeeded` like any fully
      // refunded trade: a cancelled code attempt is final for the core, never re-decided by a query.
      const method = mode === 'code' ? 'alipay.trade.cancel' : 'alipay.trade.close';
      const record = await call(method, { out_trade_no: outTradeNo });
      const code = text(record, 'code');
      const subCode = text(record, 'sub_code');
      // A QR trade nobody scanned does not exist at Alipay: there is nothing to end.
      if (code === alipay_code_success || (code === alipay_code_business_failed && subCode === 'ACQ.TRADE_NOT_EXIST')) return;
      if (method === 'alipay.trade.close' && code === alipay_code_business_failed && subCode === 'ACQ.TRADE_STATUS_ERROR') {
        const state = await query(outTradeNo);
        if (state.state === 'closed' || state.state === 'not_found') return;
        if (state.state === 'succeeded') throw new AppError('conflict', `Alipay trade ${outTradeNo} is paid; it cannot be closed, refund it instead.`);
      }
      throw refused(method, record);
    },

    async refund(request) {
      const content: AlipayRecord = {
        out_trade_no: request.outTradeNo,
        refund_amount: amountOf(request.refundFen, 'refundFen'),
        out_request_no: request.outRefundNo,
        refund_reason: request.reason,
      };
      if (request.royaltyReturns?.length) content['refund_royalty_parameters'] = refundRoyaltyParameters(request.royaltyReturns);
      const record = await call('alipay.trade.refund', content);
      const result = refundCallState(record, request.outRefundNo, request.outTradeNo);
      if (isUnplaced(result)) throw refused('alipay.trade.refund', result);
      if (result.needsQuery) return queryRefund(request.outRefundNo, request.outTradeNo);
      return result.refund.state === 'succeeded' ? { ...result.refund, refundFen: request.refundFen } : result.refund;
    },

    queryRefund,

    splitReturnsWithRefund: true,
    ...alipaySplitMethods(call),

    parseNotification(rawBody) {
      return parseAlipayNotification(rawBody, alipayPublicKey);
    },

    notificationReply(ok) {
      return { status: 200, contentType: 'text/plain;charset=utf-8', body: ok ? 'success' : 'fail' };
    },
  };
}
