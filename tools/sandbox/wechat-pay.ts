import { createPrivateKey, createPublicKey } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { SandboxKeys } from './keys';
import type { NotifyControl } from './notify-control';
import type { Paycodes } from './paycodes';
import { wechatNotifier } from './wechat-pay-notify';
import { wechatBillRoutes } from './wechat-pay-bill';
import { WechatSplits, wechatSplitRoutes } from './wechat-pay-split';
import { checkMerchantRequest, platformSignatureHeaders } from './wechat-pay-signing';
import {
  newCodeUrl,
  newPrepayId,
  newRefundId,
  newTransactionId,
  wechat_refunds_per_trade_max,
  WechatTrades,
  type Refusal,
  type SandboxRefund,
  type SandboxTrade,
} from './wechat-pay-trades';

/**
 * WeChat Pay APIv3 at its real paths: every request's Authorization is
 * checked against the merchant certificate, every answer is signed with the
 * platform key (public-key mode, `Wechatpay-Serial: PUB_KEY_ID_…`). Trades
 * live in memory; payment codes come from the shared `Paycodes`
 * (`POST /sandbox/paycodes`), notifications go out through the shared
 * `NotifyControl`. `/sandbox/wechat/*` routes play the payer and the bank.
 */

export const wechat_pay_body_bytes_max = 64 * 1024;
const description_bytes_max = 127;
const sandbox_openid = 'oSandboxPayer0000000000000001';

export interface WechatPaySandboxSettings {
  /** A PROCESSING refund succeeds after this long; null leaves it to `POST /sandbox/wechat/refund`. */
  refundSucceedAfterMs: number | null;
}

export const default_wechat_pay_sandbox_settings: WechatPaySandboxSettings = { refundSucceedAfterMs: 3_000 };

const settingsSchema = z.object({ refundSucceedAfterMs: z.number().int().min(0).max(600_000).nullable() }).partial();

