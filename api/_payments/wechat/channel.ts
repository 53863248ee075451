import { AppError } from '../../_kernel/errors.js';
import { wechat_request_timeout_ms } from '../timed-fetch.js';
import {
  NotificationRejected,
  type MerchantBinding,
  type ChannelNotification,
  type CreateTrade,
  type JsapiParams,
  type NotificationReply,
  type PaymentChannel,
  type PaymentMode,
  type RefundRequest,
  type RefundState,
  type SplitReturnState,
  type SplitState,
  type TradeState,
} from '../channel.js';
import { wechatTradeBill } from './bill.js';
import { WechatPayError } from './errors.js';

export { WechatPayError };
import { encryptSensitive, splitOrderSchema, splitReturnSchema, splitReturnStateOf, splitStateOf } from './profit-sharing.js';
import type { WechatPayConfig } from './config.js';
import { openNotification, signatureHeaders, verifyWechatSignature } from './notification.js';
import { newNonce, paySignMessage, signRequest, signSha256Rsa } from './signing.js';
import { beijingRfc3339, refundSchema, refundStateOf, transactionSchema, tradeStateOf } from './trade-state.js';

/**
 * WeChat Pay APIv3 behind the `PaymentChannel` contract. Requests are signed
 * with the merchant key (parsed once in the config); every answer is
 * verified over its raw bytes with the platform key its `Wechatpay-Serial`
 * names, with the same code that verifies notifications, before any of it
 * is believed. Calls whose outcome is unknown (network, 5xx, unverifiable
 * answer) throw `WechatPayError`; the core then queries.
 */

export const wechat_description_bytes_max = 127;
export const wechat_refund_reason_chars_max = 80;
const out_trade_no_pattern = /^[0-9A-Za-z_\-*]{6,32}$/;
const out_refund_no_pattern = /^[0-9A-Za-z_\-|*@]{1,64}$/;
const codepay_pending_codes = new Set(['USERPAYING', 'SYSTEMERROR', 'BANKERROR']);


export interface WechatPayChannelOptions {
  fetch?: typeof fetch;
  clock?: () => Date;
  /** `scene_info.store_info.out_id` on codepay; the merchant number unless given. */
  storeOutId?: string;
  /** How long one API call may take, answer included; wechat_request_timeout_ms unless given (tests shorten it). */
  requestTimeoutMs?: number;
}

interface Answer {
  status: number;
  body: Record<string, unknown> | undefined;
}

/** Cuts at a code point so the UTF-8 form fits; the description is only shown to the payer. */
export function fitDescription(description: string): string {
  let out = '';
  for (const char of description) {
    if (Buffer.byteLength(out + char, 'utf8') > wechat_description_bytes_max) break;
    out += char;
  }
  return out;
}

/** A trade WeChat Pay cannot take is the caller's mistake, reported before any call. */
function checkTrade(outTradeNo: string, amountFen: number): void {
  if (!out_trade_no_pattern.test(outTradeNo)) throw new AppError('validation_failed', `out_trade_no ${outTradeNo} is not 6–32 of [0-9A-Za-z_-*].`);
  if (!Number.isSafeInteger(amountFen) || amountFen < 1) throw new AppError('validation_failed', `amount ${amountFen} is not a positive whole number of fen.`);
}

/** The sub-merchant a partner-mode channel acts for (#18). */
type PartnerBinding = Extract<MerchantBinding, { mode: 'partner' }>;

/**
 * Which merchant the channel's calls are for. A channel made without a
 * binding only reads notifications (they arrive before anyone knows whose
 * they are); it makes no call, so no money moves without a merchant. A
 * binding must fit the deployment's mode: a sub-merchant number means nothing
 * with a merchant's own keys, and direct calls with a provider's keys would
 * take money into the provider's account.
 */
function partnerOf(config: WechatPayConfig, binding: MerchantBinding | null): PartnerBinding | undefined {
  if (binding === null) return undefined;
  if (binding.channel !== 'wechat') throw new Error(`a ${binding.channel} binding given to WeChat Pay`);
  if (binding.mode !== config.mode) throw new AppError('invalid_state', config.mode === 'partner' ? '本部署为服务商模式，该商户须填写微信支付特约商户号' : '本部署为直连模式，特约商户号不可用');
  return binding.mode === 'partner' ? binding : undefined;
}

