import type { Deps } from '../_kernel/deps.js';
import { dropWechatAccessToken, wechatAccessToken, wechat_token_errcodes } from '../_platform/index.js';
import { message_error_chars_max, message_platform_timeout_ms } from './limits.js';
import type { MessagePlatformColumn } from './tables.js';

/**
 * One call to a platform's send API and what it came to:
 * `sent`; `temporary` (retried with backoff: WeChat -1 system busy, token
 * errors, rate limits, HTTP 5xx, timeouts, Alipay 20000 service unavailable);
 * `permanent` (stopped: WeChat 43101 the user refused or has no subscription
 * left, 40037 bad template, 40003 bad openid, 47003 bad data, 41030 bad page;
 * Alipay business and argument errors). An unknown code is permanent: a
 * message is not worth sending twice on a guess.
 */
export interface SendOutcome {
  outcome: 'sent' | 'temporary' | 'permanent';
  code: string | null;
  detail: string;
  /** The platform said the member has no subscription left: the consent's credits go to zero. */
  consentGone: boolean;
}

/** WeChat errcodes worth trying again: -1 system busy, 45009 and 45011 rate limits (token errors are added below). */
const wechat_temporary_errcodes: ReadonlySet<number> = new Set([-1, 45009, 45011]);
/** 43101: the user refused, or has used up what they accepted. */
export const wechat_refused_errcode = 43101;
/** Alipay's `20000` (service unavailable) says nothing about the message; anything else it answers with is final. */
const alipay_temporary_codes: ReadonlySet<string> = new Set(['20000']);
/** Alipay sub-codes that mean the member has not subscribed (or unsubscribed) to the template. */
const alipay_not_subscribed_sub_codes: ReadonlySet<string> = new Set(['USER_NOT_SUBSCRIBE', 'isv.user-not-subscribe', 'USER_UNSUBSCRIBE']);

const short = (s: string) => s.slice(0, message_error_chars_max);

export interface PlatformMessage {
  platform: MessagePlatformColumn;
  toUser: string;
  templateId: string;
  page: string;
  data: Record<string, { value: string }>;
}

export async function sendToPlatform(deps: Deps, m: PlatformMessage): Promise<SendOutcome> {
  return m.platform === 'wechat' ? sendWechat(deps, m) : sendAlipay(deps, m);
}

/** `POST /cgi-bin/message/subscribe/send?access_token=` `{touser, template_id, page, data, lang}` → `{errcode, errmsg}`. */
async function sendWechat(deps: Deps, m: PlatformMessage): Promise<SendOutcome> {
  const token = await wechatAccessToken(deps);
  if (token.kind === 'network') return { outcome: 'temporary', code: null, detail: short(token.message), consentGone: false };
  if (token.kind === 'answer') return { outcome: token.errcode === -2 ? 'permanent' : 'temporary', code: String(token.errcode), detail: short(`access token: ${token.errmsg}`), consentGone: false };
  let status: number;
  let text: string;
  try {
    const res = await fetch(`${deps.config.wechatApp.apiBase}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token.token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ touser: m.toUser, template_id: m.templateId, page: m.page, data: m.data, lang: 'zh_CN' }),
      signal: AbortSignal.timeout(message_platform_timeout_ms),
    });
    status = res.status;
    text = await res.text();
  } catch (e) {
    // The URL carries the access token, so only the error's name is kept.
    return { outcome: 'temporary', code: null, detail: e instanceof Error && e.name === 'TimeoutError' ? 'timed out' : `fetch ${e instanceof Error ? e.name : 'failed'}`, consentGone: false };
  }
  if (status >= 500) return { outcome: 'temporary', code: `HTTP ${status}`, detail: short(text), consentGone: false };
  let body: Record<string, unknown>;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    body = parsed as Record<string, unknown>;
  } catch {
    return { outcome: status >= 200 && status < 300 ? 'temporary' : 'permanent', code: `HTTP ${status}`, detail: short(text), consentGone: false };
  }
  const errcode = typeof body.errcode === 'number' ? body.errcode : 0;
  const errmsg = typeof body.errmsg === 'string' ? body.errmsg : '';
  if (errcode === 0) return { outcome: 'sent', code: '0', detail: short(errmsg || 'ok'), consentGone: false };
  if (wechat_token_errcodes.has(errcode)) {
    await dropWechatAccessToken(deps);
    return { outcome: 'temporary', code: String(errcode), detail: short(errmsg), consentGone: false };
  }
  if (wechat_temporary_errcodes.has(errcode)) return { outcome: 'temporary', code: String(errcode), detail: short(errmsg), consentGone: false };
  return { outcome: 'permanent', code: String(errcode), detail: short(errmsg), consentGone: errcode === wechat_refused_errcode };
}

/**
 * `alipay.open.app.mini.templatemessage.send` `biz_content {to_user_id,
 * user_template_id, page, data}` where `data` is a JSON string, signed and
 * verified like every other Alipay call.
 */
async function sendAlipay(deps: Deps, m: PlatformMessage): Promise<SendOutcome> {
  const to = /^2088\d{12}$/.test(m.toUser) ? { to_user_id: m.toUser } : { to_open_id: m.toUser };
  let answer;
  try {
    answer = await deps.alipayAppCall('alipay.open.app.mini.templatemessage.send', { ...to, user_template_id: m.templateId, page: m.page, data: JSON.stringify(m.data) }, deps.clock());
  } catch (e) {
    // Alipay not configured on this deployment: no retry can help.
    return { outcome: 'permanent', code: 'unconfigured', detail: short(e instanceof Error ? e.message : String(e)), consentGone: false };
  }
  if (answer.kind === 'network') return { outcome: 'temporary', code: null, detail: short(answer.message), consentGone: false };
  const code = answer.subCode ? `${answer.code} ${answer.subCode}` : answer.code;
  if (answer.code === '10000') return { outcome: 'sent', code, detail: short(answer.message || 'Success'), consentGone: false };
  if (alipay_temporary_codes.has(answer.code)) return { outcome: 'temporary', code, detail: short(answer.message), consentGone: false };
  return { outcome: 'permanent', code, detail: short(answer.message), consentGone: answer.subCode !== null && alipay_not_subscribed_sub_codes.has(answer.subCode) };
}
