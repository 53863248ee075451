import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { requireEnv } from '../_support/requires';
import path from 'node:path';
import { addProduct, openCart, screenshotDir, signIn, startBrowserStack, type BrowserStack } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

/** The phone the issue was seen on: 375 × 812, held in one hand. */
const viewport = { width: 375, height: 812 };

const yuanOf = (text: string) => Number(text.replace(/[^0-9.]/g, ''));

/** Whether the element is drawn wholly inside the viewport as it is now, without scrolling to it. */
async function inView(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  return box !== null && box.y >= 0 && box.x >= 0 && box.y + box.height <= viewport.height && box.x + box.width <= viewport.width;
}

async function expectBar(page: Page, count: number) {
  await expect.poll(async () => (await page.locator('#bar-count').innerText()).trim(), { timeout: 10_000 }).toBe(String(count));
  expect(await inView(page.locator('#counter-bar'))).toBe(true);
  expect(await inView(page.locator('#bar-count'))).toBe(true);
  expect(await inView(page.locator('#bar-total'))).toBe(true);
  expect(await inView(page.locator('#bar-pay'))).toBe(true);
}

/**
 * Issue #14, the counter: a three-item member sale with an order discount
 * and cash at phone size, the bar always in view, then a return that ends on
 * next steps; offline, a pinyin search finds goods from the cached catalog.
 */
