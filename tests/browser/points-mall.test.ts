import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEnv } from '../_support/requires';
import { signIn, startBrowserStack, type BrowserStack } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

describe.skipIf(!chromiumPath)('points mall and referral on screen (积分商城、老带新)', () => {
  let b: BrowserStack;
  let code = '';
  let sharePath = '';

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  it('the owner makes a SKU a gift for points and turns referral rewards on', async () => {
    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_owner', '/pages/setup/gifts');
    await page.locator('#gift-list').filter({ hasText: '还没有礼品' }).waitFor({ timeout: 30_000 });
    await page.locator('#gift-search input').fill('cmyltx');
    await page.locator('#gift-search-go').click();
    await page.locator('.s-row', { hasText: '选为礼品' }).first().click({ timeout: 15_000 });
    await page.locator('#gift-name input').fill('积分换T恤');
    await page.locator('#gift-points input').fill('0');
    await page.locator('#gift-save').click();
    // The phone checks with the API's own schema before sending, and names the field.
    await page.locator('#gift-form .field-error', { hasText: '所需积分至少 1' }).waitFor({ timeout: 10_000 });
    await page.locator('#gift-points input').fill('500');
    await page.locator('#gift-perMember input').fill('2');
    await page.locator('#gift-save').click();
    const row = page.locator('#gift-list .s-row[data-gift="积分换T恤"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.innerText()).toContain('500 积分');
    expect(await row.innerText()).toContain('每人限兑 2 件');
    await b.screenshot(page, 'mall-owner-gifts');

    // A coupon for the new member's reward, made on the coupons screen.
    await page.goto(`${b.url}/#/pages/setup/coupons`);
    await page.locator('#coupon-new').click({ timeout: 30_000 });
    await page.locator('#coupon-name input').fill('邀请见面礼');
    await page.locator('#coupon-offYuan input').fill('2');
    await page.locator('#coupon-save').click();
    await page.locator('[data-coupon="邀请见面礼"]').waitFor({ timeout: 30_000 });

    await page.goto(`${b.url}/#/pages/setup/referrals`);
    await page.locator('#referral-settings').waitFor({ timeout: 30_000 });
    await page.locator('#referral-enabled').click();
    await page.locator('#referral-referrerPoints input').fill('100');
    await page.locator('#referral-refereePoints input').fill('50');
    await page.locator('#referral-dailyCap input').fill('3');
    // The picker's wheels are for thumbs: the test sends the change the picker sends on 确定 (the first choice is 不送券).
    const refereeCoupon = page.locator('#referral-refereeCouponTemplateId taro-picker-core');
    await page.locator('#referral-refereeCouponTemplateId', { hasText: '不送券' }).waitFor({ timeout: 15_000 });
    await refereeCoupon.evaluate((el) => el.dispatchEvent(new CustomEvent('change', { detail: { value: 1 }, bubbles: true })));
    await page.locator('#referral-refereeCouponTemplateId', { hasText: '邀请见面礼' }).waitFor({ timeout: 10_000 });
    await page.locator('#referral-save').click();
    await page.locator('#referral-saved').waitFor({ timeout: 15_000 });
    // Read back from the server: the choice was saved.
    await page.reload();
    await page.locator('#referral-refereeCouponTemplateId', { hasText: '邀请见面礼' }).waitFor({ timeout: 30_000 });
    await page.locator('#referral-referrerCouponTemplateId', { hasText: '不送券' }).waitFor({ timeout: 10_000 });
    await b.screenshot(page, 'mall-owner-referral-settings');
    await page.context().close();
  });

  it('a member redeems the gift in the shop and gets a pickup code; the points go down at once', async () => {
    const page = await b.newPage();
    await page.goto(`${b.url}/#/pages/shop/home/index?store=DEMO01`);
    await page.locator('.product-link').first().waitFor({ timeout: 30_000 });
    await page.goto(`${b.url}/#/pages/member/mall`);
    const gift = page.locator('#mall-gifts .m-gift[data-gift="积分换T恤"]');
    await gift.waitFor({ timeout: 30_000 });
    await page.locator('#mall-points-balance').filter({ hasText: '1280' }).waitFor({ timeout: 15_000 });
    await b.screenshot(page, 'mall-shop-gifts');
    await gift.locator('.m-redeem').click();
    await page.locator('#mall-message', { hasText: '兑换成功' }).waitFor({ timeout: 15_000 });
    await page.locator('#mall-points-balance').filter({ hasText: '780' }).waitFor({ timeout: 15_000 });
    const waiting = page.locator('#mall-redemptions [data-status="awaiting_pickup"] .m-code');
    code = (await waiting.first().innerText()).trim();
    expect(code).toMatch(/^\d{8}$/);
    await page.locator('#mall-redemptions').scrollIntoViewIfNeeded();
    await b.screenshot(page, 'mall-shop-redeemed');
    await page.context().close();
  });

  it('the counter types the gift code and hands it over; the member sees it picked up', async () => {
    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_assistant_1', '/pages/counter/index');
    await page.locator('#counter-staff').filter({ hasText: '店员小王' }).waitFor({ timeout: 30_000 });
    await page.locator('#pickup-link').click();
    await page.locator('#pickup-code-input input').fill(code);
    await page.locator('#handover').click();
    const done = page.locator('#gift-handover-done');
    await done.waitFor({ timeout: 15_000 });
    expect(await done.innerText()).toContain('积分换T恤 × 1');
    await b.screenshot(page, 'mall-counter-gift-handed-over');
    // The same code again is refused: the gift was handed over once.
    await page.locator('#pickup-code-input input').fill(code);
    await page.locator('#handover').click();
    await page.locator('#handover-error', { hasText: '已领取' }).waitFor({ timeout: 15_000 });
    await page.context().close();

    const row = await b.stack.deps.db.selectFrom('mall_redemptions').select('status').where('pickup_code', '=', code).executeTakeFirstOrThrow();
    expect(row.status).toBe('picked_up');
  });

  it('a member shares an invitation; a new friend who opens it is recorded as referred', async () => {
    const page = await b.newPage();
    await page.goto(`${b.url}/#/pages/shop/home/index?store=DEMO01`);
    await page.locator('.product-link').first().waitFor({ timeout: 30_000 });
    await page.goto(`${b.url}/#/pages/member/invite`);
    const path = page.locator('#invite-path');
    await path.waitFor({ timeout: 30_000 });
    sharePath = (await path.getAttribute('data-path')) ?? '';
    expect(sharePath).toMatch(/^\/pages\/member\/welcome\?ref=v1\.[^&]+&store=DEMO01$/);
    expect(sharePath).not.toContain('mbr_');
    await b.screenshot(page, 'mall-invite');
    await page.context().close();

    const friend = await b.newPage();
    await friend.addInitScript(() => localStorage.setItem('guitai.sandbox.shopper', 'o_new_friend_1'));
    await friend.goto(`${b.url}/#${sharePath}`);
    await friend.locator('#welcome-note', { hasText: '首次付款后' }).waitFor({ timeout: 30_000 });
    await b.screenshot(friend, 'mall-invite-welcome');
    await friend.context().close();
    const referral = await b.stack.deps.db.selectFrom('referrals').select('status').executeTakeFirstOrThrow();
    expect(referral.status).toBe('pending');
  });
});
