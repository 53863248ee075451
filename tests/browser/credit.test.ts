import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEnv } from '../_support/requires';
import { signIn, startBrowserStack, type BrowserStack } from '../_support/browser';
import { issueLoginCode } from '../../tools/sandbox/client';
import { newId } from '../../shared/ids';
import { fenToYuan } from '../../shared/money';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

describe.skipIf(!chromiumPath)('sales on account, collection, statement and commission in the H5 build', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  /** The API as the mini-program calls it, signed in through the sandbox. */
  async function api(openId: string) {
    const code = await issueLoginCode(b.stack.sandboxUrl, { platform: 'wechat', appId: b.stack.env.WECHAT_APPID!, userId: openId });
    const login = await fetch(`${b.url}/api/auth/staff/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'wechat', code }) });
    const { token } = (await login.json()) as { token: string };
    return async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${b.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: res.status, body: (await res.json()) as any };
    };
  }

  it('bills a sale on account, collects part of it on the boss page, shows the statement and aging, and the assistant\'s commission', async () => {
    const owner = await api('o_demo_owner');
    const assistant = await api('o_demo_assistant_1');
    const storeId = b.stack.seed!.storeIds.DEMO01!;
    const products = await assistant('GET', `/api/stores/${storeId}/products?q=wlj`);
    const tea = products.body.items[0].skus[0] as { id: string; retailPriceFen: number };
    const unit = tea.retailPriceFen - 50;
    const customer = await owner('POST', '/api/credit/customers', { name: '东方便利店', contact: '刘经理', phone: '13900000001', creditLimitFen: unit * 25, termsDays: 30, prices: [{ skuId: tea.id, priceFen: unit }] });
    expect(customer.status).toBe(201);
    expect((await owner('POST', '/api/commission/rules', { scope: 'role', role: 'assistant', kind: 'percent', tiers: [{ fromFen: 0, toFen: null, rateBp: 200 }] })).status).toBe(201);

    // The counter's request for a sale on account (赊账) of 24 cans at the customer's price.
    const total = unit * 24;
    const sale = await assistant('POST', '/api/orders', { clientOrderId: newId('order'), storeId, tradeCustomerId: customer.body.customer.id, lines: [{ skuId: tea.id, qty: 24 }], tenders: [{ method: 'account', amountFen: total }], expectedTotalFen: total });
    expect(sale.status).toBe(201);
    // Over the limit without a manager: refused with a reason.
    const over = await assistant('POST', '/api/orders', { clientOrderId: newId('order'), storeId, tradeCustomerId: customer.body.customer.id, lines: [{ skuId: tea.id, qty: 2 }], tenders: [{ method: 'account', amountFen: unit * 2 }], expectedTotalFen: unit * 2 });
    expect(over.body.error.code).toBe('credit_limit_exceeded');

    const page = await b.newPage();
    // Sign-in returns to single-level pages only; the credit pages open from the dashboard.
    await signIn(page, b.url, 'o_demo_owner', '/pages/boss/index');
    await page.locator('#open-credit').click({ timeout: 30_000 });
    await page.locator('#customers .credit-row', { hasText: '东方便利店' }).waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await page.locator('#credit-total').innerText()).replace(/[^0-9.]/g, '')).toBe(fenToYuan(total));
    await b.screenshot(page, 'credit-customers');

    await page.locator('#customers .credit-row', { hasText: '东方便利店' }).click();
    await page.locator('#customer-balance').waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await page.locator('#customer-balance').innerText()).replace(/[^0-9.]/g, '')).toBe(fenToYuan(total));
    await page.locator('#receipt-amount input').fill('50');
    await page.locator('#receipt-submit').click();
    const left = total - 5000;
    await expect.poll(async () => (await page.locator('#customer-balance').innerText()).replace(/[^0-9.]/g, ''), { timeout: 15_000 }).toBe(fenToYuan(left));
    await expect.poll(async () => (await page.locator('#statement-closing').innerText()).replace(/[^0-9.]/g, '')).toBe(fenToYuan(left));
    expect(await page.locator('#aging [data-bucket="current"]').innerText()).toContain(fenToYuan(left));
    await b.screenshot(page, 'credit-customer-after-receipt');
    await page.locator('#statement').scrollIntoViewIfNeeded();
    await b.screenshot(page, 'credit-statement');

    // The books agree: receivables hold what is still owed.
    const tb = await owner('GET', '/api/ledger/trial-balance');
    expect(tb.body.accounts.find((a: { account: string }) => a.account === 'receivables').balanceFen).toBe(left);

    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    await page.goto(`${b.url}/#/pages/boss/commission/index?month=${month}`);
    await page.locator('#performance .tb-row', { hasText: '店员小王' }).waitFor({ timeout: 30_000 });
    const row = page.locator('#statements [data-statement="店员小王"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.innerText()).toContain(fenToYuan(Math.floor((total * 200) / 10_000)));
    // The month is not over, so it cannot be confirmed yet.
    expect(await row.innerText()).toContain('月末后可确认');
    await b.screenshot(page, 'commission-statement');
    await page.context().close();
  });
});
