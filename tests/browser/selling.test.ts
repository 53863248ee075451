import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEnv } from '../_support/requires';
import { addProduct, type BrowserStack, openCart, signIn, startBrowserStack } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

describe.skipIf(!chromiumPath)('billing at the counter in the H5 build', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  it('bills 3 items for a member in cash; the receipt and the owner\'s takings show the sale', async () => {
    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_assistant_1', '/pages/counter/index');
    await page.locator('#counter-staff').filter({ hasText: '店员小王' }).waitFor({ timeout: 30_000 });

    await addProduct(page, '王老吉', '王老吉凉茶');
    await addProduct(page, '红牛', '红牛维生素功能饮料');
    await addProduct(page, 'nfsq', '农夫山泉饮用天然水');
    await openCart(page);
    await expect.poll(() => page.locator('.cart-line').count()).toBe(3);

    await page.locator('#member-phone input').fill('13800000001');
    await page.locator('#member-lookup').click();
    await page.locator('#member-card').filter({ hasText: '张三' }).waitFor();
    const total = (await page.locator('#order-total').innerText()).trim();
    await b.screenshot(page, 'counter-cart');

    await page.locator('.cash-note').last().click();
    await expect.poll(async () => (await page.locator('#change').innerText()).trim()).not.toBe('');
    await page.locator('#checkout').click();
    await page.waitForURL(/receipt\?orderId=/, { timeout: 30_000 });
    const receipt = page.locator('#receipt');
    await receipt.waitFor();
    const text = await receipt.innerText();
    expect(text).toContain('王老吉凉茶');
    expect(text).toContain('张三');
    expect(text).toContain(total.replace(/[^0-9.]/g, ''));
    await b.screenshot(page, 'counter-receipt');
    await page.context().close();

    const boss = await b.newPage();
    await signIn(boss, b.url, 'o_demo_owner', '/pages/boss/index');
    const takings = boss.locator('#takings-total');
    await takings.waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await takings.innerText()).replace(/[^0-9.]/g, '')).toBe(total.replace(/[^0-9.]/g, ''));
    await boss.locator('#by-assistant .assistant-row', { hasText: '店员小王' }).waitFor();
    await boss.locator('#best-sellers .best-seller-row').first().waitFor();
    // The 14-day chart draws on its canvas after the data arrives.
    await boss.waitForTimeout(1500);
    await b.screenshot(boss, 'boss-after-sale');
    await boss.context().close();
  });
});