/** What every call to WeChat Pay needs: the signed request, the verified answer and the readers of its bodies. */
function wechatPayContext(config: WechatPayConfig, binding: MerchantBinding | null, options: WechatPayChannelOptions) {
  const doFetch = options.fetch ?? fetch;
  const clock = options.clock ?? (() => new Date());
  const partner = partnerOf(config, binding);
  const storeOutId = options.storeOutId ?? partner?.subMchid ?? config.mchId;
  /** The app the payer pays in: the merchant's own mini-program where it has one, else the deployment's. */
  const payerAppId = partner?.subAppid ?? config.appId;
  /** `sub_mchid` (and `sub_appid` where set), added to every partner-mode body; nothing in direct mode. */
  const sub: Record<string, string> = partner ? { sub_mchid: partner.subMchid, ...(partner.subAppid ? { sub_appid: partner.subAppid } : {}) } : {};

  async function call(method: 'GET' | 'POST', pathAndQuery: string, payload?: object, extraHeaders: Record<string, string> = {}): Promise<Answer> {
    if (binding === null) throw new Error('WeChat Pay call without a merchant binding: use the merchant\'s channel (paymentChannelFor)');
    const url = new URL(config.apiBase + pathAndQuery);
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const authorization = signRequest({
      mchId: config.mchId,
      serialNo: config.merchantSerial,
      privateKey: config.merchantPrivateKey,
      method,
      pathAndQuery: url.pathname + url.search,
      body,
      timestamp: String(Math.floor(clock().getTime() / 1000)),
    });
    const headers: Record<string, string> = { ...extraHeaders, Authorization: authorization, Accept: 'application/json', 'User-Agent': 'guitai-payments' };
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, { method, headers, ...(payload === undefined ? {} : { body }), signal: AbortSignal.timeout(options.requestTimeoutMs ?? wechat_request_timeout_ms) });
      text = await response.text();
    } catch (e) {
      throw new WechatPayError(0, 'network', `WeChat Pay ${method} ${url.pathname}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name] = value;
    });
    if (!signatureHeaders(responseHeaders)) {
      // An unsigned answer is trusted for nothing, not even a refusal: a
      // forged "insufficient balance" would make the counter charge twice.
      throw new WechatPayError(response.ok ? 0 : response.status, 'response_unverified', `WeChat Pay answered HTTP ${response.status} without a signature`);
    }
    try {
      verifyWechatSignature(text, responseHeaders, config.platformKeys, clock());
    } catch (e) {
      if (e instanceof NotificationRejected) throw new WechatPayError(0, 'response_unverified', `WeChat Pay answer refused (${e.reason}): ${e.message}`);
      throw e;
    }
    let parsed: unknown;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new WechatPayError(response.status, 'bad_response', `WeChat Pay answered HTTP ${response.status} with a body that is not JSON`);
      }
    }
    const answer = { status: response.status, body: typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined };
    return answer;
  }

  function refusal(answer: Answer, what: string): WechatPayError {
    const code = typeof answer.body?.['code'] === 'string' ? answer.body['code'] : `HTTP_${answer.status}`;
    const message = typeof answer.body?.['message'] === 'string' ? answer.body['message'] : '';
    return new WechatPayError(answer.status, code, `${what}: ${code} ${message}`.trim());
  }

  function ok(answer: Answer, what: string): Record<string, unknown> {
    if (answer.status < 200 || answer.status >= 300) throw refusal(answer, what);
    return answer.body ?? {};
  }

  function stringField(body: Record<string, unknown>, name: string, what: string): string {
    const value = body[name];
    if (typeof value !== 'string' || value === '') throw new WechatPayError(200, 'bad_response', `${what}: answer has no ${name}`);
    return value;
  }

  /** Who the trade is for: `appid`/`mchid` in direct mode; `sp_appid`/`sp_mchid`/`sub_mchid` (+`sub_appid`) in partner mode. */
  function identity(): Record<string, string> {
    return partner ? { sp_appid: config.appId, sp_mchid: config.mchId, ...sub } : { appid: config.appId, mchid: config.mchId };
  }

  function tradeBody(trade: CreateTrade): Record<string, unknown> {
    checkTrade(trade.outTradeNo, trade.amountFen);
    return {
      ...identity(),
      description: fitDescription(trade.description),
      out_trade_no: trade.outTradeNo,
      time_expire: beijingRfc3339(trade.expiresAt),
      notify_url: trade.notifyUrl,
      amount: { total: trade.amountFen, currency: 'CNY' },
      ...(trade.profitSharing ? { settle_info: { profit_sharing: true } } : {}),
    };
  }

  function parseTransaction(body: unknown, what: string): TradeState {
    const parsed = transactionSchema.safeParse(body);
    if (!parsed.success) throw new WechatPayError(200, 'bad_response', `${what}: not a transaction`);
    try {
      return tradeStateOf(parsed.data);
    } catch (e) {
      throw new WechatPayError(200, 'bad_response', `${what}: ${(e as Error).message}`);
    }
  }

  function parseRefund(body: unknown, what: string): RefundState {
    const parsed = refundSchema.safeParse(body);
    if (!parsed.success) throw new WechatPayError(200, 'bad_response', `${what}: not a refund`);
    try {
      return refundStateOf(parsed.data);
    } catch (e) {
      throw new WechatPayError(200, 'bad_response', `${what}: ${(e as Error).message}`);
    }
  }

  function parseSplit(body: unknown, what: string): SplitState {
    const parsed = splitOrderSchema.safeParse(body);
    if (!parsed.success) throw new WechatPayError(200, 'bad_response', `${what}: not a profit-sharing order`);
    return splitStateOf(parsed.data);
  }

  /** Prepay, query, close and reverse gain `/partner/` in partner mode. */
  const payPath = partner ? '/v3/pay/partner/transactions' : '/v3/pay/transactions';
  const tradePath = (outTradeNo: string) => `${payPath}/out-trade-no/${encodeURIComponent(outTradeNo)}`;
  /** The query string naming the merchant, for GETs of trades. */
  const merchantQuery = partner ? `sp_mchid=${encodeURIComponent(config.mchId)}&sub_mchid=${encodeURIComponent(partner.subMchid)}` : `mchid=${encodeURIComponent(config.mchId)}`;
  /** `sub_mchid=…&` on refund, split and bill requests in partner mode. */
  const subQuery = partner ? `sub_mchid=${encodeURIComponent(partner.subMchid)}&` : '';

  async function query(outTradeNo: string): Promise<TradeState> {
    const answer = await call('GET', `${tradePath(outTradeNo)}?${merchantQuery}`);
    if (answer.status === 404) return { state: 'not_found', outTradeNo };
    return parseTransaction(ok(answer, 'query'), 'query');
  }

  return { config, partner, sub, subQuery, payPath, payerAppId, identity, doFetch, clock, storeOutId, call, refusal, ok, stringField, tradeBody, parseTransaction, parseRefund, parseSplit, tradePath, query };
}

type WechatPayContext = ReturnType<typeof wechatPayContext>;

/** Placing, paying by code, querying, ending and refunding trades. */
function tradeMethods(ctx: WechatPayContext): Pick<PaymentChannel, 'createJsapi' | 'createQr' | 'payWithCode' | 'query' | 'cancel' | 'refund' | 'queryRefund'> {
  const { config, partner, subQuery, payPath, payerAppId, identity, clock, storeOutId, call, refusal, ok, stringField, tradeBody, parseTransaction, parseRefund, tradePath, query } = ctx;
  // The payer's openid is under the app it paid in: sub_openid under the merchant's own app, sp_openid under the provider's.
  const payerOf = (openid: string) => (!partner ? { openid } : partner.subAppid ? { sub_openid: openid } : { sp_openid: openid });
  return {
    async createJsapi(trade, payerId): Promise<JsapiParams> {
      const body = { ...tradeBody(trade), payer: payerOf(payerId) };
      const prepayId = stringField(ok(await call('POST', `${payPath}/jsapi`, body), 'jsapi prepay'), 'prepay_id', 'jsapi prepay');
      const timeStamp = String(Math.floor(clock().getTime() / 1000));
      const nonceStr = newNonce();
      const pkg = `prepay_id=${prepayId}`;
      const paySign = signSha256Rsa(config.merchantPrivateKey, paySignMessage(payerAppId, timeStamp, nonceStr, pkg));
      return { channel: 'wechat', timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
    },

    async createQr(trade) {
      const answer = await call('POST', `${payPath}/native`, tradeBody(trade));
      return { codeUrl: stringField(ok(answer, 'native prepay'), 'code_url', 'native prepay') };
    },

    async payWithCode(trade, authCode): Promise<TradeState> {
      checkTrade(trade.outTradeNo, trade.amountFen);
      const body = {
        ...identity(),
        description: fitDescription(trade.description),
        out_trade_no: trade.outTradeNo,
        payer: { auth_code: authCode },
        amount: { total: trade.amountFen, currency: 'CNY' },
        scene_info: { store_info: { out_id: storeOutId } },
        ...(trade.profitSharing ? { settle_info: { profit_sharing: true } } : {}),
      };
      const answer = await call('POST', `${payPath}/codepay`, body);
      if (answer.status === 200) return parseTransaction(answer.body, 'codepay');
      const code = typeof answer.body?.['code'] === 'string' ? answer.body['code'] : '';
      const message = typeof answer.body?.['message'] === 'string' ? answer.body['message'] : '';
      // USERPAYING (password being entered) and system errors leave the
      // outcome open: the caller polls `query` and reverses at its deadline.
      if (codepay_pending_codes.has(code) || answer.status >= 500 || answer.status === 202) {
        return { state: 'pending', outTradeNo: trade.outTradeNo, ...(code ? { failure: { code, message } } : {}) };
      }
      if (code === 'ORDERPAID') return query(trade.outTradeNo);
      if (answer.status >= 400 && answer.status < 500) {
        return { state: 'failed', outTradeNo: trade.outTradeNo, failure: { code: code || `HTTP_${answer.status}`, message } };
      }
      throw refusal(answer, 'codepay');
    },

    query,

    async cancel(outTradeNo: string, mode: PaymentMode): Promise<void> {
      const answer =
        mode === 'code'
          ? await call('POST', `${tradePath(outTradeNo)}/reverse`, identity())
          : await call('POST', `${tradePath(outTradeNo)}/close`, partner ? { sp_mchid: config.mchId, sub_mchid: partner.subMchid } : { mchid: config.mchId });
      if (answer.status >= 200 && answer.status < 300) return;
      const code = answer.body?.['code'];
      // Nothing to end: the platform never saw the trade, or it is closed already.
      if (answer.status === 404 || code === 'ORDER_NOT_EXIST' || code === 'ORDERCLOSED') return;
      throw refusal(answer, mode === 'code' ? 'reverse' : 'close');
    },

    async refund(request: RefundRequest): Promise<RefundState> {
      if (!out_refund_no_pattern.test(request.outRefundNo)) throw new AppError('validation_failed', `out_refund_no ${request.outRefundNo} is not 1–64 of [0-9A-Za-z_-|*@].`);
      checkTrade(request.outTradeNo, request.totalFen);
      if (!Number.isSafeInteger(request.refundFen) || request.refundFen < 1 || request.refundFen > request.totalFen) {
        throw new AppError('validation_failed', `refund ${request.refundFen} is not a whole number of fen between 1 and the total ${request.totalFen}.`);
      }
      const reason = [...request.reason].slice(0, wechat_refund_reason_chars_max).join('');
      const body = {
        ...(partner ? { sub_mchid: partner.subMchid } : {}),
        out_trade_no: request.outTradeNo,
        out_refund_no: request.outRefundNo,
        ...(reason ? { reason } : {}),
        notify_url: request.notifyUrl,
        amount: { refund: request.refundFen, total: request.totalFen, currency: 'CNY' },
      };
      const answer = await call('POST', '/v3/refund/domestic/refunds', body);
      if (answer.status === 200) return parseRefund(answer.body, 'refund');
      const code = typeof answer.body?.['code'] === 'string' ? answer.body['code'] : `HTTP_${answer.status}`;
      // A refusal (4xx) is final for this request; an unknown outcome is
      // retried by the caller with the same out_refund_no.
      if (answer.status >= 400 && answer.status < 500 && code !== 'SYSTEMERROR' && code !== 'FREQUENCY_LIMITED') {
        const message = typeof answer.body?.['message'] === 'string' ? answer.body['message'] : '';
        return { state: 'failed', outRefundNo: request.outRefundNo, outTradeNo: request.outTradeNo, failure: { code, message } };
      }
      throw refusal(answer, 'refund');
    },

    async queryRefund(outRefundNo: string, outTradeNo: string): Promise<RefundState> {
      const answer = await call('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}${subQuery ? `?${subQuery.slice(0, -1)}` : ''}`);
      if (answer.status === 404) return { state: 'not_found', outRefundNo, outTradeNo };
      return parseRefund(ok(answer, 'refund query'), 'refund query');
    },

  };
}

