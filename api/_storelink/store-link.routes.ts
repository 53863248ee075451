import { Hono } from 'hono';
import { storeByCode } from '../_identity/index.js';
import type { Deps } from '../_kernel/deps.js';
import { receipt_link_prefix, receipt_page } from '../../shared/receipt/link.js';
import { invite_link_prefix, inviteCodeOf, sign_in_page } from '../../shared/staff/invite-link.js';
import {
  alipayPageUrl,
  alipaySchemeUrl,
  browserPage,
  h5PageUrl,
  clientOf,
  unconfiguredPage,
  unknownReceiptPage,
  unknownInvitePage,
  unknownStorePage,
  closedStorePage,
  wechatPage,
  wechatPageUrl,
  wechatSchemeUrl,
  type MiniProgramIds,
} from './store-link.js';

/** The mini-programs' app ids, from the same variables the login code uses; a missing one is a platform not offered. */
export function miniProgramIdsFromEnv(env: Record<string, string | undefined>): MiniProgramIds {
  return { wechatAppId: env.WECHAT_APPID?.trim() || null, alipayAppId: env.ALIPAY_APPID?.trim() || null };
}

const table_pattern = /^[A-Za-z0-9_-]{1,16}$/;
const receipt_token_pattern = /^[A-Za-z0-9_-]{22,64}$/;

/**
 * `/r/<token>`, the link in a receipt's QR: the receipt page in whichever
 * app opened it (the page itself checks the token with the API), or the H5
 * page on this host in any other browser.
 */
function receiptLink(c: import('hono').Context, ids: MiniProgramIds): Response | Promise<Response> {
  const token = c.req.param('token') ?? '';
  if (!receipt_token_pattern.test(token)) return c.html(unknownReceiptPage(), 404, { 'cache-control': 'no-store' });
  const query = `token=${token}`;
  const client = clientOf(c.req.header('user-agent'));
  if (client === 'alipay' && ids.alipayAppId) return c.redirect(alipayPageUrl(ids.alipayAppId, receipt_page, encodeURIComponent(query)), 302);
  if (client === 'wechat' && ids.wechatAppId) return c.html(wechatPage('电子小票', wechatPageUrl(ids.wechatAppId, receipt_page, encodeURIComponent(query)), '打开小程序查看小票'), 200, { 'cache-control': 'no-store' });
  return c.redirect(h5PageUrl(receipt_page, query), 302);
}

/**
 * `/j/<code>`, the link in an invitation's QR: the sign-in page with the code
 * filled in, in whichever app scanned it, or the H5 page in a browser. The
 * link does not say whether the code is still open; binding checks that, as
 * it does for a typed code, so the link is no way to probe codes.
 */
function inviteLink(c: import('hono').Context, ids: MiniProgramIds): Response | Promise<Response> {
  const code = inviteCodeOf(c.req.param('code') ?? '');
  if (!code) return c.html(unknownInvitePage(), 404, { 'cache-control': 'no-store' });
  const query = `invite=${code}`;
  const client = clientOf(c.req.header('user-agent'));
  if (client === 'alipay' && ids.alipayAppId) return c.redirect(alipayPageUrl(ids.alipayAppId, sign_in_page, encodeURIComponent(query)), 302);
  if (client === 'wechat' && ids.wechatAppId) return c.html(wechatPage('店员邀请', wechatPageUrl(ids.wechatAppId, sign_in_page, encodeURIComponent(query)), '打开小程序，绑定门店'), 200, { 'cache-control': 'no-store' });
  return c.redirect(h5PageUrl(sign_in_page, query), 302);
}

/**
 * `/q/<storeCode>[/<table>]`, outside the `/api` base path: the link printed
 * in each store's aggregated QR. WeChat gets a page that opens the
 * mini-program; Alipay is sent straight into its mini-program; any other
 * browser is told to scan with one of the two. The owner's list of these
 * links, an API route, is in admin.routes.ts.
 */
export function storeLinkApp(deps: Deps, ids: MiniProgramIds): Hono {
  const app = new Hono();
  const answer = async (c: import('hono').Context, rawCode: string, rawTable: string | undefined) => {
    const code = rawCode.toUpperCase();
    const table = rawTable && table_pattern.test(rawTable) ? rawTable : null;
    const html = (body: string, status: 200 | 404 = 200) => c.html(body, status, { 'cache-control': 'no-store' });
    // The shared API schemas bring zod with them; they are loaded by the first
    // link opened, since this app is built with the function on every cold start.
    const { storeCode: storeCodeSchema } = await import('../../shared/api/common.js');
    if (!storeCodeSchema.safeParse(code).success) return html(unknownStorePage(rawCode), 404);
    const store = await storeByCode(deps.db, code);
    if (!store) return html(unknownStorePage(code), 404);
    if (!store.active) return html(closedStorePage(store.name));
    const client = clientOf(c.req.header('user-agent'));
    if (client === 'alipay') {
      if (!ids.alipayAppId) return html(unconfiguredPage(store.name, '支付宝'));
      return c.redirect(alipaySchemeUrl(ids.alipayAppId, store.code, table), 302);
    }
    if (client === 'wechat') {
      if (!ids.wechatAppId) return html(unconfiguredPage(store.name, '微信'));
      return html(wechatPage(store.name, wechatSchemeUrl(ids.wechatAppId, store.code, table)));
    }
    return html(browserPage(store.name));
  };
  app.get('/q/:code', (c) => answer(c, c.req.param('code'), undefined));
  app.get('/q/:code/:table', (c) => answer(c, c.req.param('code'), c.req.param('table')));
  app.get(`${receipt_link_prefix}:token`, (c) => receiptLink(c, ids));
  app.get(`${invite_link_prefix}:code`, (c) => inviteLink(c, ids));
  return app;
}
