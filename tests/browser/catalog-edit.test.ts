import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEnv } from '../_support/requires';
import { signIn, startBrowserStack, type BrowserStack } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

/**
 * Catalog editing on the phone (#15): the owner arranges categories as a
 * two-level tree (a third level refused with the limit named on the row),
 * renames, reorders and hides one, and the shop's 分类 page follows; then
 * adds a product with opening stock, edits it, adds a new colour, changes one
 * SKU's prices, stops and restarts it, and the counter sees the stock.
 */
describe.skipIf(!chromiumPath)('catalog editing on the phone', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  it('arranges the category tree, and the shop shows it without the hidden category', async () => {
    const owner = await b.newPage();
    await signIn(owner, b.url, 'o_demo_owner', '/pages/boss/index');
    await owner.locator('#open-categories').click({ timeout: 30_000 });
    await owner.locator('#category-new-name input').waitFor({ timeout: 30_000 });
    await owner.locator('#category-new-name input').fill('男装');
    await owner.locator('#category-create').click();
    const men = owner.locator('[data-category-name="男装"]');
    await men.waitFor({ timeout: 15_000 });
    await owner.locator('#category-new-name input').fill('T恤');
    await owner.locator('.parent-choice', { hasText: '男装 下' }).click();
    await owner.locator('#category-create').click();
    const tee = owner.locator('[data-category-name="T恤"]');
    await tee.waitFor({ timeout: 15_000 });
    expect(await tee.getAttribute('class')).toContain('category-row--child');

    // 男装 has a child: moving it under 饮料 would make three levels, and the row says so.
    await men.locator('.category-move').click();
    await men.locator('.move-target', { hasText: '饮料 下' }).click();
    await men.locator('.category-error').waitFor({ timeout: 15_000 });
    expect(await men.locator('.category-error').innerText()).toContain('category_depth_max = 2');
    await b.screenshot(owner, 'catalog-edit-depth-refused');

    await tee.locator('.category-rename').click();
    await tee.locator('.category-rename-input input').fill('短袖T恤');
    await tee.locator('.category-rename-save').click();
    await owner.locator('[data-category-name="短袖T恤"]').waitFor({ timeout: 15_000 });

    // 男装 was added last at the top level; one tap moves it above its neighbour.
    const topNames = async () => owner.locator('.category-row:not(.category-row--child)').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-category-name')));
    const before = await topNames();
    await men.locator('.category-up').click();
    await expect.poll(topNames, { timeout: 15_000 }).toEqual([...before.slice(0, -2), '男装', before.at(-2)]);

    const snacks = owner.locator('[data-category-name="零食"]');
    await snacks.locator('.category-hide').click();
    await snacks.locator('.tag-hidden').waitFor({ timeout: 15_000 });
    await b.screenshot(owner, 'catalog-edit-tree');

    const shopper = await b.newPage();
    await shopper.goto(`${b.url}/#/pages/shop/category/index`);
    await shopper.locator('#category-side, .category-item').first().waitFor({ timeout: 30_000 });
    const side = shopper.locator('.category-item');
    await expect.poll(async () => side.allInnerTexts(), { timeout: 15_000 }).toContain('短袖T恤');
    const names = await side.allInnerTexts();
    expect(names).not.toContain('零食');
    expect(names.indexOf('短袖T恤')).toBe(names.indexOf('男装') + 1);
    expect(await shopper.locator('.category-item--child', { hasText: '短袖T恤' }).count()).toBe(1);
    await b.screenshot(shopper, 'catalog-edit-shop-categories');
    await shopper.context().close();
    await owner.context().close();
  });

  it('adds a product with opening stock, edits it and adds a colour; the shop shows the stock and the counter sells the new colour, not the stopped one', async () => {
    const owner = await b.newPage();
    await signIn(owner, b.url, 'o_demo_owner', '/pages/setup/products');
    await owner.locator('#product-name input').waitFor({ timeout: 30_000 });
    await owner.locator('#category-section .chip', { hasText: '男装 › 短袖T恤' }).click({ timeout: 15_000 });
    await owner.locator('#product-name input').fill('竹节棉T恤');
    await owner.locator('#product-price input').fill('59');
    await owner.locator('#product-cost input').fill('30');
    await owner.locator('#product-values1 input').fill('白,灰');
    await owner.locator('#product-values2 input').fill('');
    await owner.locator('#product-axis2 input').fill('');
    const rows = owner.locator('.sku-preview');
    await expect.poll(async () => rows.count()).toBe(2);
    await rows.nth(0).locator('.opening-qty input').fill('5');
    await rows.nth(1).locator('.opening-qty input').fill('3');
    await b.screenshot(owner, 'catalog-edit-opening-stock');
    await owner.locator('#product-add').click();
    // The form empties once the product is saved.
    await expect.poll(async () => owner.locator('#product-name input').inputValue(), { timeout: 30_000 }).toBe('');
    await owner.locator('#product-list-search input').fill('竹节棉');
    const found = owner.locator('[data-product-id]', { hasText: '竹节棉T恤' });
    await found.waitFor({ timeout: 30_000 });
    // Held by its id: the row's text changes when the product is renamed.
    const product = owner.locator(`[data-product-id="${await found.getAttribute('data-product-id')}"]`);

    await product.locator('.product-edit-open').click();
    const panel = product.locator('.product-edit');
    await panel.locator('.sku-line').first().waitFor({ timeout: 15_000 });
    await panel.locator('.edit-name input').fill('');
    await panel.locator('.edit-save').click();
    // The shared schema refuses an empty name next to the field before anything is sent.
    await panel.locator('.field-error').first().waitFor({ timeout: 10_000 });
    await panel.locator('.edit-name input').fill('竹节棉短袖T恤');
    await panel.locator('.edit-save').click();
    await panel.locator('.edit-saved', { hasText: '已保存' }).waitFor({ timeout: 15_000 });

    // A colour it already has is refused by the server, with the reason by the new values.
    await panel.locator('.add-values input').fill('白');
    await panel.locator('.add-price input').fill('69');
    await panel.locator('.add-cost input').fill('35');
    await panel.locator('.add-skus').click();
    await panel.locator('.add-error').waitFor({ timeout: 15_000 });
    expect(await panel.locator('.add-error').innerText()).toContain('已有');
    await panel.locator('.add-values input').fill('黑');
    await panel.locator('.add-qty input').fill('2');
    await panel.locator('.add-skus').click();
    await panel.locator('.edit-saved', { hasText: '已添加 1 个规格' }).waitFor({ timeout: 15_000 });
    await expect.poll(async () => panel.locator('.sku-line').count()).toBe(3);
    await panel.locator('.sku-line', { hasText: '灰' }).locator('.sku-toggle').click();
    await panel.locator('.sku-line', { hasText: '已停售' }).waitFor({ timeout: 15_000 });
    await b.screenshot(owner, 'catalog-edit-product');

    // One SKU's prices: a member price above retail is refused by the field; a retail price below cost asks first.
    const white = panel.locator('.sku-line', { hasText: '白' });
    await white.locator('.sku-edit-open').click();
    const skuForm = panel.locator('.sku-edit');
    await skuForm.locator('.sku-edit-retail input').fill('25');
    await skuForm.locator('.sku-edit-member input').fill('26');
    await skuForm.locator('.sku-edit-save').click();
    await skuForm.locator('.field-error', { hasText: '会员价不能高于零售价' }).waitFor({ timeout: 10_000 });
    await skuForm.locator('.sku-edit-member input').fill('25');
    await skuForm.locator('.sku-edit-save').click();
    const modal = owner.locator('.taro__modal');
    await modal.locator('.taro-modal__title', { hasText: '零售价低于进价' }).waitFor({ timeout: 10_000 });
    expect(await modal.locator('.taro-modal__text').innerText()).toContain('每卖一件亏 ¥5.00');
    await b.screenshot(owner, 'catalog-edit-sku-below-cost');
    await modal.locator('.taro-model__confirm').click();
    await panel.locator('.edit-saved', { hasText: '规格已保存' }).waitFor({ timeout: 15_000 });
    expect(await panel.locator('.sku-line', { hasText: '白' }).innerText()).toContain('¥25.00');
    await b.screenshot(owner, 'catalog-edit-sku-saved');

    // Stopping the whole product takes it off the list; 已停售 finds it, and 恢复销售 puts it back.
    await panel.locator('.edit-active').click();
    await expect.poll(async () => owner.locator('[data-product-id]', { hasText: '竹节棉' }).count(), { timeout: 15_000 }).toBe(0);
    await owner.locator('#list-stopped').click();
    const stoppedRow = owner.locator('[data-product-id]', { hasText: '竹节棉短袖T恤' });
    await stoppedRow.waitFor({ timeout: 15_000 });
    await b.screenshot(owner, 'catalog-edit-stopped-list');
    await stoppedRow.locator('.product-restart').click();
    await expect.poll(async () => stoppedRow.count(), { timeout: 15_000 }).toBe(0);
    await owner.locator('#list-selling').click();
    await owner.locator('[data-product-id]', { hasText: '竹节棉短袖T恤' }).waitFor({ timeout: 15_000 });
    // The opening stock is in DEMO01, as the shop's catalog reports it per SKU.
    const res = await owner.request.get(`${b.url}/api/public/stores/DEMO01/products?q=${encodeURIComponent('竹节棉短袖')}`);
    const stock = ((await res.json()) as { items: { skus: { spec: Record<string, string>; available: number }[] }[] }).items[0]!.skus.map((s) => [s.spec['颜色'], s.available]);
    expect(stock.sort()).toEqual([['白', 5], ['黑', 2]]);
    await owner.context().close();

    const assistant = await b.newPage();
    await signIn(assistant, b.url, 'o_demo_assistant_1', '/pages/counter/index');
    await assistant.locator('#product-search input').fill('竹节棉短袖');
    const item = assistant.locator('.product-item', { hasText: '竹节棉短袖T恤' }).first();
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    const chooser = assistant.locator('#sku-chooser');
    await chooser.waitFor({ timeout: 10_000 });
    const options = await chooser.locator('.sku-option').allInnerTexts();
    expect(options.join('|')).toContain('黑');
    expect(options.join('|')).not.toContain('灰');
    await b.screenshot(assistant, 'catalog-edit-counter');
    await assistant.context().close();
  });

  it('sets up a bundle (组合套餐) from two SKUs with quantities, refused next to the price first, then stops it', async () => {
    const owner = await b.newPage();
    await signIn(owner, b.url, 'o_demo_owner', '/pages/setup/promotions');
    await owner.locator('#bundle-new').click({ timeout: 30_000 });
    const form = owner.locator('#bundle-form');
    await form.locator('#bundle-name input').fill('夏日套装');
    for (const q of ['cmyltx', 'ydmw']) {
      await form.locator('#bundle-search input').fill(q);
      await form.locator('.bundle-found').first().click({ timeout: 15_000 });
    }
    await expect.poll(async () => form.locator('.bundle-item').count()).toBe(2);
    await form.locator('.bundle-item').nth(1).locator('.bundle-qty input').fill('2');
    // No price yet: the shared schema refuses it next to the price before anything is sent.
    await form.locator('#bundle-save').click();
    await form.locator('#bundle-price ~ .field-error').first().waitFor({ timeout: 10_000 });
    expect(await form.locator('#bundle-price ~ .field-error').first().innerText()).toContain('套餐价应是金额');
    await b.screenshot(owner, 'catalog-edit-bundle-refused');
    await form.locator('#bundle-price input').fill('50');
    await form.locator('#bundle-save').click();
    const row = owner.locator('[data-promotion="夏日套装"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.innerText()).toContain('组合套餐 2 种共 3 件，50.00 元');
    await b.screenshot(owner, 'catalog-edit-bundle');
    await row.locator('.link', { hasText: '停用' }).click();
    await owner.locator('[data-promotion="夏日套装"]', { hasText: '已停用' }).waitFor({ timeout: 15_000 });
    await owner.context().close();
  });
});
