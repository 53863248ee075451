import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { inviteResponse, staffSession } from '../../shared/api/identity';
import { openInvitesResponse } from '../../shared/api/staff-admin';
import { inviteFromLaunch, inviteLinkUrl, sign_in_page } from '../../shared/staff/invite-link';
import { alipayPageUrl, escapeHtml, wechatPageUrl } from '../../api/_storelink/store-link';
import { storeLinkApp } from '../../api/_storelink/store-link.routes';

const wechatUa = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47 NetType/WIFI Language/zh_CN';
const alipayUa = 'Mozilla/5.0 (Linux; U; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/69.0 Nebula AlipayClient/10.5.36.8000 Language/zh-Hans';
const chromeUa = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';

describe('the invitation code a sign-in page is opened with', () => {
  const link = inviteLinkUrl('https://shop.example.com/', 'AB23CD45');

  it('builds the /j/ link on the public host', () => expect(link).toBe('https://shop.example.com/j/AB23CD45'));

  it('reads `invite` (the link page, H5), WeChat\'s `q` and Alipay\'s `qrCode`', () => {
    expect(inviteFromLaunch({ invite: 'ab23cd45' })).toBe('AB23CD45');
    expect(inviteFromLaunch({ q: encodeURIComponent(link) })).toBe('AB23CD45');
    expect(inviteFromLaunch({ q: encodeURIComponent(encodeURIComponent(link)) })).toBe('AB23CD45');
    expect(inviteFromLaunch({ qrCode: `${link}?from=poster` })).toBe('AB23CD45');
  });

  it('finds nothing in a store link, a short code or a page opened without one', () => {
    expect(inviteFromLaunch({ q: encodeURIComponent('https://shop.example.com/q/DEMO01') })).toBeNull();
    expect(inviteFromLaunch({ invite: 'AB23' })).toBeNull();
    expect(inviteFromLaunch({ qrCode: 'https://shop.example.com/j/AB23CD45XY' })).toBeNull();
    expect(inviteFromLaunch({ invite: '<script>' })).toBeNull();
    expect(inviteFromLaunch({})).toBeNull();
  });
});

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`an invitation's QR on ${target.name}`, () => {
    let api: TestApi;
    let links: ReturnType<typeof storeLinkApp>;

    beforeAll(async () => {
      api = await startTestApi(target);
      links = storeLinkApp(api.deps, { wechatAppId: api.keys.wechat.appId, alipayAppId: api.keys.alipay.appId });
    });
    afterAll(async () => api?.stop());

    const get = (path: string, ua: string) => links.request(path, { headers: { 'user-agent': ua } });

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
  });
}
