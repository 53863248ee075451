import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEnv } from '../_support/requires';
import { startBrowserStack, type BrowserStack } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

describe.skipIf(!chromiumPath)('the H5 build against the local API', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  it('shows the demo store and its products on the shop home', async () => {
    const page = await b.newPage();
    await page.goto(`${b.url}/#/pages/shop/home/index?store=DEMO01`);
    const name = page.locator('#store-name');
    await name.getByText('演示一号店（国贸）').waitFor({ timeout: 30_000 });
    await page.getByText('农夫山泉饮用天然水').first().waitFor();
    await b.screenshot(page, 'shop-home');
    await page.context().close();
  });

  it('signs in as the demo assistant through the sandbox and shows the counter with the store\'s products', async () => {
    const page = await b.newPage();
    await page.goto(`${b.url}/#/pages/counter/index`);
    await page.locator('#sandbox-user-o_demo_assistant_1').click({ timeout: 30_000 });
    await page.locator('#sign-in').click();
    const staff = page.locator('#counter-staff');
    await staff.waitFor({ timeout: 30_000 });
    expect(await staff.innerText()).toContain('店员小王');
    expect(await page.locator('#counter-store').innerText()).toContain('演示一号店');
    await page.locator('.product-item').first().waitFor();
    expect(await page.locator('.product-item').count()).toBeGreaterThan(5);
    await b.screenshot(page, 'counter');
    await page.context().close();
  });

  it('shows the owner today\'s takings, zero before the first sale', async () => {
    const page = await b.newPage();
    await page.goto(`${b.url}/#/pages/boss/index`);
    await page.locator('#sandbox-user-o_demo_owner').click({ timeout: 30_000 });
    await page.locator('#sign-in').click();
    const total = page.locator('#takings-total');
    await total.waitFor({ timeout: 30_000 });
    expect(await total.innerText()).toContain('0.00');
    await b.screenshot(page, 'boss');
    await page.context().close();
  });
});
