import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireEnv } from '../_support/requires';
import { signIn, startBrowserStack, type BrowserStack } from '../_support/browser';
import { ean13 } from '../../shared/barcode';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');
/** The demo seed numbers its items from 1: this is the first product's first SKU. */
const first_barcode = ean13('698802100001');

async function confirmModal(page: Page) {
  await page.getByText('确定', { exact: true }).last().click({ timeout: 10_000 });
}

describe.skipIf(!chromiumPath)('stock operations in the boss area of the H5 build', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  it('ships and receives a transfer with a shortfall written off, then approves a stocktake with a variance', async () => {
    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_owner', '/pages/boss/index');
    await page.locator('#open-stock').click({ timeout: 30_000 });
    await page.locator('#stock-alerts .stock-store').first().waitFor({ timeout: 30_000 });
    await b.screenshot(page, 'stock-ops-home');

    // A minimum far above the shelf puts the SKU on the alert list with its reason.
    await page.locator('#open-stock-settings').click();
    await page.locator('#settings-barcode input').fill(first_barcode);
    await page.locator('#settings-find').click();
    await page.locator('#limit-min input').fill('999');
    await page.locator('#limits-save').click();
    await page.getByText('已保存').waitFor({ timeout: 15_000 });
    await b.screenshot(page, 'stock-settings');
    await page.goto(`${b.url}/#/pages/boss/stock/index`);
    await expect.poll(() => page.locator('#stock-alerts .alert-below_min').first().textContent(), { timeout: 30_000 }).toMatch(/低于下限 999/);
    await b.screenshot(page, 'stock-alerts-below-min');

    // A transfer from the first store to the second, one line of 3.
    await page.locator('#new-transfer').click();
    await page.locator('#transfer-barcode input').fill(first_barcode);
    await page.locator('#transfer-add').click();
    const qty = page.locator('.line-qty input').first();
    await qty.waitFor({ timeout: 15_000 });
    await qty.fill('3');
    await page.locator('#transfer-submit').click();
    await expect.poll(() => page.locator('#transfer-status').textContent(), { timeout: 20_000 }).toBe('待发货');
    await page.locator('#transfer-act').click();
    await expect.poll(() => page.locator('#transfer-status').textContent(), { timeout: 20_000 }).toBe('在途');
    expect(await page.locator('#transfer-in-transit').textContent()).toContain('在途 3 件');
    await b.screenshot(page, 'stock-transfer-shipped');

    // Two of the three arrive; the missing one is written off.
    await page.locator('.line-qty input').first().fill('2');
    await page.locator('#transfer-act').click();
    await expect.poll(() => page.locator('#transfer-status').textContent(), { timeout: 20_000 }).toBe('短少待核销');
    expect(await page.locator('#transfer-variance').textContent()).toContain('短少 1 件');
    await b.screenshot(page, 'stock-transfer-received-short');
    await page.locator('#write-off-note input').fill('运输破损');
    await page.locator('#transfer-act').click();
    await expect.poll(() => page.locator('#transfer-status').textContent(), { timeout: 20_000 }).toBe('已核销');
    expect(await page.locator('#transfer-in-transit').textContent()).toContain('在途 0 件');
    await b.screenshot(page, 'stock-transfer-written-off');

    // A full count of the first store: two of the SKU are found, far fewer than the book says.
    await page.goto(`${b.url}/#/pages/boss/stock/index`);
    await page.locator('.start-count').first().click({ timeout: 30_000 });
    await page.locator('#count-barcode input').waitFor({ timeout: 30_000 });
    for (let i = 0; i < 2; i++) {
      await page.locator('#count-barcode input').fill(first_barcode);
      await page.locator('#count-add').click();
      await expect.poll(() => page.locator('.count-row').first().getAttribute('data-sku-id'), { timeout: 15_000 }).not.toBeNull();
    }
    await expect.poll(() => page.locator('.count-row').first().textContent(), { timeout: 15_000 }).toMatch(/ \/ 2 \/ -\d+/);
    const variance = Number(await page.locator('.count-row').first().getAttribute('data-variance'));
    expect(variance).toBeLessThan(0);
    await b.screenshot(page, 'stocktake-review');
    await page.locator('#approve-skip').click();
    await confirmModal(page);
    await expect.poll(() => page.locator('#stocktake-head').getAttribute('data-status'), { timeout: 20_000 }).toBe('approved');
    expect(await page.locator('#stocktake-summary').textContent()).toMatch(/盘亏 ¥[1-9]/);
    await b.screenshot(page, 'stocktake-approved');

    // The boss home shows the stock entry with its alert counts.
    await page.goto(`${b.url}/#/pages/boss/index`);
    await expect.poll(() => page.locator('#stock-alert-counts').textContent(), { timeout: 30_000 }).toContain('低于下限 1');
    await b.screenshot(page, 'boss-home-stock-entry');
    await page.context().close();
  });
});
