import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEnv } from '../_support/requires';
import { signIn, startBrowserStack, type BrowserStack } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

describe.skipIf(!chromiumPath)('reservations at the counter and inventory health in the H5 build', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  it('takes a reservation for a walk-in customer, bills it at pickup, then shows the owner the store\'s health', async () => {
    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_assistant_1', '/pages/counter/reservations');
    await page.locator('#new-reservation').waitFor({ timeout: 30_000 });

    await page.locator('#reservation-search input').fill('王老吉');
    const result = page.locator('.reservation-result', { hasText: '王老吉凉茶' }).first();
    await result.waitFor({ timeout: 15_000 });
    const before = Number((await result.innerText()).match(/可用 (\d+)/)![1]);
    await result.click();
    await page.locator('.reservation-line').filter({ hasText: '王老吉凉茶' }).locator('taro-button-core').last().click();
    await expect.poll(async () => (await page.locator('.reservation-line .qty-value').innerText()).trim()).toBe('2');
    await page.locator('#reservation-name input').fill('刘女士');
    await page.locator('#reservation-phone input').fill('13912345678');
    await page.locator('#reservation-create').click();
    const card = page.locator('.reservation-card', { hasText: '刘女士' });
    await card.waitFor({ timeout: 15_000 });
    expect(await card.innerText()).toContain('王老吉凉茶 × 2');
    await b.screenshot(page, 'reservation-created');

    // The held cans have left available stock.
    await page.locator('#reservation-search input').fill('王老吉');
    const after = page.locator('.reservation-result', { hasText: '王老吉凉茶' }).first();
    await expect.poll(async () => Number(((await after.innerText()).match(/可用 (\d+)/) ?? [])[1])).toBe(before - 2);

    const pickup = card.locator('.pickup-button');
    expect((await pickup.innerText()).replace(/[^0-9.]/g, '')).toBe('9.00');
    await pickup.click();
    await page.waitForURL(/receipt\?orderId=/, { timeout: 30_000 });
    const receipt = page.locator('#receipt');
    await receipt.waitFor();
    expect(await receipt.innerText()).toContain('王老吉凉茶');
    await b.screenshot(page, 'reservation-pickup-receipt');

    await page.goBack();
    await page.locator('#reservation-tab-picked_up').click();
    await page.locator('.reservation-card', { hasText: '刘女士' }).filter({ hasText: '已取货' }).waitFor({ timeout: 15_000 });
    // The form is ready for the next customer.
    expect(await page.locator('#reservation-create').getAttribute('disabled')).toBeNull();
    await b.screenshot(page, 'reservation-picked-up');
    await page.context().close();

    const boss = await b.newPage();
    await signIn(boss, b.url, 'o_demo_owner', '/pages/boss/index');
    await boss.locator('#open-health').click({ timeout: 30_000 });
    const score = boss.locator('#health-score');
    await score.waitFor({ timeout: 30_000 });
    expect((await score.innerText()).trim()).toMatch(/^\d{1,3}$/);
    await expect.poll(() => boss.locator('#health-components .health-row').count()).toBe(4);
    await boss.locator('#health-suggestions').waitFor();
    await b.screenshot(boss, 'inventory-health');
    await boss.locator('#health-worst').scrollIntoViewIfNeeded();
    await b.screenshot(boss, 'inventory-health-worst');
    await boss.context().close();
  });
});
