import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { alipayPageUrl, alipaySchemeUrl, clientOf, escapeHtml, storeLinkUrl, wechatPageUrl, wechatSchemeUrl } from '../../api/_storelink/store-link';
import { receipt_page } from '../../shared/receipt/link';
import { miniProgramIdsFromEnv, storeLinkApp } from '../../api/_storelink/store-link.routes';
import { storeLinksResponse } from '../../shared/api/store-links';
import { storeCodeFromLaunch, tableFromLaunch } from '../../src/services/launch';
import { inviteResponse, staffSession } from '../../shared/api/identity';
import { openInvitesResponse } from '../../shared/api/staff-admin';
import { inviteFromLaunch, sign_in_page } from '../../shared/staff/invite-link';
import { invite_valid_days_default, invite_valid_days_max } from '../../shared/api/limits';

const wechatUa = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';
const alipayUa = 'Mozilla/5.0 (Linux; U; Android 13; zh-CN; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/69.0.3497.100 UWS/3.22.2.9999 UCBS/3.22.2.9999 Mobile Safari/537.36 NebulaSDK/1.8.100112 Nebula AlipayDefined(nt:WIFI,ws:360|0|3.0) AliApp(AP/10.5.36.8000) AlipayClient/10.5.36.8000 Language/zh-Hans';
const chromeUa = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';

