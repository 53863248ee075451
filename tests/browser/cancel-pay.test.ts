import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEnv } from '../_support/requires';
import { type BrowserStack, openCart, signIn, startBrowserStack } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

describe.skipIf(!chromiumPath)('switching an order that waits for WeChat Pay to cash, in the H5 build with the payment sandbox', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  it('closes the shown QR at the platform, cancels the open order, then bills the same cart as cash; stock is taken once', async () => {
    const db = b.stack.deps.db;
    const storeId = b.stack.seed!.storeIds.DEMO01!;
    const stockOf = async () => {
      const rows = await db
        .selectFrom('stock_levels')
        .innerJoin('skus', 'skus.id', 'stock_levels.sku_id')
        .innerJoin('products', 'products.id', 'skus.product_id')
        .select(['stock_levels.on_hand', 'stock_levels.reserved'])
        .where('stock_levels.store_id', '=', storeId)
        .where('products.name', '=', '王老吉凉茶')
        .execute();
      return { onHand: rows.reduce((s, r) => s + r.on_hand, 0), reserved: rows.reduce((s, r) => s + r.reserved, 0) };
    };
    const before = await stockOf();

    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_assistant_1', '/pages/counter/index');
    await page.locator('#counter-staff').filter({ hasText: '店员小王' }).waitFor({ timeout: 30_000 });
    await page.locator('#product-search input').fill('王老吉');
    await page.locator('.product-item', { hasText: '王老吉凉茶' }).first().click({ timeout: 15_000 });
    const chooser = page.locator('#sku-chooser');
    if (await chooser.isVisible().catch(() => false)) await chooser.locator('.sku-option').first().click();
    await openCart(page);
    await expect.poll(() => page.locator('.cart-line').count()).toBe(1);

    await page.locator('#pay-platform').click();
    await page.waitForURL(/counter\/pay\?orderId=/, { timeout: 30_000 });
    const openOrderId = new URL(page.url().replace('/#/', '/')).searchParams.get('orderId') ?? '';
    expect(openOrderId).toMatch(/^ord_/);
    await page.locator('#pay-by-qr-wechat').click();
    await page.locator('#pay-qr').waitFor({ timeout: 30_000 });
    expect(await stockOf()).toEqual({ onHand: before.onHand, reserved: before.reserved + 1 });
    await b.screenshot(page, 'counter-cancel-qr-shown');

    // Hold the cancel request back a moment so the waiting state can be seen: the QR goes away at once.
    await page.route('**/api/orders/*/cancel', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.continue();
    });
    await page.locator('#pay-switch-cash').click();
    await page.locator('#pay-closing').waitFor({ timeout: 10_000 });
    expect(await page.locator('#pay-closing').innerText()).toContain('正在关闭微信收款码');
    expect(await page.locator('#pay-qr').count()).toBe(0);
    expect(await page.locator('#pay-wait').count()).toBe(0);
    await b.screenshot(page, 'counter-cancel-closing');

    await page.waitForURL(/counter\/index/, { timeout: 30_000 });
    await page.locator('#cancel-note').waitFor({ timeout: 15_000 });
    expect(await page.locator('#cancel-note').innerText()).toContain('请按现金收款');
    await expect.poll(() => page.locator('.cart-line').count()).toBe(1);
    const cancelled = await db.selectFrom('orders').select('status').where('id', '=', openOrderId).executeTakeFirstOrThrow();
    expect(cancelled.status).toBe('cancelled');
    const attempts = await db.selectFrom('payments').select(['status', 'channel', 'mode']).where('order_id', '=', openOrderId).execute();
    expect(attempts).toEqual([{ status: 'closed', channel: 'wechat', mode: 'qr' }]);
    expect(await stockOf()).toEqual(before);
    await page.locator('#cancel-note').scrollIntoViewIfNeeded();
    await b.screenshot(page, 'counter-cancel-back-to-cart');

    await page.locator('#checkout').click();
    await page.waitForURL(/counter\/receipt\?orderId=/, { timeout: 30_000 });
    const cashOrderId = new URL(page.url().replace('/#/', '/')).searchParams.get('orderId') ?? '';
    expect(cashOrderId).not.toBe(openOrderId);
    const receipt = page.locator('#receipt');
    await receipt.waitFor({ timeout: 30_000 });
    expect(await receipt.innerText()).toContain('王老吉凉茶');
    expect(await receipt.innerText()).toContain('现金');
    await b.screenshot(page, 'counter-cancel-cash-receipt');
    const tenders = await db.selectFrom('order_tenders').select(['method']).where('order_id', '=', cashOrderId).execute();
    expect(tenders.map((t) => t.method)).toEqual(['cash']);
    expect(await stockOf()).toEqual({ onHand: before.onHand - 1, reserved: before.reserved });
    await page.context().close();
  });
});
