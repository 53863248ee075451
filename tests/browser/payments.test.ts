import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireEnv } from '../_support/requires';
import { addProduct, type BrowserStack, openCart, signIn, startBrowserStack } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

/** The shopper opens the store, puts the first product in the cart and opens the cart. */
async function fillCart(page: Page, base: string) {
  await page.goto(`${base}/#/pages/shop/home/index?store=DEMO01`);
  await page.locator('.product-link').first().click({ timeout: 30_000 });
  await page.locator('#product-add').click({ timeout: 15_000 });
  await page.locator('#product-go-cart').click();
  await page.locator('#cart-total').waitFor({ timeout: 15_000 });
  // The cart's total is the engine's price for this shopper once it has been worked out.
  await expect.poll(async () => (await page.locator('#cart-total').locator('..').innerText()).includes('应付'), { timeout: 15_000 }).toBe(true);
}

async function shopperPays(b: BrowserStack, channel: 'wechat' | 'alipay') {
  const page = await b.newPage();
  await fillCart(page, b.url);
  const total = (await page.locator('#cart-total').innerText()).trim();
  await b.screenshot(page, `shop-cart-${channel}`);
  await page.locator(`#pay-${channel}`).click();
  await page.waitForURL(/shop\/order\/index\?orderId=/, { timeout: 30_000 });
  await page.locator('#shop-order[data-status="paid"]').waitFor({ timeout: 60_000 });
  expect(await page.locator('#shop-order-status').innerText()).toContain('支付成功');
  expect((await page.locator('#shop-order-total').innerText()).trim()).toBe(total);
  await b.screenshot(page, `shop-paid-${channel}`);
  await page.context().close();
}