/** Profit sharing (分账): receivers, orders, their returns and the unfreeze. */
function splitMethods(ctx: WechatPayContext): Pick<PaymentChannel, 'addSplitReceiver' | 'requestSplit' | 'querySplit' | 'returnSplit' | 'unfreezeSplit'> {
  const { config, sub, subQuery, call, ok, parseSplit } = ctx;
  // Partner profit sharing names the sub-merchant (and its app) on every call; the provider's own share is a receiver like any other.
  return {
    async addSplitReceiver(receiver): Promise<void> {
      const [serial, platformKey] = [...config.platformKeys.entries()][0] ?? [];
      if (!serial || !platformKey) throw new AppError('unavailable', '微信支付分账暂不可用', undefined, { detail: 'WeChat Pay platform key is not configured; receiver names cannot be encrypted.' });
      const body = {
        ...sub,
        appid: config.appId,
        type: receiver.type,
        account: receiver.account,
        // The merchant's full name is required for MERCHANT_ID receivers; a person's is optional and checked if given.
        ...(receiver.type === 'MERCHANT_ID' ? { name: encryptSensitive(receiver.name, platformKey) } : {}),
        relation_type: receiver.relation,
      };
      ok(await call('POST', '/v3/profitsharing/receivers/add', body, { 'Wechatpay-Serial': serial }), 'add receiver');
    },

    async requestSplit(request): Promise<SplitState> {
      const body = {
        ...sub,
        appid: config.appId,
        transaction_id: request.platformTradeNo,
        out_order_no: request.outOrderNo,
        receivers: request.receivers.map((r) => ({ type: r.type, account: r.account, amount: r.amountFen, description: r.description })),
        unfreeze_unsplit: false,
      };
      return parseSplit(ok(await call('POST', '/v3/profitsharing/orders', body), 'profit sharing'), 'profit sharing');
    },

    async querySplit(outOrderNo, platformTradeNo): Promise<SplitState> {
      const answer = await call('GET', `/v3/profitsharing/orders/${encodeURIComponent(outOrderNo)}?${subQuery}transaction_id=${encodeURIComponent(platformTradeNo)}`);
      if (answer.status === 404) return { state: 'not_found', outOrderNo, receivers: [] };
      return parseSplit(ok(answer, 'profit sharing query'), 'profit sharing query');
    },

    async returnSplit(request): Promise<SplitReturnState> {
      const body = { ...(sub.sub_mchid ? { sub_mchid: sub.sub_mchid } : {}), out_order_no: request.outOrderNo, out_return_no: request.outReturnNo, return_mchid: request.returnAccount, amount: request.amountFen, description: request.description };
      const answer = await call('POST', '/v3/profitsharing/return-orders', body);
      if (answer.status >= 400 && answer.status < 500 && answer.body?.['code'] !== 'SYSTEMERROR' && answer.body?.['code'] !== 'FREQUENCY_LIMITED') {
        const code = typeof answer.body?.['code'] === 'string' ? answer.body['code'] : `HTTP_${answer.status}`;
        return { state: 'failed', outReturnNo: request.outReturnNo, failReason: `${code} ${typeof answer.body?.['message'] === 'string' ? answer.body['message'] : ''}`.trim() };
      }
      const parsed = splitReturnSchema.safeParse(ok(answer, 'profit sharing return'));
      if (!parsed.success) throw new WechatPayError(200, 'bad_response', 'profit sharing return: not a return order');
      return splitReturnStateOf(parsed.data);
    },

    async unfreezeSplit(request): Promise<SplitState> {
      const body = { ...(sub.sub_mchid ? { sub_mchid: sub.sub_mchid } : {}), transaction_id: request.platformTradeNo, out_order_no: request.outOrderNo, description: request.description };
      return parseSplit(ok(await call('POST', '/v3/profitsharing/orders/unfreeze', body), 'unfreeze'), 'unfreeze');
    },

  };
}

