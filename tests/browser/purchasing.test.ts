import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEnv } from '../_support/requires';
import { signIn, startBrowserStack, type BrowserStack } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

describe.skipIf(!chromiumPath)('purchasing on the owner\'s phone in the H5 build', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  it('adds a supplier, orders 24 cans, receives 10, and sees the payable and the month\'s purchases', async () => {
    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_owner', '/pages/boss/index');
    await page.locator('#open-purchasing').click({ timeout: 30_000 });
    await page.locator('#purchasing-nav').waitFor({ timeout: 30_000 });

    await page.locator('#nav-suppliers').click();
    await page.locator('#supplier-form').waitFor();
    await page.locator('#supplier-name input').fill('广州饮料批发');
    await page.locator('#supplier-phone input').fill('020-12345678');
    await page.locator('#supplier-add').click();
    await page.locator('#supplier-list .supplier-row', { hasText: '广州饮料批发' }).waitFor();
    await b.screenshot(page, 'purchasing-suppliers');
    await page.goBack();

    await page.locator('#nav-new-order').click();
    await page.locator('#supplier-chips .chip', { hasText: '广州饮料批发' }).click({ timeout: 15_000 });
    await page.locator('#po-search input').fill('王老吉');
    await page.locator('#po-search-go').click();
    await page.locator('.found-sku', { hasText: '王老吉凉茶' }).first().click({ timeout: 15_000 });
    await page.locator('.draft-line .draft-qty input').fill('24');
    await page.locator('.draft-line .draft-cost input').fill('2.5');
    await b.screenshot(page, 'purchasing-new-order');
    await page.locator('#po-create').click();

    await page.waitForURL(/purchasing\/order\?id=pco_/, { timeout: 30_000 });
    await expect.poll(async () => (await page.locator('#po-status').innerText()).trim(), { timeout: 15_000 }).toBe('已下单');
    // Receiving more than ordered is refused on the phone before it is sent.
    await page.locator('.line-row .receive-qty input').fill('25');
    await page.locator('#receive-submit').click();
    await expect.poll(async () => (await page.locator('#receive-error').innerText()).trim()).toContain('未收 24');
    await page.locator('.line-row .receive-qty input').fill('10');
    await page.locator('#receive-submit').click();
    await expect.poll(async () => (await page.locator('#po-status').innerText()).trim(), { timeout: 15_000 }).toBe('部分收货');
    expect((await page.locator('.line-row .received-qty').innerText()).trim()).toBe('10');
    expect((await page.locator('#po-received-fen').innerText()).replace(/[^0-9.]/g, '')).toBe('25.00');
    await b.screenshot(page, 'purchasing-order-received');

    await page.goBack();
    await page.locator('.po-row', { hasText: '广州饮料批发' }).filter({ hasText: '部分收货' }).waitFor({ timeout: 15_000 });
    await b.screenshot(page, 'purchasing-orders');
    await page.locator('#nav-payables').click();
    const owed = page.locator('#aging-suppliers .payable-row', { hasText: '广州饮料批发' }).locator('.supplier-owed');
    await owed.waitFor({ timeout: 15_000 });
    expect((await owed.innerText()).replace(/[^0-9.]/g, '')).toBe('25.00');
    expect((await page.locator('#payables-total').innerText()).replace(/[^0-9.]/g, '')).toBe('25.00');
    await expect.poll(async () => (await page.locator('#purchases-total').innerText()).replace(/[^0-9.]/g, '')).toBe('25.00');
    await b.screenshot(page, 'purchasing-payables');

    // The supplier's statement for the month shows the receipt and what is owed.
    await page.locator('#aging-suppliers .payable-row', { hasText: '广州饮料批发' }).locator('.statement-open').click();
    await page.locator('#statement-rows .statement-row').first().waitFor({ timeout: 15_000 });
    expect((await page.locator('#statement-closing').innerText()).replace(/[^0-9.]/g, '')).toBe('25.00');
    await b.screenshot(page, 'purchasing-statement');
    await page.goBack();
    await page.goBack();
    await page.locator('#nav-reorder').click();
    await page.locator('#reorder-list').waitFor({ timeout: 15_000 });
    await b.screenshot(page, 'purchasing-reorder');
    await page.context().close();
  });
});
