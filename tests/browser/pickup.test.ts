import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEnv } from '../_support/requires';
import { signIn, startBrowserStack, type BrowserStack } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

describe.skipIf(!chromiumPath)('self-service orders reach the counter (pickup codes)', () => {
  let b: BrowserStack;
  let code = '';
  let token = '';

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  it('a shopper at table A3 pays in the shop through the sandbox and sees the pickup code large and as a QR', async () => {
    const page = await b.newPage();
    await page.goto(`${b.url}/#/pages/shop/home/index?store=DEMO01&table=A3`);
    await page.locator('.product-link').first().click({ timeout: 30_000 });
    await page.locator('#product-add').click({ timeout: 15_000 });
    await page.locator('#product-go-cart').click();
    await page.locator('#cart-total').waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await page.locator('#cart-total').locator('..').innerText()).includes('应付'), { timeout: 15_000 }).toBe(true);
    await page.locator('#pay-wechat').click();
    await page.waitForURL(/shop\/order\/index\?orderId=/, { timeout: 30_000 });
    await page.locator('#shop-order[data-status="paid"]').waitFor({ timeout: 60_000 });
    await page.locator('#pickup-code').waitFor({ timeout: 15_000 });
    code = (await page.locator('#pickup-code').innerText()).trim();
    expect(code).toMatch(/^\d{6}$/);
    expect(await page.locator('#pickup-table').innerText()).toContain('A3');
    await page.locator('#pickup').scrollIntoViewIfNeeded();
    await b.screenshot(page, 'pickup-shop-code');
    await page.locator('#shop-order-receipt').click();
    await page.waitForURL(/pages\/receipt\/index\?token=/, { timeout: 15_000 });
    token = new URL(page.url().replace('/#/', '/')).searchParams.get('token') ?? '';
    await page.locator('#receipt').waitFor({ timeout: 15_000 });
    expect(await page.locator('#public-receipt-pickup').innerText()).toContain(code);
    // The pickup QR the counter scans is here, in a sub-package, not on the order page in the main package.
    expect(await page.locator('#pickup-qr').getAttribute('data-qr-text')).toBe(code);
    expect(await page.locator('#receipt').innerText()).toContain('取货码');
    await b.screenshot(page, 'pickup-public-receipt');
    await page.context().close();
  });

  it('the receipt QR link /r/<token> opens the receipt page in a browser', async () => {
    const page = await b.newPage();
    await page.goto(`${b.url}/r/${token}`);
    await page.locator('#receipt').waitFor({ timeout: 30_000 });
    // The preview draws the receipt's QR, carrying the link that opened the page, and prints no placeholder for it.
    expect(await page.locator('#receipt-qr').getAttribute('data-qr-text')).toBe(`${b.url}/r/${token}`);
    expect(await page.locator('#receipt').innerText()).not.toContain('[QR]');
    await page.goto(`${b.url}/#/pages/receipt/index?token=${'x'.repeat(22)}`);
    await page.locator('#public-receipt-error').waitFor({ timeout: 15_000 });
    await page.context().close();
  });

  it('the counter sees the waiting order with its badge, types the code and hands over; a second handover is refused', async () => {
    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_assistant_1', '/pages/counter/index');
    await page.locator('#counter-staff').filter({ hasText: '店员小王' }).waitFor({ timeout: 30_000 });
    await page.locator('#pickup-badge').filter({ hasText: '1' }).waitFor({ timeout: 30_000 });
    await b.screenshot(page, 'pickup-counter-badge');
    await page.locator('#pickup-link').click();
    const item = page.locator(`.pickup-item[data-code="${code}"]`);
    await item.waitFor({ timeout: 15_000 });
    expect(await item.innerText()).toContain('A3 桌');
    await b.screenshot(page, 'pickup-counter-list');
    await page.locator('#pickup-code-input input').fill(code);
    await page.locator('#handover').click();
    const done = page.locator('#handover-done');
    await done.waitFor({ timeout: 15_000 });
    expect(await done.innerText()).toContain(code);
    expect(await done.innerText()).toContain('下一步');
    await expect.poll(() => page.locator('.pickup-item').count()).toBe(0);
    expect(await page.locator('#pickup-count').innerText()).toBe('0');
    await b.screenshot(page, 'pickup-counter-handed-over');

    await page.locator('#pickup-code-input input').fill(code);
    await page.locator('#handover').click();
    await page.locator('#handover-error').filter({ hasText: '不能重复交货' }).waitFor({ timeout: 15_000 });
    await b.screenshot(page, 'pickup-counter-second-refused');
    await page.context().close();
  });
});
