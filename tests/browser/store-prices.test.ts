import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEnv } from '../_support/requires';
import { addProduct, signIn, startBrowserStack, type BrowserStack, openCart } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

/**
 * The owner prices 农夫山泉 at ¥9.99 in DEMO01 on 门店价格 (a member price
 * above it is refused next to its field first); the DEMO01 counter then
 * shows and charges ¥9.99.
 */
describe.skipIf(!chromiumPath)('a store price set on the H5 page is what the counter charges', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  it('sets the price, refuses a member price above it, and the counter bills at it', async () => {
    const owner = await b.newPage();
    await signIn(owner, b.url, 'o_demo_owner', '/pages/setup/store-prices');
    await owner.locator('#price-store-DEMO01').click({ timeout: 30_000 });
    await owner.locator('#price-overrides').filter({ hasText: '本店全部按总部价销售' }).waitFor({ timeout: 15_000 });
    await owner.locator('#price-search input').fill('nfsq');
    await owner.locator('#price-search-go').click();
    await owner.locator('.s-row', { hasText: '农夫山泉' }).first().click({ timeout: 15_000 });
    await owner.locator('#price-retail input').fill('9.99');
    await owner.locator('#price-member input').fill('10.50');
    await owner.locator('#price-save').click();
    await owner.locator('#price-form .field-error', { hasText: '会员价不能高于零售价' }).waitFor({ timeout: 15_000 });
    await b.screenshot(owner, 'store-prices-refused');
    await owner.locator('#price-member input').fill('9.50');
    await owner.locator('#price-save').click();
    await owner.locator('#price-overrides .s-row', { hasText: '农夫山泉' }).waitFor({ timeout: 15_000 });
    expect(await owner.locator('#price-overrides').innerText()).toContain('9.99');
    await b.screenshot(owner, 'store-prices-set');
    await owner.context().close();

    const counter = await b.newPage();
    await signIn(counter, b.url, 'o_demo_assistant_1', '/pages/counter/index');
    await counter.locator('#counter-staff').filter({ hasText: '店员小王' }).waitFor({ timeout: 30_000 });
    await addProduct(counter, 'nfsq', '农夫山泉饮用天然水');
    // The cart, member, total and cash notes are in the sheet that slides up from the counter's bottom bar.
    await openCart(counter);
    await expect.poll(async () => (await counter.locator('#order-total').innerText()).replace(/[^0-9.]/g, '')).toBe('9.99');
    await b.screenshot(counter, 'store-prices-counter');
    await counter.locator('.cash-note').last().click();
    await expect.poll(async () => (await counter.locator('#change').innerText()).trim()).not.toBe('');
    await counter.locator('#checkout').click();
    await counter.waitForURL(/receipt\?orderId=/, { timeout: 30_000 });
    await counter.locator('#receipt').waitFor();
    expect(await counter.locator('#receipt').innerText()).toContain('9.99');
    await b.screenshot(counter, 'store-prices-receipt');
    await counter.context().close();
  });

  it('previews a +5% change of a category on 批量调价, then applies it', async () => {
    const owner = await b.newPage();
    await signIn(owner, b.url, 'o_demo_owner', '/pages/setup/price-changes');
    await owner.locator('#by-category').click({ timeout: 30_000 });
    await owner.locator('#change-value input').fill('5');
    await owner.locator('#change-preview').click();
    const table = owner.locator('#change-preview-table');
    await table.locator('.s-row').first().waitFor({ timeout: 15_000 });
    expect(await table.innerText()).toContain('预览');
    expect(await table.innerText()).toContain('→');
    await b.screenshot(owner, 'price-changes-preview');
    await owner.locator('#change-apply').click();
    await table.filter({ hasText: '已调价' }).waitFor({ timeout: 15_000 });
    await b.screenshot(owner, 'price-changes-applied');
    await owner.context().close();
  });
});
