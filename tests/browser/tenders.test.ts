import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireEnv } from '../_support/requires';
import { addProduct, type BrowserStack, openCart, signIn, startBrowserStack } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

const yuanOf = (text: string) => Number(text.replace(/[^0-9.]/g, ''));

describe.skipIf(!chromiumPath)('every tender at the counter', () => {
  let b: BrowserStack;
  let counter: Page;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
    counter = await b.newPage();
    await signIn(counter, b.url, 'o_demo_assistant_1', '/pages/counter/index');
    await counter.locator('#counter-staff').filter({ hasText: '店员小王' }).waitFor({ timeout: 30_000 });
  });
  afterAll(async () => b?.stop());

  async function backToCounter() {
    await counter.goto(`${b.url}/#/pages/counter/index`);
    await counter.locator('#counter-staff').filter({ hasText: '店员小王' }).waitFor({ timeout: 30_000 });
  }

  it('a card sale carries the terminal reference; without one the button stays off', async () => {
    await addProduct(counter, '王老吉', '王老吉凉茶');
    await openCart(counter);
    await counter.locator('#tender-card').click();
    expect(await counter.locator('#tender-error').innerText()).toContain('参考号');
    await counter.locator('#tender-reference input').fill('REF778899');
    await counter.locator('#checkout').scrollIntoViewIfNeeded();
    await b.screenshot(counter, 'tenders-card-chosen');
    await counter.locator('#checkout').click();
    await counter.waitForURL(/counter\/receipt\?orderId=/, { timeout: 30_000 });
    const receipt = await counter.locator('#receipt').innerText();
    expect(receipt).toContain('银行卡');
    expect(receipt).not.toContain('现金');
    await b.screenshot(counter, 'tenders-card-receipt');
  });

  it('a split of card and cash gives change on the cash part', async () => {
    await backToCounter();
    await addProduct(counter, '红牛', '红牛维生素功能饮料');
    await addProduct(counter, '王老吉', '王老吉凉茶');
    await openCart(counter);
    await counter.locator('#tender-split').click();
    const total = yuanOf(await counter.locator('#order-total').innerText());
    await counter.locator('#split-part input').fill('5');
    await counter.locator('#tender-reference input').fill('REF1001');
    const cashGiven = Math.ceil(total - 5) + 10;
    await counter.locator('#cash-received input').fill(String(cashGiven));
    const expectedChange = Math.round((cashGiven - (total - 5)) * 100) / 100;
    await expect.poll(async () => yuanOf(await counter.locator('#change').innerText())).toBe(expectedChange);
    await b.screenshot(counter, 'tenders-split-chosen');
    await counter.locator('#checkout').click();
    await counter.waitForURL(/counter\/receipt\?orderId=/, { timeout: 30_000 });
    const receipt = await counter.locator('#receipt').innerText();
    expect(receipt).toContain('银行卡');
    expect(receipt).toContain('现金');
    expect(receipt).toContain('找零');
    await b.screenshot(counter, 'tenders-split-receipt');
  });

  it('an e-CNY sale, and the boss home names 银行卡 and 数字人民币', async () => {
    await backToCounter();
    await addProduct(counter, '农夫', '农夫山泉饮用天然水');
    await openCart(counter);
    await counter.locator('#tender-ecny').click();
    await counter.locator('#tender-reference input').fill('ECNY20261206');
    await counter.locator('#checkout').click();
    await counter.waitForURL(/counter\/receipt\?orderId=/, { timeout: 30_000 });
    expect(await counter.locator('#receipt').innerText()).toContain('数字人民币');

    const boss = await b.newPage();
    await signIn(boss, b.url, 'o_demo_owner', '/pages/boss/index');
    const tenders = boss.locator('#by-tender');
    await tenders.locator('.tender-row', { hasText: '数字人民币' }).waitFor({ timeout: 30_000 });
    const text = await tenders.innerText();
    expect(text).toContain('银行卡');
    expect(text).toContain('现金');
    expect(text).not.toMatch(/\becny\b|\bcard\b/);
    await tenders.scrollIntoViewIfNeeded();
    await boss.waitForTimeout(1500);
    await b.screenshot(boss, 'tenders-boss-home');
    await boss.context().close();
  });
});
