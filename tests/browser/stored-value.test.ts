import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireEnv } from '../_support/requires';
import { addProduct, type BrowserStack, openCart, signIn, startBrowserStack } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

const yuanOf = (text: string) => Number(text.replace(/[^0-9.]/g, ''));

/**
 * Stored value (储值, #17) end to end in the H5 build: the owner offers
 * 充100送20, the shopper (the sandbox's WeChat user 张三) tops up 100 in the
 * shop through the sandbox's payment and sees 120, then the counter finds 张三
 * by phone and bills a sale with 储值.
 */
describe.skipIf(!chromiumPath)('stored value: top up in the shop, pay at the counter', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  async function phonePage(): Promise<Page> {
    const page = await b.newPage();
    await page.setViewportSize({ width: 375, height: 812 });
    return page;
  }

  it('the owner offers 充100送20', async () => {
    const page = await phonePage();
    await signIn(page, b.url, 'o_demo_owner', '/pages/setup/stored-value');
    await page.locator('#sv-plan-name input').fill('充100送20', { timeout: 30_000 });
    await page.locator('#sv-plan-pay input').fill('100');
    await page.locator('#sv-plan-bonus input').fill('20');
    await page.locator('#sv-plan-save').click();
    await page.locator('#sv-plans', { hasText: '充100送20 · 充 ¥100.00 送 ¥20.00' }).waitFor({ timeout: 15_000 });
    await b.screenshot(page, 'stored-value-owner-plans');
    await page.context().close();
  });

  it('a member tops up 100 in the shop with WeChat Pay and gets 120', async () => {
    const page = await phonePage();
    await page.goto(`${b.url}/#/pages/shop/home/index?store=DEMO01`);
    await page.locator('.product-link').first().waitFor({ timeout: 30_000 });
    await page.goto(`${b.url}/#/pages/shop/me/index`);
    await page.locator('#go-stored-value').click({ timeout: 30_000 });
    await page.locator('#sv-total').filter({ hasText: '¥0.00' }).waitFor({ timeout: 30_000 });
    await b.screenshot(page, 'stored-value-shop-before');
    await page.locator('[id^="sv-topup-"][id$="-wechat"]').first().click();
    await page.locator('#sv-note', { hasText: '充值成功' }).waitFor({ timeout: 60_000 });
    expect((await page.locator('#sv-total').innerText()).trim()).toBe('¥120.00');
    expect((await page.locator('#sv-principal').innerText()).trim()).toBe('¥100.00');
    expect((await page.locator('#sv-bonus').innerText()).trim()).toBe('¥20.00');
    expect(await page.locator('#sv-statement').innerText()).toContain('充值');
    await b.screenshot(page, 'stored-value-shop-topped-up');
    await page.context().close();
  });

  it('the counter finds the member and bills a sale with 储值', async () => {
    const page = await phonePage();
    await signIn(page, b.url, 'o_demo_assistant_1', '/pages/counter/index');
    await page.locator('#counter-staff').filter({ hasText: '店员小王' }).waitFor({ timeout: 30_000 });
    await addProduct(page, '王老吉', '王老吉凉茶');
    await openCart(page);
    await page.locator('#member-phone input').fill('13800000001');
    await page.locator('#member-lookup').click();
    await page.locator('#member-card').filter({ hasText: '张三' }).waitFor({ timeout: 15_000 });
    await page.locator('#tender-stored_value', { hasText: '¥120.00' }).click({ timeout: 15_000 });
    const total = yuanOf(await page.locator('#order-total').innerText());
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(120);
    await page.locator('#checkout').scrollIntoViewIfNeeded();
    await b.screenshot(page, 'stored-value-counter-chosen');
    await page.locator('#checkout').click();
    await page.waitForURL(/counter\/receipt\?orderId=/, { timeout: 30_000 });
    const receipt = await page.locator('#receipt').innerText();
    expect(receipt).toContain('储值');
    expect(receipt).not.toContain('现金');
    await b.screenshot(page, 'stored-value-counter-receipt');

    // The shopper's statement shows the spend, and the balance is 120 less the sale.
    const shop = await phonePage();
    await shop.goto(`${b.url}/#/pages/shop/home/index?store=DEMO01`);
    await shop.locator('.product-link').first().waitFor({ timeout: 30_000 });
    await shop.goto(`${b.url}/#/pages/member/stored-value`);
    await expect.poll(async () => yuanOf(await shop.locator('#sv-total').innerText()), { timeout: 30_000 }).toBeCloseTo(120 - total, 2);
    expect(await shop.locator('#sv-statement').innerText()).toContain('消费');
    await b.screenshot(shop, 'stored-value-shop-after-spend');
  });
});
