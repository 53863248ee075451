import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEnv } from '../_support/requires';
import { type BrowserStack, openCart, signIn, startBrowserStack } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

/**
 * An assistant gives 30% off a line (their limit is 10%): the counter says
 * so before sending, the manager makes a code on the approvals page, the
 * assistant types it and the sale goes through; the code works once.
 */
describe.skipIf(!chromiumPath)('a hand discount above the assistant’s limit in the H5 build', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  it('asks for the manager’s code, takes it once, and bills the sale', async () => {
    const counter = await b.newPage();
    await signIn(counter, b.url, 'o_demo_assistant_1', '/pages/counter/index');
    await counter.locator('#counter-staff').filter({ hasText: '店员小王' }).waitFor({ timeout: 30_000 });
    await counter.locator('#product-search input').fill('王老吉');
    await counter.locator('.product-item', { hasText: '王老吉凉茶' }).first().click({ timeout: 15_000 });
    await openCart(counter);
    await counter.locator('.line-discount').first().click();
    await counter.locator('.discount-value input').fill('30');
    await counter.locator('.discount-reason input').fill('临期');
    await counter.locator('.discount-apply').click();
    await counter.locator('#discount-approval').waitFor({ timeout: 15_000 });
    expect(await counter.locator('#discount-approval').innerText()).toContain('单品最多减 10%');
    await b.screenshot(counter, 'hand-discount-needs-code');

    const manager = await b.newPage();
    await signIn(manager, b.url, 'o_demo_manager', '/pages/counter/returns');
    await manager.locator('#approve-discount').waitFor({ timeout: 30_000 });
    await manager.locator('#approve-discount-amount input').fill('5');
    await manager.locator('#approve-discount-note input').fill('临期处理');
    await manager.locator('#approve-discount-make').click();
    const code = (await manager.locator('#approve-discount-code .pickup-code-big').innerText({ timeout: 15_000 })).trim();
    expect(code).toMatch(/^\d{6}$/);
    await b.screenshot(manager, 'hand-discount-code');
    await manager.context().close();

    await counter.locator('#discount-approval-code input').fill(code);
    await counter.locator('.cash-note').last().click();
    await counter.locator('#checkout').click();
    await counter.waitForURL(/receipt\?orderId=/, { timeout: 30_000 });
    expect(await counter.locator('#receipt').innerText()).toContain('临期');
    await counter.context().close();
  });
});
