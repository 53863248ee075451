import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireEnv } from '../_support/requires';
import { type BrowserStack, openCart, screenshotDir, signIn, startBrowserStack } from '../_support/browser';
import { issueLoginCode } from '../../tools/sandbox/client';
import { fenToYuan } from '../../shared/money';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

const digits = async (page: Page, selector: string) => (await page.locator(selector).innerText()).replace(/[^0-9.-]/g, '');

/** Three cans of 王老吉 on the bill. */
async function billTea(page: Page) {
  await page.locator('#product-search input').fill('wlj');
  await page.locator('.product-item', { hasText: '王老吉' }).first().click({ timeout: 15_000 });
  await openCart(page);
  const line = page.locator('.cart-line').first();
  await line.locator('.qty-plus').click();
  await line.locator('.qty-plus').click();
  await expect.poll(async () => line.locator('.qty-value').innerText()).toBe('3');
}

async function openAccount(page: Page, customer: string) {
  await page.locator('#pay-account').click();
  await page.locator('#customer-search input').fill(customer.slice(0, 2), { timeout: 30_000 });
  await page.locator('.customer-option', { hasText: customer }).click({ timeout: 15_000 });
  await page.locator('#account-total').waitFor({ timeout: 15_000 });
}

describe.skipIf(!chromiumPath)('赊账 at the counter and the commission rule form in the H5 build', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  async function api(openId: string) {
    const code = await issueLoginCode(b.stack.sandboxUrl, { platform: 'wechat', appId: b.stack.env.WECHAT_APPID!, userId: openId });
    const login = await fetch(`${b.url}/api/auth/staff/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'wechat', code }) });
    const { token } = (await login.json()) as { token: string };
    return async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${b.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: res.status, body: (await res.json()) as any };
    };
  }

  it('bills a trade customer on account within the limit, then over it: warned, refused, and billed with a manager\'s approval', async () => {
    const owner = await api('o_demo_owner');
    const storeId = b.stack.seed!.storeIds.DEMO01!;
    const products = await owner('GET', `/api/stores/${storeId}/products?q=wlj`);
    const tea = products.body.items[0].skus[0] as { id: string; retailPriceFen: number };
    const unit = tea.retailPriceFen - 50;
    // Room for five cans: three go through, three more are one can over.
    const limit = unit * 5;
    const made = await owner('POST', '/api/credit/customers', { name: '南山批发部', contact: '赵老板', phone: '13900000077', creditLimitFen: limit, termsDays: 30, prices: [{ skuId: tea.id, priceFen: unit }] });
    expect(made.status).toBe(201);
    const customerId = made.body.customer.id as string;

    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_assistant_1', '/pages/counter/index');
    await page.locator('#product-search').waitFor({ timeout: 30_000 });

    // Within the limit: the customer's price, the limit, what is owed and what is left.
    await billTea(page);
    // The page scrolls inside Taro's own container, so the bill's total and tender buttons are shot on their own.
    await page.locator('#preview').screenshot({ path: path.join(screenshotDir, 'counter-bill-account-button.png') });
    await openAccount(page, '南山批发部');
    expect(await digits(page, '#credit-limit')).toBe(fenToYuan(limit));
    expect(await digits(page, '#credit-balance')).toBe(fenToYuan(0));
    expect(await digits(page, '#credit-available')).toBe(fenToYuan(limit));
    expect(await digits(page, '#account-total')).toBe(fenToYuan(unit * 3));
    expect(await digits(page, '#credit-left')).toBe(fenToYuan(limit - unit * 3));
    expect(await page.locator('#credit-warning').count()).toBe(0);
    await b.screenshot(page, 'counter-account-within');
    await page.locator('#account-submit').click();
    await page.locator('#account-note').waitFor({ timeout: 30_000 });
    await expect.poll(async () => digits(page, '#account-owed'), { timeout: 15_000 }).toBe(fenToYuan(unit * 3));
    expect(await page.locator('#receipt').innerText()).toContain('赊账');
    expect(await page.locator('#account-note').innerText()).toContain('南山批发部');
    await b.screenshot(page, 'counter-account-receipt');

    // Over the limit: warned on screen, then refused without an approval, the API's reason shown.
    await page.locator('#continue').click();
    await expect.poll(async () => page.locator('.cart-line').count(), { timeout: 15_000 }).toBe(0);
    await billTea(page);
    await openAccount(page, '南山批发部');
    expect(await digits(page, '#credit-balance')).toBe(fenToYuan(unit * 3));
    expect(await digits(page, '#credit-left')).toBe(fenToYuan(limit - unit * 6));
    const warning = page.locator('#credit-warning');
    await warning.waitFor();
    expect(await warning.innerText()).toContain(`超出信用额度 ¥${fenToYuan(unit)}`);
    await b.screenshot(page, 'counter-account-over-warning');
    await page.locator('#account-submit').click();
    await page.getByText('仍要提交', { exact: true }).last().click({ timeout: 10_000 });
    const refusal = page.locator('#account-error');
    await refusal.waitFor({ timeout: 15_000 });
    expect(await refusal.innerText()).toContain('需要店长审批');
    await b.screenshot(page, 'counter-account-refused');
    expect((await owner('GET', `/api/credit/customers/${customerId}`)).body.customer.balanceFen).toBe(unit * 3);

    // The manager approves on their own phone and passes the number on.
    const phone = await b.newPage();
    await signIn(phone, b.url, 'o_demo_manager', '/pages/boss/index');
    await phone.locator('#open-credit').click({ timeout: 30_000 });
    await phone.locator('#customers .credit-row', { hasText: '南山批发部' }).click({ timeout: 30_000 });
    await phone.locator('#approval-amount input').fill(fenToYuan(unit * 3), { timeout: 30_000 });
    await phone.locator('#approval-note input').fill('老客户，月底结清');
    await phone.locator('#approval-submit').click();
    const code = phone.locator('#approval-code');
    await code.waitFor({ timeout: 15_000 });
    const approvalId = await code.getAttribute('data-approval-id');
    expect(approvalId).toMatch(/^cap_/);
    await b.screenshot(phone, 'boss-credit-approval');
    const shown = await code.innerText();

    // The assistant types the number as the manager's screen shows it, and the sale goes through.
    await page.locator('#approval-id input').fill(shown);
    await expect.poll(async () => page.locator('#credit-warning').innerText()).toContain(approvalId!);
    await page.locator('#account-submit').click();
    await page.locator('#account-note').waitFor({ timeout: 30_000 });
    await expect.poll(async () => digits(page, '#account-owed'), { timeout: 15_000 }).toBe(fenToYuan(unit * 6));
    await b.screenshot(page, 'counter-account-approved-receipt');
    expect((await owner('GET', `/api/credit/customers/${customerId}`)).body.customer.balanceFen).toBe(unit * 6);
    await phone.context().close();
    await page.context().close();
  });

  it('lets the owner create a tiered commission rule, listed after saving, and shows the API refusing overlapping tiers', async () => {
    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_owner', '/pages/boss/index');
    await page.locator('#open-credit').waitFor({ timeout: 30_000 });
    await page.goto(`${b.url}/#/pages/boss/commission/index`);
    const form = page.locator('#rule-form');
    await form.waitFor({ timeout: 30_000 });

    // 店员: 1% up to 10 000 yuan a month, 2% from there on.
    await page.locator('#rule-role-assistant').click();
    const tier = (i: number) => page.locator(`.tier-row[data-tier="${i}"]`);
    await tier(0).locator('.tier-to input').fill('10000');
    await tier(0).locator('.tier-rate input').fill('1');
    await page.locator('#tier-add').click();
    expect(await tier(1).locator('.tier-from input').inputValue()).toBe('10000');
    await tier(1).locator('.tier-rate input').fill('2');
    await b.screenshot(page, 'commission-rule-form');
    await page.locator('#rule-submit').click();
    const row = page.locator('#rules .rule-row[data-rule="店员"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.innerText()).toContain('0–10000元 1%');
    expect(await row.innerText()).toContain('10000–∞元 2%');
    await page.getByText('规则已保存').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);

    // 店长 with the second tier starting inside the first: the API's message sits under the tiers.
    await page.locator('#rule-role-manager').click();
    await tier(0).locator('.tier-to input').fill('10000');
    await tier(0).locator('.tier-rate input').fill('1');
    await page.locator('#tier-add').click();
    await tier(1).locator('.tier-from input').fill('5000');
    await tier(1).locator('.tier-rate input').fill('2');
    await page.locator('#rule-submit').click();
    const error = page.locator('#rule-tiers-error');
    await error.waitFor({ timeout: 15_000 });
    expect(await error.innerText()).toContain('重叠');
    expect(await page.locator('#rules .rule-row[data-rule="店长"]').count()).toBe(0);
    await error.scrollIntoViewIfNeeded();
    await b.screenshot(page, 'commission-rule-overlap');
    await page.context().close();
  });
});
