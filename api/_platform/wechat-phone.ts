import { AppError } from '../_kernel/errors.js';
import { wechat_request_timeout_ms, type WechatLoginOptions } from './wechat-login.js';

/**
 * The phone number a WeChat user agreed to share through the mini-program's
 * `getPhoneNumber` button: its one-time code (five minutes) is exchanged with
 * `POST /wxa/business/getuserphonenumber?access_token=…` and a JSON body
 * `{code, openid}` (the code in the query string is 40029). The access token
 * is the stable one (`POST /cgi-bin/stable_token`), which returns the same
 * token to every caller within its life, so each instance may keep its own
 * copy; a token error drops it and the exchange is tried once more.
 */

/** 40029: the code is invalid, used, or another app's; the user can fix it by tapping again. */
const invalid_phone_code_errcodes = new Set([40029]);
/** Access-token errors: invalid, expired, or not the latest. */
const token_errcodes = new Set([40001, 42001, 40014]);
/** A token is refreshed this long before WeChat says it expires. */
export const wechat_phone_token_margin_s = 300;

export interface WechatPhone {
  phone: string;
  countryCode: string;
}

export interface WechatPhoneClient {
  phoneNumber(code: string, openId?: string): Promise<WechatPhone>;
}

type Answer = Record<string, unknown>;

export function createWechatPhone(options: WechatLoginOptions, now: () => number = Date.now): WechatPhoneClient {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? wechat_request_timeout_ms;
  const base = options.apiBase.replace(/\/+$/, '');
  let token: { value: string; untilMs: number } | undefined;

  async function post(url: string, body: unknown, what: string): Promise<Answer> {
    let status: number;
    let text: string;
    try {
      const res = await doFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
      status = res.status;
      text = await res.text();
    } catch (e) {
      // The URL may carry the access token and the body the secret: neither goes into the message.
      throw new AppError('platform_error', '微信暂时无法响应，请稍后再试', undefined, { detail: `WeChat ${what} ${e instanceof Error && e.name === 'TimeoutError' ? 'timed out' : 'failed'}` });
    }
    if (status < 200 || status > 299) throw new AppError('platform_error', '微信暂时无法响应，请稍后再试', undefined, { detail: `WeChat ${what} answered HTTP ${status}` });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    if (typeof parsed !== 'object' || parsed === null) throw new AppError('platform_error', '微信的应答无法识别', undefined, { detail: `WeChat ${what} answered with something other than a JSON object` });
    return parsed as Answer;
  }

  async function accessToken(): Promise<string> {
    if (token && token.untilMs > now()) return token.value;
    const answer = await post(`${base}/cgi-bin/stable_token`, { grant_type: 'client_credential', appid: options.appId, secret: options.appSecret, force_refresh: false }, 'stable_token');
    const value = answer['access_token'];
    const expiresIn = answer['expires_in'];
    if (typeof value !== 'string' || typeof expiresIn !== 'number') {
      throw new AppError('platform_error', '微信暂时无法响应，请稍后再试', undefined, { detail: `WeChat stable_token failed (${String(answer['errcode'])} ${String(answer['errmsg'])})` });
    }
    token = { value, untilMs: now() + (expiresIn - wechat_phone_token_margin_s) * 1000 };
    return value;
  }

  return {
    async phoneNumber(code, openId) {
      if (code === '') throw new AppError('bad_request', '手机号授权码（code）为空', [{ path: 'code', message: '为空' }]);
      for (let attempt = 0; ; attempt++) {
        const access = await accessToken();
        const answer = await post(`${base}/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(access)}`, openId ? { code, openid: openId } : { code }, 'getuserphonenumber');
        const errcode = typeof answer['errcode'] === 'number' ? answer['errcode'] : 0;
        if (token_errcodes.has(errcode) && attempt === 0) {
          token = undefined;
          continue;
        }
        if (invalid_phone_code_errcodes.has(errcode)) throw new AppError('bad_request', '手机号授权码（code）无效或已用过，请重新点击授权', [{ path: 'code', message: '无效或已用过' }]);
        if (errcode !== 0) throw new AppError('platform_error', '微信暂时无法提供手机号，请稍后再试', undefined, { detail: `WeChat getuserphonenumber failed (${errcode} ${String(answer['errmsg'])})` });
        const info = answer['phone_info'] as Record<string, unknown> | undefined;
        const watermark = info?.['watermark'] as Record<string, unknown> | undefined;
        // The phone is only believed for this app: a code of another app would not come back 0, but the watermark says so in writing.
        if (!info || watermark?.['appid'] !== options.appId) throw new AppError('platform_error', '微信返回的手机号无法确认', undefined, { detail: 'WeChat phone_info missing or watermark.appid is not ours' });
        const pure = info['purePhoneNumber'];
        // Documented as a string, shown as a number in WeChat's own example: both are accepted.
        const country = info['countryCode'];
        if (typeof pure !== 'string' || (typeof country !== 'string' && typeof country !== 'number')) throw new AppError('platform_error', '微信返回的手机号无法识别', undefined, { detail: 'WeChat phone_info without purePhoneNumber or countryCode' });
        return { phone: pure, countryCode: String(country) };
      }
    },
  };
}