describe.skipIf(!chromiumPath)('the counter with one thumb at 375 × 812 in the H5 build', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  it('adds three items with feedback, discounts the order within the limit, takes cash and returns, each ending on a next step', async () => {
    const context = await b.browser.newContext({ viewport, deviceScaleFactor: 2, locale: 'zh-CN' });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await signIn(page, b.url, 'o_demo_assistant_1', '/pages/counter/index');
    await page.locator('#counter-staff').filter({ hasText: '店员小王' }).waitFor({ timeout: 30_000 });
    await page.locator('.product-item').first().waitFor({ timeout: 15_000 });
    await expectBar(page, 0);
    await b.screenshot(page, 'counter-one-hand-empty');

    const items: [string, string][] = [
      ['wlj', '王老吉凉茶'],
      ['红牛', '红牛维生素功能饮料'],
      ['nfsq', '农夫山泉饮用天然水'],
    ];
    let count = 0;
    for (const [search, name] of items) {
      await addProduct(page, search, name);
      count += 1;
      const flash = page.locator('#add-flash');
      await flash.waitFor({ timeout: 5_000 });
      expect(await flash.innerText()).toContain(name);
      await expectBar(page, count);
      expect(await inView(page.locator('#product-search'))).toBe(true);
    }
    await b.screenshot(page, 'counter-one-hand-added');
    // Scrolled down the results, the search stays at the top and the bar at the bottom.
    await page.mouse.move(180, 500);
    await page.mouse.wheel(0, 1500);
    await page.waitForTimeout(500);
    expect(await inView(page.locator('#product-search'))).toBe(true);
    await expectBar(page, count);
    await b.screenshot(page, 'counter-one-hand-scrolled');
    await page.mouse.wheel(0, -3000);
    // The feedback goes away by itself.
    await page.locator('#add-flash').waitFor({ state: 'detached', timeout: 5_000 });

    // The sheet: a quantity up, an order discount within the assistant's limit (10% of the order).
    await openCart(page);
    await expect.poll(() => page.locator('.cart-line').count()).toBe(3);
    const before = yuanOf(await page.locator('#bar-total').innerText());
    await page.locator('.cart-line').first().locator('.qty-plus').click();
    await expectBar(page, 4);
    const withFour = yuanOf(await page.locator('#bar-total').innerText());
    expect(withFour).toBeGreaterThan(before);

    const orderDiscount = page.locator('#order-discount');
    const giveOrderDiscount = async (percent: string) => {
      await page.locator('#order-discount-edit').click();
      await orderDiscount.locator('.discount-value input').fill(percent);
      await orderDiscount.locator('.discount-reason input').fill('老顾客');
      await orderDiscount.locator('.discount-apply').click();
      await expect.poll(async () => page.locator('#order-discount-value').innerText()).toContain(`减 ${percent}%`);
    };
    await giveOrderDiscount('20');
    await page.locator('#discount-approval').waitFor({ timeout: 15_000 });
    expect(await page.locator('#discount-approval').innerText()).toContain('整单最多减 10%');
    await giveOrderDiscount('5');
    await expect.poll(() => page.locator('#discount-approval').count(), { timeout: 10_000 }).toBe(0);
    const discounted = yuanOf(await page.locator('#bar-total').innerText());
    expect(discounted).toBeLessThan(withFour);
    // 5% of what is left after promotions, give or take 抹零.
    expect(discounted).toBeGreaterThan(withFour * 0.94);
    expect(yuanOf(await page.locator('#order-total').innerText())).toBe(discounted);
    await expectBar(page, 4);
    await b.screenshot(page, 'counter-one-hand-sheet');

    // 收款 on the bar brings the payment part into view; cash, and the result with its next steps.
    await page.locator('#bar-pay').click();
    await page.locator('.cash-note').last().click();
    await expect.poll(async () => (await page.locator('#change').innerText()).trim()).not.toBe('现金不足');
    await page.locator('#checkout').click();
    await page.waitForURL(/counter\/receipt\?orderId=/, { timeout: 30_000 });
    const result = page.locator('#sale-result');
    await result.locator('.result-title', { hasText: '收款成功' }).waitFor({ timeout: 30_000 });
    expect(yuanOf(await page.locator('#result-total').innerText())).toBe(discounted);
    // The screenshot waits for the page to finish sliding in; then the next steps must be in view as they are.
    await b.screenshot(page, 'counter-one-hand-result');
    for (const next of ['#continue', '#result-orders']) expect(await inView(page.locator(next))).toBe(true);

    // The preview: the real QR, no placeholder, the total as one word, the receipt number once, no raw order id.
    const receipt = page.locator('#receipt');
    const text = await receipt.innerText();
    expect(text).toContain('整单优惠·老顾客');
    expect(text).not.toContain('[QR]');
    expect(text).not.toContain('ORDER:');
    expect(text).not.toMatch(/ord_[0-9A-Z]{26}/);
    await page.locator('#receipt-qr').waitFor();
    const totalLine = (await receipt.locator('.receipt-line--double', { hasText: '合计' }).innerText()).trim();
    expect(totalLine).toMatch(/^合计\s+￥\d+\.\d\d$/);
    const receiptNo = /单号\s+(\S+)/.exec(text)?.[1] ?? '';
    expect(receiptNo).toMatch(/-\d{4}$/);
    expect(text.split(receiptNo).length - 1).toBe(1);
    await receipt.screenshot({ path: path.join(screenshotDir, 'counter-one-hand-receipt.png') });

    // A return from 今日订单: the ± buttons are not drawn disabled, and the result offers next steps.
    await page.locator('#result-orders').click();
    await page.locator('.order-item', { hasText: receiptNo }).locator('.order-return').click({ timeout: 30_000 });
    const line = page.locator('.return-line').first();
    await line.waitFor({ timeout: 30_000 });
    expect(await line.locator('.qty-plus').getAttribute('disabled')).toBeNull();
    expect(await line.locator('.qty-minus').getAttribute('disabled')).not.toBeNull();
    await line.locator('.qty-plus').click();
    expect(await line.locator('.qty-minus').getAttribute('disabled')).toBeNull();
    await page.locator('.return-reason-chip').first().click();
    expect(await page.locator('#return-submit').getAttribute('disabled')).toBeNull();
    await page.locator('#return-submit').click();
    await page.locator('#return-result').waitFor({ timeout: 30_000 });
    await b.screenshot(page, 'counter-one-hand-return-result');
    for (const next of ['#return-continue', '#return-view-order', '#return-orders']) expect(await inView(page.locator(next))).toBe(true);
    await page.locator('#return-continue').click();
    await page.locator('#counter-bar').waitFor({ timeout: 30_000 });
    await expectBar(page, 0);
    await context.close();
  });

  it('offline, finds 王老吉 by pinyin initials and full pinyin from the cached catalog, and says when nothing is found', async () => {
    const context = await b.browser.newContext({ viewport, deviceScaleFactor: 2, locale: 'zh-CN' });
    const page = await context.newPage();
    await signIn(page, b.url, 'o_demo_assistant_1', '/pages/counter/index');
    await page.locator('#counter-staff').filter({ hasText: '店员小王' }).waitFor({ timeout: 30_000 });
    // Searching online once puts the goods in this device's catalog.
    await page.locator('#product-search input').fill('王老吉');
    await page.locator('.product-item', { hasText: '王老吉凉茶' }).first().waitFor({ timeout: 15_000 });
    await page.locator('#product-search input').fill('');

    await context.setOffline(true);
    await page.locator('#network-status', { hasText: '离线' }).waitFor({ timeout: 15_000 });
    for (const q of ['wlj', 'wanglaoji']) {
      await page.locator('#product-search input').fill(q);
      await page.locator('.product-item', { hasText: '王老吉凉茶' }).first().waitFor({ timeout: 10_000 });
    }
    await page.locator('#product-search input').fill('zzz');
    await page.locator('#search-empty').waitFor({ timeout: 10_000 });
    expect(await page.locator('#search-empty').innerText()).toContain('找不到“zzz”');
    expect(await page.locator('.product-item').count()).toBe(0);
    await b.screenshot(page, 'counter-one-hand-offline-not-found');

    // 扫一扫 in the browser says why the camera is not there and offers the code to be typed.
    await page.locator('#scan').click();
    await page.locator('#scan-fallback').waitFor({ timeout: 5_000 });
    expect(await page.locator('#scan-fallback').innerText()).toContain('微信或支付宝');
    await context.close();
  });
});
