import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEnv } from '../_support/requires';
import { startBrowserStack, type BrowserStack } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');
const cronSecret = 'browser-cron-secret';

describe.skipIf(!chromiumPath)('the boss reconcile page in the H5 build', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath, { env: { CRON_SECRET: cronSecret } });
  });
  afterAll(async () => b?.stop());

  it('downloads a chosen day\'s bill from the sandbox and shows what the platform answered', async () => {
    const page = await b.newPage();
    await page.goto(`${b.url}/#/pages/sign-in/index?redirect=${encodeURIComponent('/pages/boss/index')}`);
    await page.locator('#sandbox-user-o_demo_owner').click({ timeout: 30_000 });
    await page.locator('#sign-in').click();
    // The owner opens reconciliation from the boss page, as in the app (a page address typed mid-load can race the page being left).
    await page.locator('#open-reconcile').click({ timeout: 30_000 });
    await page.locator('#bill-download').waitFor({ timeout: 30_000 });
    await page.locator('#download-channel-alipay').click();
    await page.locator('#download-channel-wechat').click();
    // Yesterday is chosen by default. Before 10:00 Beijing its bill is not ready; after, the fresh sandbox (no payment then) has none.
    const ready = new Date(Date.now() + 8 * 3_600_000).getUTCHours() >= 10;
    await page.locator('#bill-download-go').click();
    const result = page.locator('#bill-download-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.innerText()).toContain(ready ? '没有交易' : '尚未生成');
    await expect.poll(async () => page.locator('#bill-download .rc-run').first().innerText()).toContain(ready ? '当日无交易，平台无账单' : '账单尚未生成');
    expect(await page.locator('#bill-download .rc-run').first().innerText()).toContain('手动');
    await b.screenshot(page, 'reconcile-download');
  });

  it('lists the shop\'s scheduled jobs with their last outcome', async () => {
    // Without a queue configured the cron does each merchant's share in place and records it as a delivery would.
    const cron = await fetch(`${b.url}/api/cron/payments`, { headers: { authorization: `Bearer ${cronSecret}` } });
    expect(cron.status).toBe(200);
    const page = await b.newPage();
    await page.goto(`${b.url}/#/pages/sign-in/index?redirect=${encodeURIComponent('/pages/boss/index')}`);
    await page.locator('#sandbox-user-o_demo_owner').click({ timeout: 30_000 });
    await page.locator('#sign-in').click();
    await page.locator('#open-reconcile').click({ timeout: 30_000 });
    const row = page.locator('#job-outcomes [data-job="payments"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getAttribute('data-outcome')).toBe('ok');
    expect(await row.innerText()).toContain('收款核查');
    expect(await row.innerText()).toContain('正常');
    await b.screenshot(page, 'reconcile-jobs');
  });
});