describe('the aggregated QR link', () => {
  it.each([
    [wechatUa, 'wechat'],
    [alipayUa, 'alipay'],
    [chromeUa, 'browser'],
    [undefined, 'browser'],
  ] as const)('%s is %s', (ua, client) => expect(clientOf(ua)).toBe(client));

  it('builds the schemes with the store in the launch query the mini-program reads', () => {
    expect(wechatSchemeUrl('wx1234567890abcdef', 'DEMO01')).toBe('weixin://dl/business/?appid=wx1234567890abcdef&path=pages/shop/home/index&query=store%3DDEMO01');
    expect(alipaySchemeUrl('2021000000000001', 'DEMO01')).toBe('alipays://platformapi/startapp?appId=2021000000000001&page=pages/shop/home/index&query=store%3DDEMO01');
    expect(alipaySchemeUrl('2021000000000001', 'DEMO01', 'A3')).toBe('alipays://platformapi/startapp?appId=2021000000000001&page=pages/shop/home/index&query=store%3DDEMO01%26table%3DA3');
    // What the mini-program then sees: `store` from the scheme; `q` (WeChat) or `qrCode` (Alipay) when opened by scanning the link itself.
    expect(storeCodeFromLaunch(Object.fromEntries(new URLSearchParams(decodeURIComponent('store%3DDEMO01'))))).toBe('DEMO01');
    const link = storeLinkUrl('https://shop.example.com/', 'DEMO01');
    expect(link).toBe('https://shop.example.com/q/DEMO01');
    expect(storeCodeFromLaunch({ q: encodeURIComponent(link) })).toBe('DEMO01');
    expect(storeCodeFromLaunch({ qrCode: `${link}/A3` })).toBe('DEMO01');
    expect(tableFromLaunch({ qrCode: `${link}/A3` })).toBe('A3');
    // The scheme the link page opens the mini-program with passes the table as its own parameter.
    expect(tableFromLaunch(Object.fromEntries(new URLSearchParams('store=DEMO01&table=B12')))).toBe('B12');
    expect(tableFromLaunch({ table: '桌 3' })).toBeNull();
  });

  it('escapes a store name', () => {
    expect(escapeHtml(`<b>"张记" & 'Li'</b>`)).toBe('&lt;b&gt;&quot;张记&quot; &amp; &#39;Li&#39;&lt;/b&gt;');
  });

  it('takes the app ids from the environment; a missing one offers no link for that app', () => {
    expect(miniProgramIdsFromEnv({ WECHAT_APPID: ' wx1 ', ALIPAY_APPID: '' })).toEqual({ wechatAppId: 'wx1', alipayAppId: null });
  });
});

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`/q/<store> and the owner's store links on ${target.name}`, () => {
    let api: TestApi;
    let links: ReturnType<typeof storeLinkApp>;

    beforeAll(async () => {
      api = await startTestApi(target);
      links = storeLinkApp(api.deps, { wechatAppId: api.keys.wechat.appId, alipayAppId: api.keys.alipay.appId });
    });
    afterAll(async () => api?.stop());

    const get = (path: string, ua: string | undefined) => links.request(path, { headers: ua ? { 'user-agent': ua } : {} });

    it('sends Alipay straight into the mini-program', async () => {
      const res = await get('/q/DEMO01', alipayUa);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(alipaySchemeUrl(api.keys.alipay.appId, 'DEMO01'));
    });

    it('gives WeChat a page that opens the mini-program, with the store name', async () => {
      const res = await get('/q/demo01', wechatUa);
      expect(res.status).toBe(200);
      const html = await res.text();
      const scheme = wechatSchemeUrl(api.keys.wechat.appId, 'DEMO01');
      expect(html).toContain(`href="${escapeHtml(scheme)}"`);
      expect(html).toContain('打开小程序');
      const store = await api.deps.db.selectFrom('stores').select('name').where('code', '=', 'DEMO01').executeTakeFirstOrThrow();
      expect(html).toContain(escapeHtml(store.name));
    });

    it('tells any other browser, in Chinese, to scan with WeChat or Alipay', async () => {
      for (const ua of [chromeUa, undefined]) {
        const res = await get('/q/DEMO01', ua);
        expect(res.status).toBe(200);
        const html = await res.text();
        expect(html).toContain('微信');
        expect(html).toContain('支付宝');
        expect(html).toContain('扫一扫');
      }
    });

    it('keeps a table number and refuses unknown or malformed stores with 404', async () => {
      expect((await get('/q/DEMO01/A3', alipayUa)).headers.get('location')).toBe(alipaySchemeUrl(api.keys.alipay.appId, 'DEMO01', 'A3'));
      for (const path of ['/q/NOSUCH99', '/q/x', '/q/%3Cscript%3E']) {
        const res = await get(path, wechatUa);
        expect(res.status, path).toBe(404);
        const html = await res.text();
        expect(html).toContain('找不到门店');
        expect(html).not.toContain('<script>');
      }
    });

    it('tells a shopper at a closed store that it has closed, and opens no app', async () => {
      const db = api.deps.db;
      const target = await db.selectFrom('stores').select(['id', 'code']).where('code', '=', 'DEMO01').executeTakeFirstOrThrow();
      await db.updateTable('stores').set({ active: false }).where('id', '=', target.id).execute();
      try {
        for (const ua of [alipayUa, wechatUa]) {
          const res = await get(`/q/${target.code}`, ua);
          expect(res.status).toBe(200);
          expect(res.headers.get('location')).toBeNull();
          expect(await res.text()).toContain('已停业');
        }
      } finally {
        await db.updateTable('stores').set({ active: true }).where('id', '=', target.id).execute();
      }
    });

    it('opens a receipt link in the app that scanned it, or the H5 receipt page, and refuses a malformed token', async () => {
      const token = 'AbCdEfGhIjKlMnOpQrStUv';
      const query = encodeURIComponent(`token=${token}`);
      expect((await get(`/r/${token}`, alipayUa)).headers.get('location')).toBe(alipayPageUrl(api.keys.alipay.appId, receipt_page, query));
      const wechat = await (await get(`/r/${token}`, wechatUa)).text();
      expect(wechat).toContain(`href="${escapeHtml(wechatPageUrl(api.keys.wechat.appId, receipt_page, query))}"`);
      const browser = await get(`/r/${token}`, chromeUa);
      expect(browser.status).toBe(302);
      expect(browser.headers.get('location')).toBe(`/#/${receipt_page}?token=${token}`);
      const bad = await get('/r/%3Cscript%3E', chromeUa);
      expect(bad.status).toBe(404);
      expect(await bad.text()).toContain('找不到小票');
    });

    it('carries a /j/ link that opens the sign-in page with the code in each app, and binds whoever scans it', async () => {
      const owner = await api.staffToken('o_demo_owner');
      const made = await api.call('POST', '/api/staff/invites', { token: owner, body: { name: '扫码店员', role: 'assistant', storeIds: [api.seed.storeIds.DEMO01!] } });
      expect(made.status).toBe(201);
      const invite = inviteResponse.parse(made.body);
      expect(invite.url).toBe(`${api.deps.config.publicBaseUrl}/j/${invite.code}`);
      // The owner's list of open invitations gives the same link, to show the QR again.
      const open = openInvitesResponse.parse((await api.call('GET', '/api/staff/invites', { token: owner })).body);
      expect(open.items.find((i) => i.code === invite.code)?.url).toBe(invite.url);

      const path = new URL(invite.url).pathname;
      const query = encodeURIComponent(`invite=${invite.code}`);
      const alipay = await get(path, alipayUa);
      expect(alipay.status).toBe(302);
      expect(alipay.headers.get('location')).toBe(alipayPageUrl(api.keys.alipay.appId, sign_in_page, query));
      const wechat = await get(path, wechatUa);
      expect(wechat.status).toBe(200);
      expect(await wechat.text()).toContain(`href="${escapeHtml(wechatPageUrl(api.keys.wechat.appId, sign_in_page, query))}"`);
      const browser = await get(path, chromeUa);
      expect(browser.status).toBe(302);
      expect(browser.headers.get('location')).toBe(`/#/${sign_in_page}?invite=${invite.code}`);

      // WeChat hands the scanned link to the page as `q`; the code in it binds a new person as the invited assistant.
      const code = inviteFromLaunch({ q: encodeURIComponent(invite.url) });
      expect(code).toBe(invite.code);
      const bound = await api.call('POST', '/api/auth/staff/bind', { body: { platform: 'wechat', code: await api.loginCode('wechat', 'o_scanned_invite_qr'), inviteCode: code } });
      expect(bound.status).toBe(200);
      expect(staffSession.parse(bound.body).staff).toMatchObject({ name: '扫码店员', role: 'assistant' });
    });

    it('refuses a malformed code with a page that says so, and opens no app', async () => {
      for (const ua of [wechatUa, alipayUa, chromeUa]) {
        const bad = await get('/j/%3Cscript%3E', ua);
        expect(bad.status).toBe(404);
        expect(await bad.text()).toContain('邀请链接不完整');
      }
      expect((await get('/j/AB23', chromeUa)).status).toBe(404);
    });

    it('keeps an invitation open for the days the owner picks, a week by default, at most invite_valid_days_max', async () => {
      const owner = await api.staffToken('o_demo_owner');
      const make = (extra: Record<string, unknown>) => api.call('POST', '/api/staff/invites', { token: owner, body: { name: '短期工', role: 'assistant', storeIds: [api.seed.storeIds.DEMO01!], ...extra } });
      const now = Date.parse('2026-12-06T12:00:00Z');
      api.setNow(new Date(now));
      const day = 24 * 3600 * 1000;
      expect(Date.parse(inviteResponse.parse((await make({ validDays: 1 })).body).expiresAt) - now).toBe(day);
      expect(Date.parse(inviteResponse.parse((await make({})).body).expiresAt) - now).toBe(invite_valid_days_default * day);
      const tooLong = await make({ validDays: invite_valid_days_max + 1 });
      expect(tooLong.status).toBe(400);
      expect(JSON.stringify(tooLong.body)).toContain('invite_valid_days_max');
      api.setNow(null);
    });

    it('lists every store\'s link to the owner only', async () => {
      const owner = await api.staffToken('o_demo_owner');
      const res = await api.call('GET', '/api/store-links', { token: owner });
      expect(res.status).toBe(200);
      const { items } = storeLinksResponse.parse(res.body);
      expect(items.map((i) => i.code)).toEqual(['DEMO01', 'DEMO02']);
      expect(items[0]!.url).toBe(`${api.deps.config.publicBaseUrl}/q/DEMO01`);
      const manager = await api.staffToken('o_demo_manager');
      expect((await api.call('GET', '/api/store-links', { token: manager })).status).toBe(403);
      expect((await api.call('GET', '/api/store-links')).status).toBe(401);
    });
  });
}
