import { Hono } from 'hono';
import type { AppEnv } from '../../_kernel/context.js';
import { requireAuth, staffOf } from '../../_identity/index.js';
import { alipayAppAuthCallbackQuery, type AlipayAuthorizeResponse } from '../../../shared/api/alipay-auth.js';
import { AuthorizationRefused, completeAlipayAuthorization, requestAlipayAuthorization } from './app-auth.service.js';

/**
 * The routes of Alipay's third-party app authorisation (#18):
 *
 * - `POST /merchant/payment-accounts/alipay/authorize` (owner): the link to
 *   Alipay's consent page for this merchant;
 * - `GET /alipay/app-auth/callback` (platform): where Alipay sends the owner's
 *   browser back. It answers a small page, not JSON, because a person reads it.
 */
export const alipayAppAuthRoutes = new Hono<AppEnv>();

alipayAppAuthRoutes.post('/merchant/payment-accounts/alipay/authorize', requireAuth(['owner']), async (c) => {
  const staff = staffOf(c.get('principal'));
  const link = await requestAlipayAuthorization(c.get('deps'), { merchantId: staff.merchantId, staffId: staff.staffId });
  const body: AlipayAuthorizeResponse = { url: link.url, expiresAt: link.expiresAt.toISOString(), status: link.status };
  return c.json(body);
});

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function page(title: string, lines: string[]): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:28rem;padding:0 1rem;line-height:1.6;color:#1f1f1f}h1{font-size:1.4rem}</style></head>
<body><h1>${escapeHtml(title)}</h1>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</body></html>`;
}

alipayAppAuthRoutes.get('/alipay/app-auth/callback', async (c) => {
  const deps = c.get('deps');
  const parsed = alipayAppAuthCallbackQuery.safeParse(c.req.query());
  try {
    if (!parsed.success) throw new AuthorizationRefused('missing', 400, '回调参数格式不对');
    const q = parsed.data;
    const done = await completeAlipayAuthorization(deps, { appAuthCode: q.app_auth_code, state: q.state, appId: q.app_id });
    return c.html(page('支付宝授权成功', [`支付宝账户 ${done.sellerId} 已授权，本店可以收支付宝付款了。`, '可以关闭此页，回到柜台应用的收款设置查看。']), 200);
  } catch (e) {
    if (!(e instanceof AuthorizationRefused)) throw e;
    // Refusals are logged, not audited: nothing changed, and anyone can call this address.
    deps.log.warn('alipay app auth callback refused', { reason: e.reason });
    return c.html(page('支付宝授权失败', [e.message, '请回到柜台应用的收款设置，重新点“去支付宝授权”。']), e.status);
  }
});
