import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireEnv } from '../_support/requires';
import { startBrowserStack, type BrowserStack } from '../_support/browser';
import { newId } from '../../shared/ids';
import { checkoutResponse, pricingContextResponse } from '../../shared/api/orders';
import { memberLookupResponse } from '../../shared/api/members';
import { productPage } from '../../shared/api/catalog';
import { levelBenefits, pricingLevelOf, priceOrder } from '../../shared/pricing/index';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

/** The demo counter member with a phone and no platform account (tools/seed/demo-people.ts). */
const counter_phone = '13800000004';

const yuanOf = (text: string) => Math.round(Number(text.replace(/[^0-9.]/g, '')) * 100);

/**
 * One member everywhere, seen by the shopper (#17): a new WeChat shopper and
 * the counter's member 赵六 have each bought something; the shopper binds 赵六's
 * phone in 会员中心, and sees the merged points, both orders and a receipt; 我的
 * shows the live points. Then the same shopper claims a coupon, tops up 100
 * and gets 120, pays a shop order with the coupon and stored value, and sees
 * the receipt, the points earned and the coupon used.
 */
describe.skipIf(!chromiumPath)('the member centre, in the H5 build', () => {
  let b: BrowserStack;
  let assistant: string;
  let owner: string;
  let page: Page;

  async function api(method: string, path: string, token: string | null, body?: unknown): Promise<any> {
    const res = await fetch(`${b.url}${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const json = (await res.json()) as unknown;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  /** A counter sale of one T-shirt to the member, paid by card, priced as the counter prices it. */
  async function sellTo(memberId: string): Promise<void> {
    const storeId = (await api('GET', '/api/me', assistant)).stores[0].id as string;
    const tee = productPage.parse(await api('GET', `/api/stores/${storeId}/products?q=cmyltx`, assistant)).items[0]!.skus[0]!;
    const member = memberLookupResponse.parse(await api('GET', `/api/members/lookup?memberId=${memberId}`, assistant)).member;
    const ctx = pricingContextResponse.parse(await api('GET', `/api/stores/${storeId}/pricing-context`, assistant));
    const level = pricingLevelOf(levelBenefits(ctx.memberLevels ?? [], member.level));
    const preview = priceOrder({
      lines: [{ skuId: tee.id, qty: 1, retailPriceFen: tee.retailPriceFen, ...(tee.memberPriceFen !== undefined ? { memberPriceFen: tee.memberPriceFen } : {}) }],
      member: { id: member.id, pointsBalance: member.points, ...(level ? { level } : {}) },
      bundles: ctx.bundles,
      thresholds: ctx.thresholds,
      cashRounding: 'none',
      cashTender: false,
    });
    checkoutResponse.parse(
      await api('POST', '/api/orders', assistant, { clientOrderId: newId('order'), storeId, memberId: member.id, lines: [{ skuId: tee.id, qty: 1 }], tenders: [{ method: 'card', amountFen: preview.totalFen, reference: `BR${Date.now()}` }], expectedTotalFen: preview.totalFen }),
    );
  }

  async function text(page: Page, selector: string): Promise<string> {
    return page.locator(selector).innerText({ timeout: 30_000 });
  }

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
    const apps = (await (await fetch(`${b.stack.sandboxUrl}/sandbox/apps`)).json()) as { wechat: { appId: string } };
    const code = ((await (await fetch(`${b.stack.sandboxUrl}/sandbox/codes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'wechat', appId: apps.wechat.appId, userId: 'o_demo_assistant_1' }) })).json()) as { code: string }).code;
    assistant = (await api('POST', '/api/auth/staff/login', null, { platform: 'wechat', code })).token as string;
    const ownerCode = ((await (await fetch(`${b.stack.sandboxUrl}/sandbox/codes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'wechat', appId: apps.wechat.appId, userId: 'o_demo_owner' }) })).json()) as { code: string }).code;
    owner = (await api('POST', '/api/auth/staff/login', null, { platform: 'wechat', code: ownerCode })).token as string;
    // What the owner offers: a coupon to claim in the shop (无门槛减5) and 充100送20.
    await api('POST', '/api/coupons/templates', owner, { name: '回头客券', kind: 'amount_off', minSpendFen: 0, offFen: 500, validity: { kind: 'days', days: 30 }, perMemberMax: 1, claimable: true, returnPolicy: 'full_return' });
    await api('POST', '/api/stored-value/plans', owner, { name: '充100送20', payFen: 10_000, bonusFen: 2_000 });
  });
  afterAll(async () => b?.stop());

  it("binds the phone the counter's member has, and sees the merged points and both orders", async () => {
    page = await b.browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, locale: 'zh-CN' }).then((c) => c.newPage());
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.addInitScript((phone) => {
      localStorage.setItem('guitai.sandbox.shopper', 'o_member_centre_new');
      localStorage.setItem('guitai.sandbox.phone', phone);
    }, counter_phone);
    await page.goto(`${b.url}/#/pages/shop/me/index`);
    await page.locator('#go-member-centre').waitFor({ timeout: 60_000 });
    const raw = await page.evaluate(() => localStorage.getItem('guitai.session.shopper') ?? '');
    const shopperId = /mbr_[0-9A-HJKMNP-TV-Z]{26}/.exec(raw)?.[0];
    expect(shopperId).toBeDefined();

    // Each has bought something before: the shopper (found at the counter by member code) and 赵六 (by phone).
    await sellTo(shopperId!);
    const zhao = memberLookupResponse.parse(await api('GET', `/api/members/lookup?phone=${counter_phone}`, assistant)).member;
    await sellTo(zhao.id);
    const zhaoPoints = memberLookupResponse.parse(await api('GET', `/api/members/lookup?phone=${counter_phone}`, assistant)).member.points;
    const mine = memberLookupResponse.parse(await api('GET', `/api/members/lookup?memberId=${shopperId}`, assistant)).member.points;
    expect(zhaoPoints).toBeGreaterThan(0);
    expect(mine).toBeGreaterThan(0);

    await page.locator('#go-member-centre').click();
    await page.locator('#bind-phone-button').waitFor({ timeout: 30_000 });
    expect(await text(page, '#member-centre-points')).toBe(String(mine));
    await page.locator('#member-code-qr').waitFor({ timeout: 15_000 });
    const shownCode = await page.locator('#member-code-qr').getAttribute('data-qr-text');
    expect(shownCode).toMatch(/^GM1:/);
    // The counter reads the QR the page shows.
    expect(memberLookupResponse.parse(await api('GET', `/api/members/lookup?code=${encodeURIComponent(shownCode!)}`, assistant)).member.id).toBe(shopperId);
    await b.screenshot(page, 'member-centre-1-before-binding');

    await page.locator('#bind-phone-button').click();
    await expect.poll(() => text(page, '#member-centre-points'), { timeout: 30_000 }).toBe(String(mine + zhaoPoints));
    expect(await page.locator('#bind-phone').count()).toBe(0);
    expect(await text(page, '#member-centre-card')).toContain('赵六');
    await b.screenshot(page, 'member-centre-2-merged');

    await page.locator('#go-orders').click();
    await expect.poll(() => page.locator('.member-order').count(), { timeout: 30_000 }).toBe(2);
    await b.screenshot(page, 'member-centre-3-orders');
    await page.locator('.member-order').first().click();
    await page.locator('#member-receipt').waitFor({ timeout: 30_000 });
    expect(await text(page, '#member-receipt')).toContain('赵六');
    await b.screenshot(page, 'member-centre-4-receipt');

    await page.goto(`${b.url}/#/pages/member/points`);
    await expect.poll(() => text(page, '#points-balance'), { timeout: 30_000 }).toBe(String(mine + zhaoPoints));
    expect(await text(page, '#points-ledger')).toContain('账号合并转入');
    await b.screenshot(page, 'member-centre-5-points');

    // A reservation made from the shop, under the session the binding handed back, shows under 我的预约.
    const session = await page.evaluate(() => localStorage.getItem('guitai.session.shopper') ?? '');
    const shopperToken = /\\?"token\\?":\\?"([A-Za-z0-9._-]+)/.exec(session)?.[1];
    expect(shopperToken).toBeDefined();
    const storeId = (await api('GET', '/api/me', assistant)).stores[0].id as string;
    const tee = productPage.parse(await api('GET', `/api/stores/${storeId}/products?q=cmyltx`, assistant)).items[0]!.skus[0]!;
    const tomorrow = new Date(Date.now() + 8 * 3600_000 + 24 * 3600_000).toISOString().slice(0, 10);
    await api('POST', '/api/shop/reservations', shopperToken!, { reservationId: newId('reservation'), storeId, pickupBy: tomorrow, lines: [{ skuId: tee.id, qty: 1 }] });
    await page.goto(`${b.url}/#/pages/member/reservations`);
    await expect.poll(() => text(page, '#member-reservations'), { timeout: 30_000 }).toContain('待取货');
    await b.screenshot(page, 'member-centre-6-reservations');

    // 我的 shows the live balance, not the sign-in's.
    await page.goto(`${b.url}/#/pages/shop/me/index`);
    await expect.poll(() => text(page, '#member-points'), { timeout: 30_000 }).toBe(String(mine + zhaoPoints));
    await b.screenshot(page, 'member-centre-7-me');
  });

  it('claims a coupon, tops up 100 and gets 120, pays in the shop with the coupon and stored value, and sees the receipt, points and used coupon', async () => {
    const pointsBefore = Number(await text(page, '#member-points'));

    await page.goto(`${b.url}/#/pages/member/coupon-center`);
    const offer = page.locator('[data-offer="回头客券"]');
    await offer.getByText('领取', { exact: true }).click({ timeout: 30_000 });
    await expect.poll(() => offer.innerText(), { timeout: 15_000 }).toContain('已领取');
    await b.screenshot(page, 'member-centre-8-coupon-claimed');

    await page.goto(`${b.url}/#/pages/member/stored-value`);
    await page.locator('[id^="sv-topup-"][id$="-wechat"]').first().click({ timeout: 30_000 });
    await page.locator('#sv-note', { hasText: '充值成功' }).waitFor({ timeout: 60_000 });
    expect((await text(page, '#sv-total')).trim()).toBe('¥120.00');
    await b.screenshot(page, 'member-centre-9-topped-up');

    // The cart: a 星冰乐 (¥12, one SKU), the coupon, and stored value for all of it.
    const storeId = (await api('GET', '/api/me', assistant)).stores[0].id as string;
    const coffee = productPage.parse(await api('GET', `/api/stores/${storeId}/products?q=${encodeURIComponent('星冰乐')}`, assistant)).items[0]!;
    await page.goto(`${b.url}/#/pages/shop/product/index?id=${coffee.id}&store=DEMO01`);
    await page.locator('#product-add').click({ timeout: 15_000 });
    await page.locator('#product-go-cart').click();
    await expect.poll(async () => (await page.locator('#cart-total').locator('..').innerText()).includes('应付'), { timeout: 15_000 }).toBe(true);
    const listed = yuanOf(await text(page, '#cart-total'));
    await page.locator('#cart-coupon').click();
    await page.locator('[data-coupon="回头客券"]').first().click({ timeout: 15_000 });
    await expect.poll(async () => yuanOf(await text(page, '#cart-total')), { timeout: 15_000 }).toBe(listed - 500);
    const totalFen = listed - 500;
    await page.locator('#cart-stored-value').click({ timeout: 15_000 });
    await page.locator('#pay-stored-value').waitFor({ timeout: 15_000 });
    expect(await text(page, '#cart-stored-value')).toContain('余额 ¥120.00');
    await b.screenshot(page, 'member-centre-10-cart');
    await page.locator('#pay-stored-value').click();

    await page.locator('#shop-order[data-status="paid"]').waitFor({ timeout: 30_000 });
    expect(await text(page, '#pickup-code')).toMatch(/^\d{6}$/);
    await b.screenshot(page, 'member-centre-11-paid');
    await page.locator('#shop-order-receipt').click();
    await page.locator('#public-receipt-pickup').waitFor({ timeout: 30_000 });
    const receipt = await page.locator('.page', { has: page.locator('#public-receipt-pickup') }).innerText();
    expect(receipt).toContain('储值');
    expect(receipt).toContain('回头客券');
    await b.screenshot(page, 'member-centre-12-receipt');

    // What is left on the card, the points the sale earned, and the coupon used.
    await page.goto(`${b.url}/#/pages/member/stored-value`);
    await expect.poll(async () => yuanOf(await text(page, '#sv-total')), { timeout: 30_000 }).toBe(12_000 - totalFen);
    expect(await text(page, '#sv-statement')).toContain('消费');
    await page.goto(`${b.url}/#/pages/member/points`);
    await expect.poll(async () => Number(await text(page, '#points-balance')), { timeout: 30_000 }).toBeGreaterThan(pointsBefore);
    await b.screenshot(page, 'member-centre-13-points');
    await page.goto(`${b.url}/#/pages/member/coupons`);
    await page.locator('#coupon-tab-used').click({ timeout: 30_000 });
    await page.locator('[data-coupon="回头客券"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-coupon="回头客券"]').innerText()).toContain('已使用');
    await b.screenshot(page, 'member-centre-14-coupon-used');
  });
});