const outTradeNo = z.string().regex(/^[0-9A-Za-z_\-*]{6,32}$/, '商户订单号须为6-32位字母、数字、_-*');
const amount = z.object({ total: z.number().int().min(1), currency: z.literal('CNY').optional() });
const description = z.string().min(1).refine((s) => Buffer.byteLength(s, 'utf8') <= description_bytes_max, '商品描述超过127字节');
const notifyUrl = z.string().regex(/^https?:\/\/[^?#\s]+$/, 'notify_url须为http(s)绝对地址且不带参数');

const prepaySchema = z.object({
  appid: z.string(),
  mchid: z.string(),
  description,
  out_trade_no: outTradeNo,
  time_expire: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/).optional(),
  attach: z.string().max(128).optional(),
  notify_url: notifyUrl,
  amount,
  payer: z.object({ openid: z.string().min(1).max(128) }).optional(),
  settle_info: z.object({ profit_sharing: z.boolean().optional() }).optional(),
});

/**
 * Partner mode (#18): the same calls under `/v3/pay/partner/transactions`,
 * naming the provider (`sp_appid`, `sp_mchid`, the sandbox's own merchant)
 * and the sub-merchant whose money it is (`sub_mchid`, and `sub_appid` where
 * its own mini-program takes the payment). The payer is `sp_openid` (under
 * the provider's app) or `sub_openid` (under the sub-merchant's).
 */
const subMchid = z.string().regex(/^\d{8,12}$/, 'sub_mchid须为8-12位数字');
const partnerIds = { sp_appid: z.string(), sp_mchid: z.string(), sub_mchid: subMchid, sub_appid: z.string().optional() };
const partnerPrepaySchema = prepaySchema
  .omit({ appid: true, mchid: true, payer: true })
  .extend({ ...partnerIds, payer: z.object({ sp_openid: z.string().min(1).max(128).optional(), sub_openid: z.string().min(1).max(128).optional() }).optional() });

/** Sub-merchants bound to the sandbox's provider account from the start; `POST /sandbox/wechat/sub-merchants` adds more. */
export const sandbox_wechat_sub_mchids = ['1900000201', '1900000202', '1900000203'] as const;

/** Who a request names, in one form for direct and partner calls. */
interface Named {
  appid: string;
  mchid: string;
  subMchid?: string;
  subAppid?: string;
}

const codepaySchema = z.object({
  appid: z.string(),
  mchid: z.string(),
  description,
  out_trade_no: outTradeNo,
  payer: z.object({ auth_code: z.string().min(1) }),
  amount,
  scene_info: z.object({ store_info: z.object({ id: z.string().optional(), out_id: z.string().optional() }) }),
  settle_info: z.object({ profit_sharing: z.boolean().optional() }).optional(),
});

const partnerCodepaySchema = codepaySchema.omit({ appid: true, mchid: true }).extend(partnerIds);

const refundSchema = z.object({
  sub_mchid: subMchid.optional(),
  transaction_id: z.string().optional(),
  out_trade_no: z.string().optional(),
  out_refund_no: z.string().regex(/^[0-9A-Za-z_\-|*@]{1,64}$/),
  reason: z.string().max(80).optional(),
  notify_url: notifyUrl.optional(),
  funds_account: z.string().optional(),
  amount: z.object({ refund: z.number().int().min(1), total: z.number().int().min(1), currency: z.literal('CNY') }),
});

const paySchema = z
  .object({
    prepayId: z.string().optional(),
    codeUrl: z.string().optional(),
    outcome: z.enum(['success', 'payerror']).default('success'),
    openid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  })
  .refine((b) => (b.prepayId === undefined) !== (b.codeUrl === undefined), 'give exactly one of prepayId and codeUrl');

const refundOutcomeSchema = z.object({ outRefundNo: z.string(), outcome: z.enum(['SUCCESS', 'ABNORMAL', 'CLOSED']) });

const refusals = {
  signError: (message: string): Refusal => ({ status: 401, code: 'SIGN_ERROR', message }),
  param: (message: string): Refusal => ({ status: 400, code: 'PARAM_ERROR', message }),
  appMismatch: { status: 400, code: 'APPID_MCHID_NOT_MATCH', message: 'appid和mchid不匹配' },
  mchMismatch: { status: 400, code: 'MCH_NOT_EXISTS', message: '商户号不存在' },
  duplicate: { status: 400, code: 'INVALID_REQUEST', message: '201 商户订单号重复' },
  orderPaid: { status: 400, code: 'ORDERPAID', message: '该订单已支付' },
  orderClosed: { status: 400, code: 'ORDERCLOSED', message: '当前订单已关闭，请重新下单' },
  orderNotExist: { status: 404, code: 'ORDER_NOT_EXIST', message: '订单不存在' },
  refundNotExist: { status: 404, code: 'RESOURCE_NOT_EXISTS', message: '退款单不存在' },
  tradeNotExist: { status: 404, code: 'RESOURCE_NOT_EXISTS', message: '订单不存在' },
  authCodeInvalid: { status: 400, code: 'AUTH_CODE_INVALID', message: '付款码无效，请重新扫码' },
  authCodeUsed: { status: 400, code: 'AUTHCODEEXPIRE', message: '二维码已过期，请用户在微信上刷新后再试' },
  authCodeExpired: { status: 400, code: 'AUTHCODEEXPIRE', message: '二维码已过期，请用户在微信上刷新后再试' },
  notEnough: { status: 403, code: 'NOTENOUGH', message: '用户余额不足，请用户换卡支付' },
} as const;

/** The sandbox's state and the helpers every route uses: one per sandbox. */
function wechatPayContext(keys: SandboxKeys, control: NotifyControl, now: () => number, store: WechatTrades) {
  const settings: WechatPaySandboxSettings = { ...default_wechat_pay_sandbox_settings };
  const signer = { privateKey: createPrivateKey(keys.wechat.platformPrivateKey), serial: keys.wechat.platformPublicKeyId };
  const merchantPublicKey = createPublicKey(keys.wechat.merchantCertificate);
  const notifier = wechatNotifier(signer, keys.wechat.apiV3Key, control, now);
  const splits = new WechatSplits();
  /** The provider's sub-merchants (partner mode): number → its own mini-program, when it has one. */
  const subMerchants = new Map<string, { subAppid?: string }>(sandbox_wechat_sub_mchids.map((n) => [n, {}]));

  function signed(c: Context, status: number, body?: object): Response {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers = platformSignatureHeaders(text, signer, now());
    if (text === '') return new Response(null, { status, headers });
    return new Response(text, { status, headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' } });
  }
  const refuse = (c: Context, refusal: Refusal) => signed(c, refusal.status, { code: refusal.code, message: refusal.message });

  /** Authorization check, then the JSON body (undefined for GET); a Response when refused. */
  async function admit(c: Context): Promise<{ body: unknown } | Response> {
    const raw = c.req.method === 'GET' ? '' : await c.req.text();
    const url = new URL(c.req.url);
    const check = checkMerchantRequest({
      authorization: c.req.header('authorization'),
      method: c.req.method,
      pathAndQuery: url.pathname + url.search,
      body: raw,
      mchId: keys.wechat.mchId,
      merchantSerial: keys.wechat.merchantCertificateSerial,
      merchantPublicKey,
      nowMs: now(),
    });
    if (!check.ok) return refuse(c, refusals.signError(check.reason));
    if (raw === '') return { body: undefined };
    try {
      return { body: JSON.parse(raw) };
    } catch {
      return refuse(c, refusals.param('请求体不是合法的JSON'));
    }
  }

  function parse<T>(schema: z.ZodType<T>, body: unknown): T | Refusal {
    const parsed = schema.safeParse(body);
    return parsed.success ? parsed.data : refusals.param(`参数错误: ${z.prettifyError(parsed.error)}`);
  }
  const isRefusal = (value: unknown): value is Refusal => typeof value === 'object' && value !== null && 'status' in value && 'code' in value;

  function ownMerchant(appid: string | undefined, mchid: string, sub?: { subMchid: string; subAppid?: string | undefined }): Refusal | undefined {
    if (mchid !== keys.wechat.mchId) return refusals.mchMismatch;
    if (appid !== undefined && appid !== keys.wechat.appId) return refusals.appMismatch;
    if (sub) {
      const known = subMerchants.get(sub.subMchid);
      if (!known) return { status: 400, code: 'INVALID_REQUEST', message: '特约商户号与服务商不存在绑定关系' };
      if (sub.subAppid !== undefined && sub.subAppid !== known.subAppid) return { status: 400, code: 'APPID_MCHID_NOT_MATCH', message: 'sub_appid和sub_mchid不匹配' };
    }
    return undefined;
  }

  /** Whether a trade is the one a call names: a partner call sees only its sub-merchant's trades, a direct call only direct ones. */
  const sameMerchant = (trade: SandboxTrade, subMchid: string | undefined) => trade.subMchid === subMchid;

  function markPaid(trade: SandboxTrade, openid: string): void {
    trade.state = 'SUCCESS';
    trade.stateDesc = '支付成功';
    trade.openid = openid;
    trade.successMs = now();
    trade.userpaying = undefined;
  }

  function settleRefund(refund: SandboxRefund, status: 'SUCCESS' | 'ABNORMAL' | 'CLOSED'): void {
    if (refund.status !== 'PROCESSING') return;
    refund.status = status;
    if (status === 'SUCCESS') {
      refund.successMs = now();
      const trade = store.trades.get(refund.outTradeNo);
      if (trade && trade.state === 'SUCCESS') {
        trade.state = 'REFUND';
        trade.stateDesc = '订单发生过退款';
      }
    }
    if (refund.notifyUrl) notifier.notify(refund.notifyUrl, `REFUND.${status}`, store.refundObject(refund, true));
  }

  return { keys, settings, signer, store, notifier, splits, subMerchants, now, signed, refuse, admit, parse, isRefusal, ownMerchant, sameMerchant, markPaid, settleRefund };
}

type WechatPayContext = ReturnType<typeof wechatPayContext>;

/** Placing, paying by code, querying, closing and reversing trades (`/v3/pay/transactions/*`). */
function tradeRoutes(app: Hono, ctx: WechatPayContext, paycodes: Paycodes): void {
  const { store, now, signed, refuse, admit, parse, isRefusal, ownMerchant, sameMerchant, markPaid } = ctx;
  /** A direct or partner prepay body in one form: who it names, and the payer's openid under the app it pays in. */
  const prepayRequest = (partner: boolean, body: unknown): (z.infer<typeof prepaySchema> & { named: Named; openid?: string }) | Refusal => {
    if (!partner) {
      const r = parse(prepaySchema, body);
      return isRefusal(r) ? r : { ...r, named: { appid: r.appid, mchid: r.mchid }, ...(r.payer ? { openid: r.payer.openid } : {}) };
    }
    const r = parse(partnerPrepaySchema, body);
    if (isRefusal(r)) return r;
    const { sp_appid, sp_mchid, sub_mchid, sub_appid, payer, ...rest } = r;
    if (payer?.sub_openid && !sub_appid) return refusals.param('传sub_openid时须传sub_appid');
    const openid = sub_appid ? payer?.sub_openid : payer?.sp_openid;
    return { ...rest, appid: sp_appid, mchid: sp_mchid, named: { appid: sp_appid, mchid: sp_mchid, subMchid: sub_mchid, ...(sub_appid ? { subAppid: sub_appid } : {}) }, ...(openid ? { openid } : {}) };
  };
  const prepay = (tradeType: 'JSAPI' | 'NATIVE', partner = false) => async (c: Context) => {
    const admitted = await admit(c);
    if (admitted instanceof Response) return admitted;
    const request = prepayRequest(partner, admitted.body);
    if (isRefusal(request)) return refuse(c, request);
    if (tradeType === 'JSAPI' && !request.openid) return refuse(c, refusals.param(partner ? 'JSAPI下单须提供payer.sp_openid或payer.sub_openid' : 'JSAPI下单须提供payer.openid'));
    const mismatch = ownMerchant(request.named.appid, request.named.mchid, request.named.subMchid ? { subMchid: request.named.subMchid, subAppid: request.named.subAppid } : undefined);
    if (mismatch) return refuse(c, mismatch);
    const canonical = JSON.stringify([tradeType, request]);
    const existing = store.get(request.out_trade_no, now());
    if (existing) {
      if (existing.state === 'SUCCESS' || existing.state === 'REFUND') return refuse(c, refusals.orderPaid);
      if (existing.state !== 'NOTPAY') return refuse(c, refusals.orderClosed);
      if (existing.request !== canonical || !sameMerchant(existing, request.named.subMchid)) return refuse(c, refusals.duplicate);
    }
    const expireMs = request.time_expire ? Date.parse(request.time_expire) : undefined;
    const trade: SandboxTrade = existing ?? {
      outTradeNo: request.out_trade_no,
      appId: request.appid,
      mchId: request.mchid,
      ...(request.named.subMchid ? { subMchid: request.named.subMchid } : {}),
      ...(request.named.subAppid ? { subAppid: request.named.subAppid } : {}),
      description: request.description,
      totalFen: request.amount.total,
      tradeType,
      state: 'NOTPAY',
      stateDesc: '订单未支付',
      transactionId: newTransactionId(),
      notifyUrl: request.notify_url,
      ...(request.openid ? { openid: request.openid } : {}),
      ...(expireMs !== undefined ? { expireMs } : {}),
      profitSharing: request.settle_info?.profit_sharing === true,
      request: canonical,
      ...(tradeType === 'JSAPI' ? { prepayId: newPrepayId(now()) } : { codeUrl: newCodeUrl() }),
    };
    store.trades.set(trade.outTradeNo, trade);
    return signed(c, 200, tradeType === 'JSAPI' ? { prepay_id: trade.prepayId } : { code_url: trade.codeUrl });
  };

  app.use('/v3/*', bodyLimit({ maxSize: wechat_pay_body_bytes_max }));
  app.post('/v3/pay/transactions/jsapi', prepay('JSAPI'));
  app.post('/v3/pay/transactions/native', prepay('NATIVE'));
  app.post('/v3/pay/partner/transactions/jsapi', prepay('JSAPI', true));
  app.post('/v3/pay/partner/transactions/native', prepay('NATIVE', true));

  const codepay = (partner: boolean) => async (c: Context) => {
    const admitted = await admit(c);
    if (admitted instanceof Response) return admitted;
    let request: z.infer<typeof codepaySchema>;
    let named: Named;
    if (partner) {
      const r = parse(partnerCodepaySchema, admitted.body);
      if (isRefusal(r)) return refuse(c, r);
      const { sp_appid, sp_mchid, sub_mchid, sub_appid, ...rest } = r;
      request = { ...rest, appid: sp_appid, mchid: sp_mchid };
      named = { appid: sp_appid, mchid: sp_mchid, subMchid: sub_mchid, ...(sub_appid ? { subAppid: sub_appid } : {}) };
    } else {
      const r = parse(codepaySchema, admitted.body);
      if (isRefusal(r)) return refuse(c, r);
      request = r;
      named = { appid: r.appid, mchid: r.mchid };
    }
    const mismatch = ownMerchant(named.appid, named.mchid, named.subMchid ? { subMchid: named.subMchid, subAppid: named.subAppid } : undefined);
    if (mismatch) return refuse(c, mismatch);
    const existing = store.get(request.out_trade_no, now());
    if (existing) return refuse(c, existing.state === 'SUCCESS' || existing.state === 'REFUND' ? refusals.orderPaid : refusals.duplicate);
    const taken = paycodes.take('wechat', request.payer.auth_code);
    if (taken.outcome === 'used') return refuse(c, refusals.authCodeUsed);
    if (taken.outcome === 'expired') return refuse(c, refusals.authCodeExpired);
    if (taken.outcome !== 'ok' || taken.paycode.behaviour === 'invalid') return refuse(c, refusals.authCodeInvalid);
    const code = taken.paycode;
    const trade: SandboxTrade = {
      outTradeNo: request.out_trade_no,
      appId: request.appid,
      mchId: request.mchid,
      ...(named.subMchid ? { subMchid: named.subMchid } : {}),
      ...(named.subAppid ? { subAppid: named.subAppid } : {}),
      description: request.description,
      totalFen: request.amount.total,
      tradeType: 'MICROPAY',
      state: 'USERPAYING',
      stateDesc: '用户支付中，需要输入密码',
      transactionId: newTransactionId(),
      openid: code.payerId,
      profitSharing: request.settle_info?.profit_sharing === true,
      request: JSON.stringify(request),
    };
    store.trades.set(trade.outTradeNo, trade);
    if (code.behaviour === 'success') {
      markPaid(trade, code.payerId);
      return signed(c, 200, store.transaction(trade));
    }
    if (code.behaviour === 'insufficient') {
      trade.state = 'PAYERROR';
      trade.stateDesc = '支付失败，余额不足';
      return refuse(c, refusals.notEnough);
    }
    trade.userpaying = { queriesLeft: code.afterQueries, untilMs: code.afterMs === undefined ? Number.POSITIVE_INFINITY : now() + code.afterMs };
    return signed(c, 202, { code: 'USERPAYING', message: '需要用户输入支付密码' });
  };
  app.post('/v3/pay/transactions/codepay', codepay(false));
  app.post('/v3/pay/partner/transactions/codepay', codepay(true));

  const query = (partner: boolean) => async (c: Context) => {
    const admitted = await admit(c);
    if (admitted instanceof Response) return admitted;
    const mchid = c.req.query(partner ? 'sp_mchid' : 'mchid');
    if (!mchid) return refuse(c, refusals.param(partner ? '缺少参数sp_mchid' : '缺少参数mchid'));
    const sub = partner ? c.req.query('sub_mchid') : undefined;
    if (partner && !sub) return refuse(c, refusals.param('缺少参数sub_mchid'));
    const mismatch = ownMerchant(undefined, mchid, sub ? { subMchid: sub } : undefined);
    if (mismatch) return refuse(c, mismatch);
    const trade = store.get(c.req.param('outTradeNo') ?? '', now());
    // Another sub-merchant's trade does not exist for this one.
    if (!trade || !sameMerchant(trade, sub)) return refuse(c, refusals.orderNotExist);
    if (trade.state === 'USERPAYING' && trade.userpaying) {
      trade.userpaying.queriesLeft -= 1;
      if (trade.userpaying.queriesLeft <= 0 || now() >= trade.userpaying.untilMs) markPaid(trade, trade.openid ?? sandbox_openid);
    }
    return signed(c, 200, store.transaction(trade));
  };
  app.get('/v3/pay/transactions/out-trade-no/:outTradeNo', query(false));
  app.get('/v3/pay/partner/transactions/out-trade-no/:outTradeNo', query(true));
  endRoutes(app, ctx);
}

/** Ending unpaid trades: close (JSAPI, Native) and reverse (payment code), direct and partner. */
function endRoutes(app: Hono, ctx: WechatPayContext): void {
  const { store, now, signed, refuse, admit, parse, isRefusal, ownMerchant, sameMerchant } = ctx;

  const close = (partner: boolean) => async (c: Context) => {
    const admitted = await admit(c);
    if (admitted instanceof Response) return admitted;
    const request = partner ? parse(z.object({ sp_mchid: z.string(), sub_mchid: subMchid }), admitted.body) : parse(z.object({ mchid: z.string() }), admitted.body);
    if (isRefusal(request)) return refuse(c, request);
    const sub = 'sub_mchid' in request ? request.sub_mchid : undefined;
    const mismatch = ownMerchant(undefined, 'sp_mchid' in request ? request.sp_mchid : request.mchid, sub ? { subMchid: sub } : undefined);
    if (mismatch) return refuse(c, mismatch);
    const trade = store.get(c.req.param('outTradeNo') ?? '', now());
    if (!trade || !sameMerchant(trade, sub)) return refuse(c, refusals.orderNotExist);
    if (trade.state === 'SUCCESS' || trade.state === 'REFUND') return refuse(c, refusals.orderPaid);
    if (trade.state === 'NOTPAY' || trade.state === 'USERPAYING' || trade.state === 'PAYERROR') {
      trade.state = 'CLOSED';
      trade.stateDesc = '订单已关闭';
    }
    return signed(c, 204);
  };
  app.post('/v3/pay/transactions/out-trade-no/:outTradeNo/close', close(false));
  app.post('/v3/pay/partner/transactions/out-trade-no/:outTradeNo/close', close(true));

  const reverse = (partner: boolean) => async (c: Context) => {
    const admitted = await admit(c);
    if (admitted instanceof Response) return admitted;
    const request = partner ? parse(z.object({ sp_appid: z.string().optional(), sp_mchid: z.string(), sub_appid: z.string().optional(), sub_mchid: subMchid }), admitted.body) : parse(z.object({ appid: z.string(), mchid: z.string() }), admitted.body);
    if (isRefusal(request)) return refuse(c, request);
    const sub = 'sub_mchid' in request ? request.sub_mchid : undefined;
    const mismatch =
      'sp_mchid' in request ? ownMerchant(request.sp_appid, request.sp_mchid, { subMchid: request.sub_mchid, subAppid: request.sub_appid }) : ownMerchant(request.appid, request.mchid);
    if (mismatch) return refuse(c, mismatch);
    const trade = store.get(c.req.param('outTradeNo') ?? '', now());
    if (!trade || !sameMerchant(trade, sub)) return refuse(c, refusals.orderNotExist);
    if (trade.tradeType !== 'MICROPAY') return refuse(c, { status: 400, code: 'INVALID_REQUEST', message: '非付款码订单不可撤销，请使用关单接口' });
    if (trade.state === 'REFUND') return refuse(c, { status: 400, code: 'INVALID_REQUEST', message: '订单已发生退款，不可撤销' });
    // Reverse ends an unpaid trade and, as on the platform, gives a paid one back to the payer.
    trade.state = 'REVOKED';
    trade.stateDesc = '已撤销';
    trade.userpaying = undefined;
    return signed(c, 200, trade.subMchid ? { sp_appid: trade.appId, sp_mchid: trade.mchId, sub_mchid: trade.subMchid, out_trade_no: trade.outTradeNo } : { appid: trade.appId, mchid: trade.mchId, out_trade_no: trade.outTradeNo });
  };
  app.post('/v3/pay/transactions/out-trade-no/:outTradeNo/reverse', reverse(false));
  app.post('/v3/pay/partner/transactions/out-trade-no/:outTradeNo/reverse', reverse(true));
}

/** Refunds and their queries (`/v3/refund/domestic/refunds`). */
function refundRoutes(app: Hono, ctx: WechatPayContext): void {
  const { keys, settings, signer, store, splits, now, signed, refuse, admit, parse, isRefusal, sameMerchant, settleRefund } = ctx;
  app.post('/v3/refund/domestic/refunds', async (c) => {
    const admitted = await admit(c);
    if (admitted instanceof Response) return admitted;
    const request = parse(refundSchema, admitted.body);
    if (isRefusal(request)) return refuse(c, request);
    const trade = request.out_trade_no
      ? store.get(request.out_trade_no, now())
      : [...store.trades.values()].find((t) => t.transactionId === request.transaction_id);
    // A partner refund names the trade's sub-merchant; another's trade does not exist for it.
    if (!trade || !sameMerchant(trade, request.sub_mchid)) return refuse(c, refusals.tradeNotExist);
    const canonical = JSON.stringify({ ...request, out_trade_no: trade.outTradeNo, transaction_id: undefined });
    const existing = store.refunds.get(request.out_refund_no);
    if (existing) {
      if (existing.request !== canonical) return refuse(c, { status: 400, code: 'INVALID_REQUEST', message: '商户退款单号重复，且与原请求参数不一致' });
      return signed(c, 200, store.refundObject(existing, false));
    }
    if (trade.state !== 'SUCCESS' && trade.state !== 'REFUND') return refuse(c, { status: 400, code: 'INVALID_REQUEST', message: '订单未支付或已撤销，不能退款' });
    if (request.amount.total !== trade.totalFen) return refuse(c, refusals.param('订单金额total与原订单金额不一致'));
    const refunded = store.refundedFen(trade.outTradeNo);
    if (refunded.count >= wechat_refunds_per_trade_max) return refuse(c, { status: 403, code: 'REQUEST_BLOCKED', message: `退款次数超过${wechat_refunds_per_trade_max}次` });
    if (refunded.fen + request.amount.refund > trade.totalFen) return refuse(c, { status: 400, code: 'INVALID_REQUEST', message: '申请退款金额超过订单可退金额' });
    // Money split away to receivers is not the merchant's to refund until it is returned.
    if (refunded.fen + request.amount.refund > trade.totalFen - splits.outstandingFen(trade.transactionId)) return refuse(c, { status: 403, code: 'NOT_ENOUGH', message: '可退款金额不足（部分资金已分账，请先分账回退）' });
    const refund: SandboxRefund = {
      outRefundNo: request.out_refund_no,
      outTradeNo: trade.outTradeNo,
      refundId: newRefundId(),
      refundFen: request.amount.refund,
      status: 'PROCESSING',
      createdMs: now(),
      ...(request.notify_url ? { notifyUrl: request.notify_url } : {}),
      request: canonical,
    };
    store.refunds.set(refund.outRefundNo, refund);
    if (settings.refundSucceedAfterMs !== null) setTimeout(() => settleRefund(refund, 'SUCCESS'), settings.refundSucceedAfterMs).unref();
    return signed(c, 200, store.refundObject(refund, false));
  });

  app.get('/v3/refund/domestic/refunds/:outRefundNo', async (c) => {
    const admitted = await admit(c);
    if (admitted instanceof Response) return admitted;
    const refund = store.refunds.get(c.req.param('outRefundNo'));
    const trade = refund && store.trades.get(refund.outTradeNo);
    if (!refund || !trade || !sameMerchant(trade, c.req.query('sub_mchid'))) return refuse(c, refusals.refundNotExist);
    return signed(c, 200, store.refundObject(refund, false));
  });

  wechatSplitRoutes(app, store, splits, { admit, signed, refuse, platformPrivateKey: signer.privateKey, platformSerial: signer.serial, appId: keys.wechat.appId, mchId: keys.wechat.mchId, now });

  wechatBillRoutes(app, store, { admit, signed, refuse, appId: keys.wechat.appId, mchId: keys.wechat.mchId, now });

  // Sandbox controls: the payer, the bank, the timings. Plain JSON, unsigned.
}

/** The sandbox's own routes: the payer, forced refund outcomes, settings, a trade's state. */
function payerRoutes(app: Hono, ctx: WechatPayContext): void {
  const { settings, store, notifier, subMerchants, now, markPaid, settleRefund } = ctx;
  const limit = bodyLimit({ maxSize: wechat_pay_body_bytes_max });

  // Binds another sub-merchant to the provider (partner mode), as the platform does once its 进件 is signed.
  app.post('/sandbox/wechat/sub-merchants', limit, async (c) => {
    const parsed = z.strictObject({ subMchid: z.string().regex(/^\d{8,12}$/), subAppid: z.string().min(1).optional() }).safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
    subMerchants.set(parsed.data.subMchid, parsed.data.subAppid ? { subAppid: parsed.data.subAppid } : {});
    return c.json({ subMchids: [...subMerchants.keys()] });
  });

  app.post('/sandbox/wechat/pay', limit, async (c) => {
    const parsed = paySchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
    const { prepayId, codeUrl, outcome, openid } = parsed.data;
    const found = [...store.trades.values()].find((t) => (prepayId !== undefined ? t.prepayId === prepayId : t.codeUrl === codeUrl));
    const trade = found && store.get(found.outTradeNo, now());
    if (!trade) return c.json({ error: 'no trade with that prepayId / codeUrl' }, 404);
    if (trade.state !== 'NOTPAY') return c.json({ error: `trade is ${trade.state}, not NOTPAY` }, 409);
    if (outcome === 'payerror') {
      trade.state = 'PAYERROR';
      trade.stateDesc = '支付失败，请重新下单支付';
    } else {
      markPaid(trade, trade.openid ?? openid ?? sandbox_openid);
      if (trade.notifyUrl) notifier.notify(trade.notifyUrl, 'TRANSACTION.SUCCESS', store.transaction(trade));
    }
    return c.json({ outTradeNo: trade.outTradeNo, tradeState: trade.state });
  });

  app.post('/sandbox/wechat/refund', limit, async (c) => {
    const parsed = refundOutcomeSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
    const refund = store.refunds.get(parsed.data.outRefundNo);
    if (!refund) return c.json({ error: 'no such refund' }, 404);
    if (refund.status !== 'PROCESSING') return c.json({ error: `refund is ${refund.status}, not PROCESSING` }, 409);
    settleRefund(refund, parsed.data.outcome);
    return c.json({ outRefundNo: refund.outRefundNo, status: refund.status });
  });

  app.get('/sandbox/wechat/settings', (c) => c.json(settings));
  app.post('/sandbox/wechat/settings', limit, async (c) => {
    const parsed = settingsSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
    Object.assign(settings, parsed.data);
    return c.json(settings);
  });

  app.get('/sandbox/wechat/trades/:outTradeNo', (c) => {
    const trade = store.get(c.req.param('outTradeNo') ?? '', now());
    if (!trade) return c.json({ error: 'no such trade' }, 404);
    const refunds = [...store.refunds.values()].filter((r) => r.outTradeNo === trade.outTradeNo).map((r) => store.refundObject(r, false));
    return c.json({ trade: store.transaction(trade), prepayId: trade.prepayId, codeUrl: trade.codeUrl, profitSharing: trade.profitSharing, description: trade.description, refunds });
  });


}

/** `store` is shared with the shipping routes, which accept only the sandbox's own paid trades. */
export function wechatPayRoutes(keys: SandboxKeys, paycodes: Paycodes, control: NotifyControl, now: () => number = Date.now, store: WechatTrades = new WechatTrades()): Hono {
  const app = new Hono();
  const ctx = wechatPayContext(keys, control, now, store);
  tradeRoutes(app, ctx, paycodes);
  refundRoutes(app, ctx);
  payerRoutes(app, ctx);
  return app;
}
