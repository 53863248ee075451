import type { Deps } from '../_kernel/deps.js';
import { AppError } from '../_kernel/errors.js';
import { wechat_api_timeout_ms, wechat_token_refresh_margin_s } from './limits.js';

/**
 * The mini-program's server API at api.weixin.qq.com (or the sandbox through
 * WECHAT_API_BASE). WeChat answers HTTP 200 with `{errcode, errmsg}` on
 * failure, so a body without JSON, a non-2xx status or no answer at all is
 * reported as `network` and the attempt is retried.
 */

export type WechatAnswer = { kind: 'answer'; errcode: number; errmsg: string; body: Record<string, unknown> } | { kind: 'network'; message: string };

/** `40001` invalid credential and `42001` expired token: the cached token is dropped and fetched again. */
export const token_errcodes = new Set([40001, 42001]);

function appOf(deps: Deps): { apiBase: string; appId: string; appSecret: string } {
  const { apiBase, appId, appSecret } = deps.config.wechatApp;
  if (!appId || !appSecret) throw new AppError('unavailable', 'WECHAT_APPID and WECHAT_APP_SECRET must be set to upload shipping information');
  return { apiBase, appId, appSecret };
}

async function postJson(url: string, body: unknown): Promise<WechatAnswer> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(wechat_api_timeout_ms) });
    const text = await res.text();
    if (res.status < 200 || res.status > 299) return { kind: 'network', message: `HTTP ${res.status}` };
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return { kind: 'network', message: 'answer is not a JSON object' };
    const record = parsed as Record<string, unknown>;
    return { kind: 'answer', errcode: typeof record.errcode === 'number' ? record.errcode : 0, errmsg: typeof record.errmsg === 'string' ? record.errmsg : '', body: record };
  } catch (e) {
    // The URL may carry the access token, so only the error's name is kept.
    return { kind: 'network', message: e instanceof Error ? e.name : 'fetch failed' };
  }
}

const tokenKey = (appId: string) => `wechat:access_token:${appId}`;

/**
 * The access token from `POST /cgi-bin/stable_token` `{grant_type:
 * 'client_credential', appid, secret, force_refresh: false}` → `{access_token,
 * expires_in: 7200}` (getStableAccessToken: in normal mode a call within the
 * token's life returns the same token, where `/cgi-bin/token` would replace
 * the token every other function instance holds), cached in the
 * key-value store until `wechat_token_refresh_margin_s` before it expires.
 */
export async function accessToken(deps: Deps): Promise<string | { kind: 'network'; message: string } | { kind: 'answer'; errcode: number; errmsg: string }> {
  const app = appOf(deps);
  const cached = await deps.kv.get<string>(tokenKey(app.appId));
  if (cached) return cached;
  const answer = await postJson(`${app.apiBase}/cgi-bin/stable_token`, { grant_type: 'client_credential', appid: app.appId, secret: app.appSecret, force_refresh: false });
  if (answer.kind === 'network') return answer;
  const token = answer.body.access_token;
  const expiresIn = answer.body.expires_in;
  if (answer.errcode !== 0 || typeof token !== 'string' || typeof expiresIn !== 'number') return { kind: 'answer', errcode: answer.errcode || -1, errmsg: answer.errmsg || 'no access_token' };
  const ttl = expiresIn - wechat_token_refresh_margin_s;
  if (ttl > 0) await deps.kv.set(tokenKey(app.appId), token, { ttlSeconds: ttl });
  return token;
}

export async function dropAccessToken(deps: Deps): Promise<void> {
  await deps.kv.del(tokenKey(appOf(deps).appId));
}

/** `POST /wxa/sec/order/<name>?access_token=…` with a JSON body. */
export async function orderApi(deps: Deps, name: 'upload_shipping_info' | 'get_order', token: string, body: unknown): Promise<WechatAnswer> {
  return postJson(`${appOf(deps).apiBase}/wxa/sec/order/${name}?access_token=${encodeURIComponent(token)}`, body);
}
