import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { AlipayMethod } from './alipay-gateway';
import { app_auth_token_ttl_s, app_refresh_token_ttl_s, type AlipayAppAuthSandbox, type SandboxMerchant } from './alipay-app-auth';
import { bizOf, invalid, ok, str } from './alipay-replies';

/**
 * The sandbox side of Alipay's third-party app authorisation:
 *
 * - `alipay.open.auth.token.app` on the gateway (signed by the provider's app, no
 *   `app_auth_token`): `grant_type` `authorization_code` with `code`, or
 *   `refresh_token` with `refresh_token`. The answer carries the token fields
 *   at the top and in `tokens[]`, as Alipay's does.
 * - `GET /sandbox/alipay/app-auth?app_id=&redirect_uri=&state=`: the
 *   authorisation page, listing the sandbox merchants; choosing one
 *   (`POST /sandbox/alipay/app-auth/consent`) goes back to `redirect_uri` with
 *   `app_id`, `app_auth_code` and `state`.
 * - `POST /sandbox/alipay/app-auth/codes {appId, sellerId}`: the same consent
 *   for tests, answering the code as JSON.
 * - `GET /sandbox/alipay/app-auth/merchants`: the sandbox merchants.
 * - `POST /sandbox/alipay/app-auth/revoke {sellerId}`: the merchant withdraws
 *   its authorisation.
 */

export const app_auth_body_bytes_max = 4 * 1024;

export const openAuthTokenApp: AlipayMethod = (request) => {
  const biz = bizOf(request);
  if (!biz) return invalid('biz_content 不是 JSON 对象');
  const appId = request.params['app_id'] ?? '';
  const grantType = str(biz, 'grant_type');
  const appAuth = request.pay.appAuth;
  let outcome;
  if (grantType === 'authorization_code') outcome = appAuth.grantByCode(appId, str(biz, 'code') ?? '');
  else if (grantType === 'refresh_token') outcome = appAuth.grantByRefresh(appId, str(biz, 'refresh_token') ?? '');
  else return { in: 'method', payload: { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.grant-type-invalid', sub_msg: `grant_type ${grantType ?? ''} 无效` } };
  if (outcome.outcome === 'refused') return { in: 'method', payload: { code: '40002', msg: 'Invalid Arguments', sub_code: outcome.subCode, sub_msg: outcome.subMsg } };
  const { grant } = outcome;
  const token = {
    user_id: grant.merchant.sellerId,
    auth_app_id: grant.merchant.authAppId,
    app_auth_token: grant.appAuthToken,
    app_refresh_token: grant.appRefreshToken,
    expires_in: String(app_auth_token_ttl_s),
    re_expires_in: String(app_refresh_token_ttl_s),
  };
  return ok({ ...token, tokens: [token] });
};

const codeRequest = z.strictObject({ appId: z.string().min(1).max(32), sellerId: z.string().regex(/^2088\d{12}$/, 'a sandbox merchant seller id') });
const revokeRequest = z.strictObject({ sellerId: z.string().regex(/^2088\d{12}$/) });

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Where the merchant's browser goes after consenting: the provider's address with the code added. */
function redirectTarget(redirectUri: string, appId: string, code: string, state: string | undefined): string {
  const target = new URL(redirectUri);
  target.searchParams.set('app_id', appId);
  target.searchParams.set('app_auth_code', code);
  if (state) target.searchParams.set('state', state);
  return target.href;
}

function consentPage(appId: string, redirectUri: string, state: string, merchants: SandboxMerchant[]): string {
  const rows = merchants
    .map(
      (m) => `<form method="post" action="/sandbox/alipay/app-auth/consent">
<input type="hidden" name="app_id" value="${escapeHtml(appId)}"><input type="hidden" name="redirect_uri" value="${escapeHtml(redirectUri)}">
<input type="hidden" name="state" value="${escapeHtml(state)}"><input type="hidden" name="seller_id" value="${m.sellerId}">
<button type="submit">以 ${escapeHtml(m.name)}（${m.sellerId}）授权</button></form>`,
    )
    .join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>支付宝沙箱 · 第三方应用授权</title></head>
<body><h1>第三方应用授权（沙箱）</h1><p>应用 ${escapeHtml(appId)} 请求代商户调用支付宝接口。选择授权的商户：</p>
${rows}</body></html>`;
}

export function alipayAppAuthRoutes(appAuth: AlipayAppAuthSandbox): Hono {
  const app = new Hono();
  app.get('/sandbox/alipay/app-auth/merchants', (c) => c.json({ merchants: appAuth.merchants }));

  app.get('/sandbox/alipay/app-auth', (c) => {
    const appId = c.req.query('app_id') ?? '';
    const redirectUri = c.req.query('redirect_uri') ?? '';
    if (appId !== appAuth.providerAppId) return c.text('无效的 app_id', 400);
    if (!URL.canParse(redirectUri)) return c.text('无效的 redirect_uri', 400);
    return c.html(consentPage(appId, redirectUri, c.req.query('state') ?? '', appAuth.merchants));
  });

  app.post('/sandbox/alipay/app-auth/consent', bodyLimit({ maxSize: app_auth_body_bytes_max }), async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const appId = form.get('app_id') ?? '';
    const redirectUri = form.get('redirect_uri') ?? '';
    const merchant = appAuth.merchantBySeller(form.get('seller_id') ?? '');
    if (appId !== appAuth.providerAppId || !URL.canParse(redirectUri) || !merchant) return c.text('授权请求无效', 400);
    const code = appAuth.issueCode(merchant, appId);
    if (!code) return c.text('沙箱授权码过多', 503);
    return c.redirect(redirectTarget(redirectUri, appId, code, form.get('state') ?? undefined), 302);
  });

  app.post('/sandbox/alipay/app-auth/codes', bodyLimit({ maxSize: app_auth_body_bytes_max }), async (c) => {
    const parsed = codeRequest.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
    if (parsed.data.appId !== appAuth.providerAppId) return c.json({ error: `unknown Alipay app ${parsed.data.appId}` }, 400);
    const merchant = appAuth.merchantBySeller(parsed.data.sellerId);
    if (!merchant) return c.json({ error: 'no sandbox merchant with that seller id' }, 404);
    const code = appAuth.issueCode(merchant, parsed.data.appId);
    if (!code) return c.json({ error: 'too many live authorisation codes' }, 503);
    return c.json({ code, merchant }, 201);
  });

  app.post('/sandbox/alipay/app-auth/revoke', bodyLimit({ maxSize: app_auth_body_bytes_max }), async (c) => {
    const parsed = revokeRequest.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
    const merchant = appAuth.merchantBySeller(parsed.data.sellerId);
    if (!merchant) return c.json({ error: 'no sandbox merchant with that seller id' }, 404);
    return c.json({ revoked: appAuth.revoke(merchant) });
  });
  return app;
}
