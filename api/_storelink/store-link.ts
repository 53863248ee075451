/**
 * One printed QR per store (聚合码) that every payer's app can scan: the link
 * `https://<host>/q/<storeCode>` answers by the app that opened it.
 * Pure functions here; the Hono routes are in store-link.routes.ts and admin.routes.ts.
 */

export const shop_home_page = 'pages/shop/home/index';

export interface MiniProgramIds {
  wechatAppId: string | null;
  alipayAppId: string | null;
}

export type LinkClient = 'wechat' | 'alipay' | 'browser';

/** WeChat's in-app browser says MicroMessenger; Alipay's says AlipayClient. */
export function clientOf(userAgent: string | undefined): LinkClient {
  const ua = userAgent ?? '';
  if (/MicroMessenger/i.test(ua)) return 'wechat';
  if (/AlipayClient/i.test(ua)) return 'alipay';
  return 'browser';
}

export function storeLinkUrl(publicBaseUrl: string, storeCode: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/q/${storeCode}`;
}

/** The launch query the mini-program reads (`store=<code>`, see src/services/launch.ts), encoded once more as the schemes want. */
function launchQuery(storeCode: string, table: string | null): string {
  return encodeURIComponent(table ? `store=${storeCode}&table=${table}` : `store=${storeCode}`);
}

/** WeChat's plain-text URL Scheme that opens the mini-program at the shop home. */
export function wechatSchemeUrl(appId: string, storeCode: string, table: string | null = null): string {
  return wechatPageUrl(appId, shop_home_page, launchQuery(storeCode, table));
}

/** Alipay's scheme that starts the mini-program at the shop home. */
export function alipaySchemeUrl(appId: string, storeCode: string, table: string | null = null): string {
  return alipayPageUrl(appId, shop_home_page, launchQuery(storeCode, table));
}

/** WeChat's scheme for any page of the mini-program, with its query already encoded. */
export function wechatPageUrl(appId: string, pagePath: string, encodedQuery: string): string {
  return `weixin://dl/business/?appid=${encodeURIComponent(appId)}&path=${pagePath}&query=${encodedQuery}`;
}

export function alipayPageUrl(appId: string, pagePath: string, encodedQuery: string): string {
  return `alipays://platformapi/startapp?appId=${encodeURIComponent(appId)}&page=${pagePath}&query=${encodedQuery}`;
}

/** The H5 build's hash route of a page (config/index.ts: router mode `hash`), served from the same host. */
export function h5PageUrl(pagePath: string, query: string): string {
  return `/#/${pagePath}?${query}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;padding:48px 24px;text-align:center;color:#222;background:#f5f6f7}
h1{font-size:22px;margin:0 0 8px}p{color:#666;line-height:1.6;margin:8px 0}.btn{display:inline-block;margin-top:24px;padding:12px 32px;border-radius:24px;background:#07c160;color:#fff;text-decoration:none;font-size:17px}
.apps{margin-top:24px;font-size:17px}.apps b{color:#07c160}.apps i{color:#1677ff;font-style:normal;font-weight:bold}</style></head><body>${body}</body></html>`;
}

/** In WeChat: a button (and an automatic try) that opens the mini-program. */
export function wechatPage(storeName: string, href: string, action = '打开小程序下单付款'): string {
  const name = escapeHtml(storeName);
  return page(
    storeName,
    `<h1>${name}</h1><p>正在打开小程序…</p><a class="btn" id="open" href="${escapeHtml(href)}">${escapeHtml(action)}</a>
<p>如果没有自动打开，请点上面的按钮。</p><script>location.href=${JSON.stringify(href).replace(/</g, '\\u003c')};</script>`,
  );
}

/** Any other browser: this code is for the payers' apps. */
export function browserPage(storeName: string): string {
  const name = escapeHtml(storeName);
  return page(storeName, `<h1>${name}</h1><p>这是 ${name} 的收款码。</p><p class="apps">请用 <b>微信</b> 或 <i>支付宝</i> 的“扫一扫”扫描这个二维码，</p><p>在小程序里选购商品并付款。</p>`);
}

export function unknownStorePage(storeCode: string): string {
  return page('找不到门店', `<h1>找不到门店</h1><p>二维码里的门店编号 ${escapeHtml(storeCode)} 不存在或已停用，请向店员确认。</p>`);
}

export function closedStorePage(storeName: string): string {
  const name = escapeHtml(storeName);
  return page(storeName, `<h1>${name}</h1><p>本店已停业，暂不接受扫码下单。</p>`);
}

export function unknownReceiptPage(): string {
  return page('找不到小票', `<h1>找不到小票</h1><p>二维码里的小票链接不完整或已失效，请向店员确认。</p>`);
}

export function unknownInvitePage(): string {
  return page('邀请码不完整', `<h1>邀请码不完整</h1><p>二维码里的邀请链接不完整，请让店主重新生成邀请码。</p>`);
}

export function unconfiguredPage(storeName: string, app: string): string {
  const name = escapeHtml(storeName);
  return page(storeName, `<h1>${name}</h1><p>本店暂未开通${escapeHtml(app)}小程序，请换用另一个 App 扫码，或向店员付款。</p>`);
}
