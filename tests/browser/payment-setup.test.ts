import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEnv } from '../_support/requires';
import { signIn, startBrowserStack, type BrowserStack } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

/**
 * 收款设置 (#18) in the H5 build, on a service provider's deployment
 * (WECHATPAY_MODE=partner): the demo shop's direct row does not fit, so the
 * screen says WeChat Pay is off and why; the owner enters the shop's
 * sub-merchant number and the screen shows it taking payments.
 */
describe.skipIf(!chromiumPath)('the payment setup screen', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath, { env: { WECHATPAY_MODE: 'partner' } });
  });
  afterAll(async () => b?.stop());

  it('shows why WeChat Pay is off, takes the sub-merchant number from the owner, then shows it on', async () => {
    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_owner', '/pages/boss/index');
    await page.locator('#open-payment-setup').click({ timeout: 30_000 });
    await page.locator('#setup-wechat').waitFor({ timeout: 30_000 });
    expect(await page.locator('#setup-wechat').innerText()).toMatch(/未开通[\s\S]*特约商户号/);
    await b.screenshot(page, 'boss-payment-setup-off');
    await page.locator('#setup-sub-mchid input').fill('1234567');
    await page.locator('#setup-save').click();
    await page.locator('#setup-error').waitFor();
    expect(await page.locator('#setup-error').innerText()).toContain('8–12 位数字');
    await page.locator('#setup-sub-mchid input').fill('1900000201');
    await page.locator('#setup-save').click();
    await page.locator('#setup-wechat', { hasText: '可以收款' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#setup-wechat').innerText()).toContain('特约商户号 1900000201');
    await b.screenshot(page, 'boss-payment-setup-on');
    await page.context().close();
  });
});