describe.skipIf(!chromiumPath)('WeChat Pay and Alipay in the H5 build with the payment sandbox', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  it('a shopper pays an order through the sandbox\'s WeChat flow', async () => {
    await shopperPays(b, 'wechat');
  });

  it('a shopper pays an order through the sandbox\'s Alipay flow', async () => {
    await shopperPays(b, 'alipay');
  });

  let paidOrderId = '';

  it('an assistant takes a payment code that waits for the password, then succeeds; the wait is shown honestly', async () => {
    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_assistant_1', '/pages/counter/index');
    await page.locator('#counter-staff').filter({ hasText: '店员小王' }).waitFor({ timeout: 30_000 });
    await addProduct(page, '王老吉', '王老吉凉茶');
    await addProduct(page, '红牛', '红牛维生素功能饮料');
    await openCart(page);
    await expect.poll(() => page.locator('.cart-line').count()).toBe(2);
    await page.locator('#pay-platform').click();
    await page.waitForURL(/counter\/pay\?orderId=/, { timeout: 30_000 });
    await page.locator('#pay-total').filter({ hasText: '¥' }).waitFor();
    await b.screenshot(page, 'counter-pay-choose');

    await page.locator('#pay-by-code').click();
    await page.locator('#sandbox-code-wechat-userpaying').click({ timeout: 15_000 });
    await page.locator('#pay-status', { hasText: '顾客正在输入密码' }).waitFor({ timeout: 30_000 });
    await expect.poll(async () => page.locator('#pay-detail').innerText(), { timeout: 15_000 }).toMatch(/已等待 [1-9]\d* 秒 \/ 最多 45 秒/);
    await b.screenshot(page, 'counter-pay-waiting');
    // While the customer is entering the password no second attempt may start.
    expect(await page.locator('#pay-another').count()).toBe(0);

    await page.waitForURL(/counter\/receipt\?orderId=/, { timeout: 60_000 });
    paidOrderId = new URL(page.url().replace('/#/', '/')).searchParams.get('orderId') ?? '';
    const receipt = page.locator('#receipt');
    await receipt.waitFor();
    expect(await receipt.innerText()).toContain('王老吉凉茶');
    await b.screenshot(page, 'counter-pay-receipt');
    await page.context().close();
  });

  it('an insufficient-balance code says why, and 换一种方式 shows a WeChat QR the sandbox customer pays', async () => {
    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_assistant_1', '/pages/counter/index');
    await page.locator('#counter-staff').filter({ hasText: '店员小王' }).waitFor({ timeout: 30_000 });
    await addProduct(page, 'nfsq', '农夫山泉饮用天然水');
    await openCart(page);
    await page.locator('#pay-platform').click();
    await page.waitForURL(/counter\/pay\?orderId=/, { timeout: 30_000 });
    await page.locator('#pay-by-code').click();
    await page.locator('#sandbox-code-alipay-insufficient').click({ timeout: 15_000 });
    await page.locator('#pay-wait[data-status="failed"]').waitFor({ timeout: 30_000 });
    await b.screenshot(page, 'counter-pay-failed');
    await page.locator('#pay-another').click();
    await page.locator('#pay-by-qr-wechat').click();
    await page.locator('#pay-qr').waitFor({ timeout: 30_000 });
    await b.screenshot(page, 'counter-pay-qr');
    await page.locator('#sandbox-pay-qr').click();
    await page.waitForURL(/counter\/receipt\?orderId=/, { timeout: 60_000 });
    await page.context().close();
  });

  it('a return of the WeChat-paid order goes back to the customer\'s WeChat, and the counter shows it', async () => {
    expect(paidOrderId).toMatch(/^ord_/);
    const page = await b.newPage();
    // Sign-in only returns to a page without parameters; the return screen is opened from there.
    await signIn(page, b.url, 'o_demo_manager', '/pages/counter/index');
    await page.locator('#counter-staff').filter({ hasText: '店长' }).waitFor({ timeout: 30_000 });
    await page.goto(`${b.url}/#/pages/counter/return?orderId=${paidOrderId}`);
    await page.locator('#return-all').click({ timeout: 30_000 });
    await page.locator('.return-reason-chip').first().click();
    await page.locator('#return-submit').click();
    await page.locator('#return-result[data-status="completed"]').waitFor({ timeout: 30_000 });
    await page.locator('#platform-refunds .platform-refund[data-status="succeeded"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('#platform-refunds').innerText()).toContain('已退回顾客微信');
    await b.screenshot(page, 'counter-return-wechat-refund');
    await page.context().close();

    const boss = await b.newPage();
    await signIn(boss, b.url, 'o_demo_owner', '/pages/boss/index');
    await boss.locator('#open-payments').waitFor({ timeout: 30_000 });
    await boss.goto(`${b.url}/#/pages/boss/payments/trail?orderId=${paidOrderId}`);
    await boss.locator('#order-attempts .trail-item').first().click({ timeout: 30_000 });
    await boss.locator('#trail-payment[data-status="succeeded"]').waitFor({ timeout: 30_000 });
    expect(await boss.locator('#trail-refunds').innerText()).toContain('已退回');
    await b.screenshot(boss, 'boss-payment-trail');
    await boss.context().close();
  });

  it('the owner sees alerts, refunds needing attention, and each store\'s aggregated QR', async () => {
    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_owner', '/pages/boss/index');
    await page.locator('#open-payments').click({ timeout: 30_000 });
    await page.locator('#pay-alerts').waitFor();
    await page.locator('#refunds-attention').waitFor();
    await b.screenshot(page, 'boss-payments');
    await page.locator('#open-store-qr').click();
    await page.locator('#store-qr-DEMO01').waitFor({ timeout: 30_000 });
    expect(await page.locator('#store-qr-DEMO01').getAttribute('data-qr-text')).toMatch(/\/q\/DEMO01$/);
    await b.screenshot(page, 'boss-store-qr');
    await page.context().close();
  });

  it('the aggregated QR link answers each app and any other browser', async () => {
    const other = await fetch(`${b.url}/q/DEMO01`, { headers: { 'user-agent': 'Mozilla/5.0 Chrome/120' } });
    expect(other.status).toBe(200);
    expect(await other.text()).toContain('请用 <b>微信</b> 或 <i>支付宝</i>');
    const alipay = await fetch(`${b.url}/q/DEMO01`, { headers: { 'user-agent': 'Mozilla/5.0 AlipayClient/10.5.36' }, redirect: 'manual' });
    expect(alipay.status).toBe(302);
    expect(alipay.headers.get('location')).toMatch(/^alipays:\/\/platformapi\/startapp\?appId=.+&page=pages\/shop\/home\/index&query=store%3DDEMO01$/);
    const page = await b.newPage();
    await page.goto(`${b.url}/q/DEMO01`);
    await b.screenshot(page, 'store-link-browser');
    await page.context().close();
  });
});
