import type { Deps } from '../_kernel/deps.js';

/**
 * The mini-program's access token for server calls beyond login
 * (subscription messages; shipping keeps its own copy of this in
 * api/_shipping/wechat-api.ts under the same cache key, so both share one
 * token). `POST /cgi-bin/stable_token` `{grant_type: 'client_credential',
 * appid, secret, force_refresh: false}` answers the same token while it
 * lives, where `/cgi-bin/token` would replace the token every other function
 * instance holds; it is cached in the key-value store until
 * `wechat_token_refresh_margin_s` before it expires.
 */

/** The cached token is renewed this long before WeChat says it expires. */
export const wechat_token_refresh_margin_s = 300;
export const wechat_token_timeout_ms = 5_000;
/** `40001` invalid credential, `42001` expired, `40014` malformed: the cached token is dropped and fetched again. */
export const wechat_token_errcodes: ReadonlySet<number> = new Set([40001, 42001, 40014]);

export type WechatTokenResult = { kind: 'token'; token: string } | { kind: 'network'; message: string } | { kind: 'answer'; errcode: number; errmsg: string };

const tokenKey = (appId: string) => `wechat:access_token:${appId}`;

export async function wechatAccessToken(deps: Deps): Promise<WechatTokenResult> {
  const { apiBase, appId, appSecret } = deps.config.wechatApp;
  if (!appId || !appSecret) return { kind: 'answer', errcode: -2, errmsg: 'WECHAT_APPID and WECHAT_APP_SECRET are not set' };
  const cached = await deps.kv.get<string>(tokenKey(appId));
  if (cached) return { kind: 'token', token: cached };
  let body: Record<string, unknown>;
  try {
    const res = await fetch(`${apiBase}/cgi-bin/stable_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: appId, secret: appSecret, force_refresh: false }),
      signal: AbortSignal.timeout(wechat_token_timeout_ms),
    });
    if (res.status < 200 || res.status > 299) return { kind: 'network', message: `stable_token HTTP ${res.status}` };
    const parsed = JSON.parse(await res.text()) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return { kind: 'network', message: 'stable_token answer is not a JSON object' };
    body = parsed as Record<string, unknown>;
  } catch (e) {
    return { kind: 'network', message: `stable_token ${e instanceof Error ? e.name : 'failed'}` };
  }
  const token = body.access_token;
  const expiresIn = body.expires_in;
  const errcode = typeof body.errcode === 'number' ? body.errcode : 0;
  if (errcode !== 0 || typeof token !== 'string' || typeof expiresIn !== 'number') {
    return { kind: 'answer', errcode: errcode || -1, errmsg: typeof body.errmsg === 'string' ? body.errmsg : 'no access_token' };
  }
  const ttl = expiresIn - wechat_token_refresh_margin_s;
  if (ttl > 0) await deps.kv.set(tokenKey(appId), token, { ttlSeconds: ttl });
  return { kind: 'token', token };
}

export async function dropWechatAccessToken(deps: Deps): Promise<void> {
  const { appId } = deps.config.wechatApp;
  if (appId) await deps.kv.del(tokenKey(appId));
}