/** Notifications: opened, verified and read; and the answer WeChat Pay expects. */
function notificationMethods(ctx: WechatPayContext): Pick<PaymentChannel, 'parseNotification' | 'notificationReply'> {
  const { config } = ctx;
  return {
    parseNotification(rawBody: string, headers: Record<string, string>, now: Date): ChannelNotification {
      const opened = openNotification(rawBody, headers, now, config.platformKeys, config.apiV3Key);
      let resource: unknown;
      try {
        resource = JSON.parse(opened.plaintext);
      } catch {
        throw new NotificationRejected('malformed', 'decrypted resource is not JSON');
      }
      const notificationId = opened.id;
      if (!notificationId) throw new NotificationRejected('malformed', 'notification has no id');
      try {
        if (opened.eventType.startsWith('TRANSACTION.') && opened.originalType === 'transaction') {
          const parsed = transactionSchema.safeParse(resource);
          if (parsed.success) return { kind: 'payment', trade: tradeStateOf(parsed.data), notificationId };
        } else if (opened.eventType.startsWith('REFUND.') && opened.originalType === 'refund') {
          const parsed = refundSchema.safeParse(resource);
          if (parsed.success) return { kind: 'refund', refund: refundStateOf(parsed.data), notificationId };
        }
      } catch (e) {
        throw new NotificationRejected('malformed', (e as Error).message);
      }
      throw new NotificationRejected('malformed', `not a payment or refund notification: ${opened.eventType || '(no event_type)'} / ${opened.originalType || '(no original_type)'}`);
    },

    notificationReply(handled: boolean): NotificationReply {
      // 204 with no body is what the current docs show; anything but 2xx
      // makes WeChat Pay send the notification again on its schedule.
      return handled
        ? { status: 204, contentType: 'application/json', body: '' }
        : { status: 500, contentType: 'application/json', body: JSON.stringify({ code: 'FAIL', message: '处理失败，请稍后重试' }) };
    },
  };
}

/**
 * WeChat Pay for one merchant's binding (#18): direct (the deployment's own
 * merchant keys) or partner (the provider's keys, naming the merchant's
 * `sub_mchid`). `null` makes the channel that only reads notifications.
 */
export function createWechatPayChannel(config: WechatPayConfig, binding: MerchantBinding | null, options: WechatPayChannelOptions = {}): PaymentChannel {
  const ctx = wechatPayContext(config, binding, options);
  const { doFetch, clock, call, partner } = ctx;
  return {
    name: 'wechat',
    merchantNo: config.mchId,
    appId: config.appId,
    ...(partner ? { subMerchantNo: partner.subMchid, ...(partner.subAppid ? { subAppId: partner.subAppid } : {}) } : {}),
    tradeBill: (billDate) => wechatTradeBill({ config, ...(partner ? { subMchid: partner.subMchid } : {}), fetch: doFetch, clock, call: (method, pathAndQuery) => call(method, pathAndQuery) }, billDate),

    ...tradeMethods(ctx),
    ...splitMethods(ctx),
    ...notificationMethods(ctx),
  };
}
