import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireEnv } from '../_support/requires';
import { addProduct, type BrowserStack, openCart, signIn, startBrowserStack } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

const fenOf = (text: string) => Math.round(Number(text.replace(/[^0-9.-]/g, '')) * 100);

/** A fresh billing screen, as after the receipt's 继续开单 (the H5 router keeps earlier pages hidden in the DOM). */
async function backToCounter(page: Page, base: string) {
  await page.goto(`${base}/#/pages/counter/index`);
  await page.reload();
  await page.locator('#shift-banner', { hasText: '本班' }).waitFor({ timeout: 30_000 });
}

/**
 * A drawer's day at the counter, as the people do it: the assistant opens a
 * shift with a float, sells in cash, by card and by WeChat, pays out petty
 * cash, counts the drawer two yuan short; the manager sees the shortfall,
 * confirms it and closes the day, and the books carry it.
 */
describe.skipIf(!chromiumPath)('shift and day close in the H5 build', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  it('opens, sells in three tenders, pays out, counts short; the manager confirms, closes the day and the journal shows the shortfall', async () => {
    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_assistant_1', '/pages/counter/shift');
    await page.locator('#open-shift').waitFor({ timeout: 30_000 });
    await page.locator('#opening-float input').fill('500');
    await page.locator('#open-shift-button').click();
    await page.locator('#shift-summary').waitFor({ timeout: 15_000 });
    expect(fenOf(await page.locator('#shift-expected').innerText())).toBe(50_000);

    // Cash, with change.
    await backToCounter(page, b.url);
    await addProduct(page, '王老吉', '王老吉凉茶');
    await openCart(page);
    await page.locator('.cash-note').last().click();
    await page.locator('#checkout').click();
    await page.waitForURL(/receipt\?orderId=/, { timeout: 30_000 });

    // Card, with the terminal's reference.
    await backToCounter(page, b.url);
    await addProduct(page, '红牛', '红牛维生素功能饮料');
    await payByCard(page, 'POS778899');
    await page.waitForURL(/receipt\?orderId=/, { timeout: 30_000 });

    // WeChat, by the customer's payment code.
    await backToCounter(page, b.url);
    await addProduct(page, 'nfsq', '农夫山泉饮用天然水');
    await openCart(page);
    await page.locator('#pay-platform').click();
    await page.waitForURL(/counter\/pay\?orderId=/, { timeout: 30_000 });
    await page.locator('#pay-by-code').click();
    await page.locator('#sandbox-code-wechat-success').click({ timeout: 15_000 });
    await page.waitForURL(/counter\/receipt\?orderId=/, { timeout: 60_000 });

    // Petty cash out, then count.
    await page.goto(`${b.url}/#/pages/counter/shift`);
    await page.reload();
    await page.locator('#shift-summary').waitFor({ timeout: 30_000 });
    await page.locator('#cash-moves .chip[data-kind="petty_cash"]').click();
    await page.locator('#move-amount input').fill('12.5');
    await page.locator('#move-reason input').fill('买垃圾袋');
    await page.locator('#move-submit').click();
    await page.locator('.cash-move', { hasText: '买垃圾袋' }).waitFor({ timeout: 15_000 });
    const expected = fenOf(await page.locator('#shift-expected').innerText());
    expect(expected).toBeLessThan(50_000 + 100_000);
    await b.screenshot(page, 'shift-open');

    const counted = expected - 200;
    const hundreds = Math.floor(counted / 10_000);
    const ones = Math.floor((counted % 10_000) / 100);
    const jiao = (counted % 100) / 10;
    await page.locator('.count-input[data-denomination="10000"] input').fill(String(hundreds));
    await page.locator('.count-input[data-denomination="100"] input').fill(String(ones));
    if (jiao > 0) await page.locator('.count-input[data-denomination="10"] input').fill(String(jiao));
    await expect.poll(async () => (await page.locator('#count-variance').innerText()).trim()).toBe('短款 ¥2.00');
    await page.locator('#close-note input').fill('找错零钱');
    await b.screenshot(page, 'shift-count');
    await page.locator('#close-shift').click();
    await page.locator('#closed-variance', { hasText: '短款 ¥2.00' }).waitFor({ timeout: 15_000 });
    await b.screenshot(page, 'shift-closed');
    await page.context().close();

    const manager = await b.newPage();
    await signIn(manager, b.url, 'o_demo_manager', '/pages/boss/shifts/index');
    const card = manager.locator('.shift-card', { hasText: '店员小王' });
    await card.waitFor({ timeout: 30_000 });
    expect(await card.innerText()).toContain('短款 ¥2.00');
    expect(await manager.locator('#day-variance').innerText()).toContain('短款 ¥2.00');
    expect(await manager.locator('#day-summary').innerText()).toContain('银行卡');
    await card.locator('.confirm-shift').click();
    await card.filter({ hasText: '已确认' }).waitFor({ timeout: 15_000 });
    await manager.locator('#close-day').click();
    await manager.locator('#day-closed').waitFor({ timeout: 15_000 });
    await manager.locator('#show-slip').click();
    await manager.locator('#day-slip', { hasText: '日结交接单' }).waitFor({ timeout: 15_000 });
    expect(await manager.locator('#day-slip').innerText()).toContain('短款 ￥2.00');
    await b.screenshot(manager, 'shift-day-close');

    await manager.goto(`${b.url}/#/pages/boss/ledger/index`);
    const row = manager.locator('#trial-balance .tb-row', { hasText: '现金长短款' });
    await row.waitFor({ timeout: 30_000 });
    expect(await row.innerText()).toContain('2.00');
    await manager.context().close();
  });
});

/** The counter's card tender: the amount due charged to a bank card, with the POS terminal's reference. */
async function payByCard(page: Page, reference: string) {
  await openCart(page);
  await page.locator('#tender-card').click();
  await page.locator('#tender-reference input').fill(reference);
  await page.locator('#checkout').click();
}
