// Screenshots of the H5 build's first screens, for a person to look at:
// `npx tsx tools/screenshot.ts [baseUrl]` with `npm run dev` running. PNGs go to tests/output/screens/.
import { mkdir } from 'node:fs/promises';
import { chromium, type Page } from 'playwright-core';

const base = process.argv[2] ?? `http://127.0.0.1:${process.env.H5_PORT ?? 10086}`;
const outDir = new URL('../tests/output/screens/', import.meta.url);
const settle_ms = 1500;
const wait_ms = 20_000;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
await mkdir(outDir, { recursive: true });

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(settle_ms);
  const file = new URL(`${name}.png`, outDir);
  await page.screenshot({ path: file.pathname });
  console.log(file.pathname);
}

async function signIn(page: Page, userId: string, target: string): Promise<void> {
  await page.goto(`${base}/#/pages/sign-in/index?redirect=${encodeURIComponent(target)}`);
  await page.locator(`#sandbox-user-${userId}`).click({ timeout: wait_ms });
  await page.locator('#sign-in').click();
  await page.waitForURL((url) => url.hash.startsWith(`#${target}`), { timeout: wait_ms });
}

try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && console.error('[page]', m.text()));

  await page.goto(`${base}/#/pages/shop/home/index?store=DEMO01`);
  await page.locator('.shop-product').first().waitFor({ timeout: wait_ms });
  await shot(page, 'shop-home');

  await page.goto(`${base}/#/pages/shop/category/index`);
  await page.locator('.category-product').first().waitFor({ timeout: wait_ms });
  await shot(page, 'shop-category');

  await page.goto(`${base}/#/pages/shop/me/index`);
  await page.locator('#go-counter').waitFor({ timeout: wait_ms });
  await shot(page, 'shop-me');

  await page.goto(`${base}/#/pages/sign-in/index`);
  await page.locator('#sandbox-user-o_demo_assistant_1').waitFor({ timeout: wait_ms });
  await shot(page, 'sign-in');

  await signIn(page, 'o_demo_assistant_1', '/pages/counter/index');
  await page.locator('.product-item').first().waitFor({ timeout: wait_ms });
  console.log('counter:', await page.locator('#counter-staff').innerText(), '|', await page.locator('#counter-store').innerText());
  await shot(page, 'counter');

  await page.evaluate(() => localStorage.clear());
  await signIn(page, 'o_demo_owner', '/pages/boss/index');
  await page.locator('#takings-total').filter({ hasText: '¥' }).waitFor({ timeout: wait_ms });
  console.log('boss takings:', await page.locator('#takings-total').innerText());
  await shot(page, 'boss');

  // No orders exist yet, so the chart is drawn from a stand-in answer to check the F2 wrapper on H5.
  await page.route('**/api/boss/today*', async (route) => {
    const real = (await (await route.fetch()).json()) as Record<string, unknown>;
    const byTender = [
      { tender: 'wechat', fen: 128_800 },
      { tender: 'alipay', fen: 56_050 },
      { tender: 'cash', fen: 23_300 },
    ];
    await route.fulfill({ json: { ...real, takingsFen: 208_150, orderCount: 37, avgTicketFen: 5_626, byTender } });
  });
  await page.reload();
  await page.locator('#tender-chart').waitFor({ timeout: wait_ms });
  await shot(page, 'boss-chart');
} finally {
  await browser.close();
}
