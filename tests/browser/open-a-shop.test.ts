import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireEnv } from '../_support/requires';
import { addProduct, openCart, startBrowserStack, type BrowserStack } from '../_support/browser';
import { newId } from '../../shared/ids';
import { pngOf } from '../_support/images';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

/** The staff session's token as the H5 build stored it (Taro keeps storage in localStorage). */
async function staffToken(page: Page): Promise<string> {
  const raw = await page.evaluate(() => localStorage.getItem('guitai.session.staff') ?? '');
  const token = /\\?"token\\?":\\?"([A-Za-z0-9._-]+)/.exec(raw)?.[1];
  if (!token) throw new Error('no staff session stored');
  return token;
}

/**
 * A person who has never used Guitai opens the H5 build as a new WeChat user,
 * opens a shop from 我的, adds a category and a T-shirt in two colours × two
 * sizes, invites an assistant, who binds with the code in another browser and
 * bills the T-shirt in cash. The T-shirt gets a photo from the phone (a file
 * chosen in the browser, resized to a JPEG on the page), which the counter's
 * search then shows.
 */
describe.skipIf(!chromiumPath)('opening a shop from the phone, in the H5 build', () => {
  let b: BrowserStack;
  let owner: Page;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  it('signs up, adds a product with a spec matrix, invites an assistant who binds and bills it in cash', async () => {
    owner = await b.newPage();
    // The sandbox plays a WeChat user nobody has seen before.
    await owner.addInitScript(() => localStorage.setItem('guitai.sandbox.shopper', 'o_brand_new_owner'));
    await owner.goto(`${b.url}/#/pages/shop/me/index`);
    await owner.locator('#go-sign-up').waitFor({ timeout: 30_000 });
    await b.screenshot(owner, 'open-a-shop-1-me');

    await owner.locator('#go-sign-up').click();
    await owner.locator('#signup-shopName input').waitFor({ timeout: 30_000 });
    // A wrong phone first: the API's reason shows under the field, and nothing is made.
    await owner.locator('#signup-shopName input').fill('小林服装');
    await owner.locator('#signup-ownerName input').fill('林老板');
    await owner.locator('#signup-storeName input').fill('文三路店');
    await owner.locator('#signup-address input').fill('杭州市西湖区文三路 100 号');
    await owner.locator('#signup-phone input').fill('12345');
    await owner.locator('#signup-submit').click();
    await expect.poll(() => owner.locator('#signup-phone-error').innerText().catch(() => ''), { timeout: 15_000 }).toContain('电话应为');
    await b.screenshot(owner, 'open-a-shop-2-sign-up-error');
    await owner.locator('#signup-phone input').fill('13912345678');
    await owner.locator('#signup-submit').click();

    await owner.waitForURL(/pages\/boss\/index/, { timeout: 30_000 });
    await owner.locator('#setup-checklist').waitFor({ timeout: 30_000 });
    expect(await owner.locator('#boss-scope').innerText()).toContain('小林服装');
    expect(await owner.locator('#setup-checklist [data-done="yes"]').count()).toBe(0);
    await b.screenshot(owner, 'open-a-shop-3-boss-checklist');

    // 添加商品: a category, then a T-shirt in 白/黑 × M/L.
    await owner.locator('#setup-add_products').click();
    await owner.locator('#category-name input').waitFor({ timeout: 30_000 });
    await owner.locator('#category-name input').fill('上衣');
    await owner.locator('#category-add').click();
    await owner.locator('#category-section .chip--on', { hasText: '上衣' }).waitFor({ timeout: 15_000 });
    await owner.locator('#product-name input').fill('纯棉T恤');
    await owner.locator('#product-price input').fill('59');
    await owner.locator('#product-cost input').fill('30');
    await owner.locator('#product-values1 input').fill('白,黑');
    await owner.locator('#product-values2 input').fill('M,L');
    expect(await owner.locator('.sku-preview').count()).toBe(4);
    // A barcode with a wrong check digit is refused on the phone before anything is sent.
    await owner.locator('.sku-preview input').first().fill('6901234567891');
    await owner.locator('#product-add').click();
    expect(await owner.locator('#product-error').innerText()).toContain('校验位');
    await b.screenshot(owner, 'open-a-shop-4-product-form');
    await owner.locator('.sku-preview input').first().fill('6901234567892');
    await owner.locator('#product-add').click();
    await owner.locator('#product-list .s-row', { hasText: '纯棉T恤' }).waitFor({ timeout: 15_000 });
    const skus = await owner.locator('#product-list .s-row', { hasText: '纯棉T恤' }).innerText();
    expect(skus).toContain('6901234567892');
    // The database keeps a spec as JSON, whose key order is its own: either axis may come first.
    for (const [colour, size] of [['白', 'M'], ['白', 'L'], ['黑', 'M'], ['黑', 'L']]) expect(skus).toMatch(new RegExp(`${colour} / ${size}|${size} / ${colour}`));
    await owner.locator('#product-list').scrollIntoViewIfNeeded();
    await b.screenshot(owner, 'open-a-shop-5-product-list');

    // A photo for the T-shirt: chosen on the phone, resized there, shown as a thumbnail.
    const row = owner.locator('#product-list .s-row', { hasText: '纯棉T恤' });
    await row.locator('.photo-open').click();
    const [picker] = await Promise.all([owner.waitForEvent('filechooser', { timeout: 15_000 }), row.locator('.photo-add').click({ timeout: 15_000 })]);
    await picker.setFiles({ name: 'tshirt.png', mimeType: 'image/png', buffer: Buffer.from(pngOf(1600, 1200, [40, 110, 200])) });
    await row.locator('.photo-cell img').first().waitFor({ timeout: 15_000 });
    const photoSrc = (await row.locator('.photo-cell img').first().getAttribute('src')) ?? '';
    expect(photoSrc).toMatch(/\/api\/photos\/pho_[0-9A-Z]{26}\.jpg$/);
    // The phone sent a JPEG of at most 1280 px on the long side, not the 1600 px PNG it was given.
    const served = await fetch(photoSrc);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    const jpeg = new Uint8Array(await served.arrayBuffer());
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
    expect(await owner.evaluate((src) => new Promise<number[]>((done) => { const i = new Image(); i.onload = () => done([i.naturalWidth, i.naturalHeight]); i.src = src; }), photoSrc)).toEqual([1280, 960]);
    await row.scrollIntoViewIfNeeded();
    await b.screenshot(owner, 'open-a-shop-5b-product-photo');

    // Opening stock by a stocktake through the API (the stocktake screen is #13's and tested there).
    const token = await staffToken(owner);
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${b.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      const json = (await res.json()) as any;
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const storeId = (await api('GET', '/api/stores')).items[0].id as string;
    const stocktakeId = newId('stocktake');
    await api('POST', '/api/stocktakes', { stocktakeId, storeId });
    await api('POST', `/api/stocktakes/${stocktakeId}/counts`, { clientScanId: 'open-shop-scan-1', barcode: '6901234567892', mode: 'set', qty: 5 });
    await api('POST', `/api/stocktakes/${stocktakeId}/approve`, { uncounted: 'skip' });

    // A shopper who scanned the store's code sees the photo on the T-shirt's page.
    const storeCode = (await api('GET', '/api/stores')).items[0].code as string;
    const productId = (await row.getAttribute('data-product-id')) ?? '';
    const shopper = await b.newPage();
    await shopper.goto(`${b.url}/#/pages/shop/product/index?id=${productId}&store=${storeCode}`);
    await expect.poll(() => shopper.locator('#product-photo img').getAttribute('src').catch(() => null), { timeout: 30_000 }).toBe(photoSrc);
    await shopper.locator('#product-name').waitFor({ timeout: 15_000 });
    await b.screenshot(shopper, 'open-a-shop-5c-shop-product-photo');
    await shopper.close();

    // 邀请店员.
    await owner.goto(`${b.url}/#/pages/boss/index`);
    await owner.locator('#setup-invite_staff').click({ timeout: 30_000 });
    await owner.locator('#invite-new').click({ timeout: 30_000 });
    await owner.locator('#invite-name input').fill('小周');
    await owner.locator('#invite-create').click();
    const code = (await owner.locator('#invite-code-value').innerText({ timeout: 15_000 })).trim();
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    expect(await owner.locator('#invite-expiry').innerText()).toContain('前有效');
    // The invitation's QR carries the /j/<code> link.
    const inviteUrl = await owner.locator('#invite-qr').getAttribute('data-qr-text');
    expect(inviteUrl).toMatch(new RegExp(`/j/${code}$`));
    await b.screenshot(owner, 'open-a-shop-6-invite-code');

    // The assistant, on their own phone, scans the QR: a browser is sent to the sign-in page with the code in it.
    // They sign in, confirm the code already there, and bill the T-shirt in cash.
    const assistant = await b.newPage();
    await assistant.goto(`${b.url}${new URL(inviteUrl!).pathname}`);
    await assistant.waitForURL(/pages\/sign-in\/index\?invite=/, { timeout: 30_000 });
    await assistant.locator('#sandbox-user-custom input').fill('o_brand_new_assistant', { timeout: 30_000 });
    await assistant.locator('#sign-in').click();
    await expect.poll(() => assistant.locator('#invite-code input').inputValue(), { timeout: 30_000 }).toBe(code);
    expect(await assistant.locator('#bind-hint').innerText()).toContain('已带入扫码得到的邀请码');
    await b.screenshot(assistant, 'open-a-shop-7-assistant-binds');
    await assistant.locator('#bind').click();
    await assistant.locator('#counter-staff').filter({ hasText: '小周' }).waitFor({ timeout: 30_000 });
    // The counter's search shows the photo beside the product.
    await assistant.locator('#product-search input').fill('T恤');
    const found = assistant.locator('.product-item', { hasText: '纯棉T恤' }).first();
    await expect.poll(() => found.locator('img').getAttribute('src').catch(() => null), { timeout: 15_000 }).toBe(photoSrc);
    await b.screenshot(assistant, 'open-a-shop-7b-counter-search-photo');
    await addProduct(assistant, 'T恤', '纯棉T恤');
    // The cart and the cash notes are in the sheet that slides up from the counter's bottom bar.
    await openCart(assistant);
    await assistant.locator('.cash-note').last().click();
    await b.screenshot(assistant, 'open-a-shop-8-counter-cash');
    await assistant.locator('#checkout').click();
    await assistant.waitForURL(/counter\/receipt\?orderId=/, { timeout: 30_000 });
    const receipt = await assistant.locator('#receipt').innerText();
    expect(receipt).toContain('纯棉T恤');
    expect(receipt).toContain('现金');
    expect(receipt.replace(/\s+/g, '')).toContain('文三路店');
    await b.screenshot(assistant, 'open-a-shop-9-receipt');

    // Back on the owner's phone: two steps ticked by what happened, the staff list shows the assistant.
    await owner.goto(`${b.url}/#/pages/boss/index`);
    await owner.reload();
    await owner.locator('#setup-checklist').waitFor({ timeout: 30_000 });
    await expect.poll(() => owner.locator('#setup-add_products').getAttribute('data-done'), { timeout: 15_000 }).toBe('yes');
    expect(await owner.locator('#setup-invite_staff').getAttribute('data-done')).toBe('yes');
    expect(await owner.locator('#setup-payments').getAttribute('data-done')).toBe('no');
    await b.screenshot(owner, 'open-a-shop-10-checklist-ticked');
    await owner.goto(`${b.url}/#/pages/setup/staff`);
    await owner.locator('#staff-list .s-row', { hasText: '小周' }).waitFor({ timeout: 30_000 });
    await b.screenshot(owner, 'open-a-shop-11-staff');
  });
});
