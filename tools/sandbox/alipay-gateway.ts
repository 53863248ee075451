import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { parseBeijingTimestamp } from '../../api/_platform/alipay-time';
import { oauthToken } from './alipay-oauth-token';
import { openAuthTokenApp } from './alipay-app-auth-routes';
import { billDownloadUrlQuery } from './alipay-pay-bill';
import { tradeCancel, tradeClose, tradeCreate, tradePay, tradePrecreate, tradeQuery, tradeRefund, tradeRefundQuery } from './alipay-pay-methods';
import type { AlipayPaySandbox } from './alipay-pay-trades';
import { signedResponseBody, verifyRequest } from './alipay-signing';
import { alipaySplitMethods } from './alipay-split';
import type { SandboxKeys } from './keys';
import type { LoginCodes } from './login-codes';
// Member messages (#17, messages stream).
import { templateMessageSend } from './member-messages';

/**
 * Alipay's OpenAPI 2.0 gateway, `POST /gateway.do`. Parameters may arrive in
 * the query string and in the form body (alipay-sdk puts the common ones in
 * the URL). The gateway checks the common parameters and the RSA2 signature,
 * then hands the request to the method's handler; every answer is signed
 * with the Alipay platform key.
 */

export interface AlipayRequest {
  params: Record<string, string>;
  keys: SandboxKeys;
  codes: LoginCodes;
  pay: AlipayPaySandbox;
  /** Where the gateway was reached, for links the answer hands out. */
  origin: string;
  /**
   * Whose trades the call touches: the merchant of its `app_auth_token` (a
   * provider's app calling for an authorised merchant), else the sandbox's
   * own merchant (direct mode, `auth_app_id` = `app_id`).
   */
  seller: SellerContext;
}

export interface SellerContext {
  sellerId: string;
  authAppId: string;
}

/** `method` answers under `<method with dots as underscores>_response`. */
export interface AlipayReply {
  in: 'method' | 'error_response';
  payload: Record<string, unknown>;
}

export type AlipayMethod = (request: AlipayRequest) => AlipayReply;

/** Later work adds payment methods here. */
export const alipayMethods: Record<string, AlipayMethod> = {
  'alipay.system.oauth.token': oauthToken,
  'alipay.open.auth.token.app': openAuthTokenApp,
  'alipay.trade.create': tradeCreate,
  'alipay.trade.precreate': tradePrecreate,
  'alipay.trade.pay': tradePay,
  'alipay.trade.query': tradeQuery,
  'alipay.trade.close': tradeClose,
  'alipay.trade.cancel': tradeCancel,
  'alipay.trade.refund': tradeRefund,
  ...alipaySplitMethods, // 分账: relation bind, order.settle(.query); its refund wraps the one above to take refund_royalty_parameters
  'alipay.trade.fastpay.refund.query': tradeRefundQuery,
  'alipay.data.dataservice.bill.downloadurl.query': billDownloadUrlQuery,
  // Member messages (#17, messages stream).
  'alipay.open.app.mini.templatemessage.send': templateMessageSend,
};

export const gateway_body_bytes_max = 64 * 1024;
/** A sandbox rule, stricter than Alipay documents, so that a UTC timestamp (8 hours off) fails here first. */
export const alipay_timestamp_skew_max_ms = 15 * 60 * 1000;

function gatewayError(code: '40001' | '40002', subCode: string, subMsg: string): AlipayReply {
  const msg = code === '40001' ? 'Missing Required Arguments' : 'Invalid Arguments';
  return { in: 'method', payload: { code, msg, sub_code: subCode, sub_msg: subMsg } };
}

function checkCommon(params: Record<string, string>, keys: SandboxKeys, nowMs: number): AlipayReply | undefined {
  const required: [string, string][] = [
    ['app_id', 'isv.missing-app-id'],
    ['method', 'isv.missing-method'],
    ['sign_type', 'isv.missing-signature-type'],
    ['sign', 'isv.missing-signature'],
    ['timestamp', 'isv.missing-timestamp'],
    ['version', 'isv.missing-version'],
  ];
  for (const [name, subCode] of required) {
    if (!params[name]) return gatewayError('40001', subCode, `缺少参数 ${name}`);
  }
  if (params['app_id'] !== keys.alipay.appId) return gatewayError('40002', 'isv.invalid-app-id', '无效的AppID参数');
  if (!alipayMethods[params['method'] ?? '']) return gatewayError('40002', 'isv.invalid-method', '不存在的方法名');
  if (params['sign_type'] !== 'RSA2') return gatewayError('40002', 'isv.invalid-signature-type', '无效签名方式');
  const charset = params['charset'];
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') return gatewayError('40002', 'isv.invalid-charset', '字符集错误');
  if (params['format'] !== undefined && params['format'].toUpperCase() !== 'JSON') return gatewayError('40002', 'isv.invalid-format', '无效的数据格式');
  const timestamp = parseBeijingTimestamp(params['timestamp'] ?? '');
  if (!timestamp || Math.abs(timestamp.getTime() - nowMs) > alipay_timestamp_skew_max_ms) {
    return gatewayError('40002', 'isv.invalid-timestamp', `非法的时间戳参数 (expects Beijing time within ${alipay_timestamp_skew_max_ms / 60_000} minutes)`);
  }
  if (!verifyRequest(params, keys.alipay.appPublicKey)) {
    return gatewayError('40002', 'isv.invalid-signature', '验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配');
  }
  return undefined;
}

/** The merchant a call is made for, or the refusal of a token that is not (or no longer) an authorisation. */
function sellerOf(params: Record<string, string>, pay: AlipayPaySandbox): SellerContext | AlipayReply {
  const appId = params['app_id'] ?? '';
  const token = params['app_auth_token'];
  if (token === undefined || token === '') return { sellerId: pay.sellerId, authAppId: appId };
  const checked = pay.appAuth.check(appId, token);
  if (checked.outcome === 'ok') return { sellerId: checked.merchant.sellerId, authAppId: checked.merchant.authAppId };
  const [subCode, subMsg] = checked.outcome === 'expired' ? ['aop.app-auth-token-time-out', '应用授权令牌已过期'] : ['aop.invalid-app-auth-token', '无效的应用授权令牌'];
  return { in: 'method', payload: { code: '20001', msg: 'Insufficient Token Permissions', sub_code: subCode, sub_msg: subMsg } };
}

export function alipayGatewayRoutes(keys: SandboxKeys, codes: LoginCodes, now: () => number, pay: AlipayPaySandbox): Hono {
  const app = new Hono();
  app.post('/gateway.do', bodyLimit({ maxSize: gateway_body_bytes_max }), async (c) => {
    const params: Record<string, string> = {};
    for (const [key, value] of new URL(c.req.url).searchParams) params[key] = value;
    if ((c.req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
      for (const [key, value] of new URLSearchParams(await c.req.text())) params[key] = value;
    }
    const method = params['method'] ?? '';
    const seller = sellerOf(params, pay);
    const reply = checkCommon(params, keys, now()) ?? ('in' in seller ? seller : alipayMethods[method]?.({ params, keys, codes, pay, origin: new URL(c.req.url).origin, seller }));
    const answer = reply ?? gatewayError('40002', 'isv.invalid-method', '不存在的方法名');
    const key = answer.in === 'method' && method ? `${method.replaceAll('.', '_')}_response` : 'error_response';
    return c.body(signedResponseBody(key, answer.payload, keys.alipay.alipayPrivateKey), 200, {
      'Content-Type': 'application/json;charset=utf-8',
    });
  });
  return app;
}
