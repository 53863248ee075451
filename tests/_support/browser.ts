import { mkdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startStack, type Stack } from '../../tools/stack';
import { ensureH5Build, h5Dist } from '../../tools/h5-build';

export { h5Dist };

const root = path.resolve(import.meta.dirname, '../..');
export const screenshotDir = path.join(root, 'tests/output/screenshots');

/** Chromium flags that keep it off this machine's closed network. */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserStack {
  stack: Stack;
  browser: Browser;
  url: string;
  newPage(): Promise<Page>;
  screenshot(page: Page, name: string): Promise<string>;
  stop(): Promise<void>;
}

/** The built H5 pages and the API on one origin, a fresh embedded database, and headless Chromium. */
export async function startBrowserStack(chromiumPath: string, options: { env?: Record<string, string> } = {}): Promise<BrowserStack> {
  ensureH5Build();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'guitai-browser-'));
  const stack = await startStack({
    dataDir,
    databaseUrl: 'pglite:memory',
    staticDir: h5Dist,
    env: { LOG_LEVEL: 'warn', SESSION_SECRET: 'browser-secret-browser-secret-browser-0', ...options.env },
  });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  mkdirSync(screenshotDir, { recursive: true });
  return {
    stack,
    browser,
    url: stack.apiUrl,
    newPage: async () => {
      // A phone-sized viewport: this is a mini-program.
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' });
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
      return page;
    },
    screenshot: async (page, name) => {
      // Taro's H5 router slides a new page in from the right; wait until every page has come to rest.
      await page.waitForFunction(() => [...document.querySelectorAll('.taro_page')].every((el) => Math.abs(el.getBoundingClientRect().left) < 1 || getComputedStyle(el).display === 'none'), undefined, { timeout: 10_000 }).catch(() => undefined);
      await page.waitForTimeout(300);
      const file = path.join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    stop: async () => {
      await browser.close();
      await stack.stop();
    },
  };
}

/** Signs in on the H5 build as a demo person (the sandbox plays the platform) and lands on `target`. */
export async function signIn(page: Page, base: string, userId: string, target: string) {
  await page.goto(`${base}/#/pages/sign-in/index?redirect=${encodeURIComponent(target)}`);
  await page.locator(`#sandbox-user-${userId}`).click({ timeout: 30_000 });
  await page.locator('#sign-in').click();
}

/** Adds a product to the counter's bill by searching for it, choosing its first SKU when it has several. */
export async function addProduct(page: Page, search: string, name: string) {
  await page.locator('#product-search input').fill(search);
  await page.locator('.product-item', { hasText: name }).first().click({ timeout: 15_000 });
  const chooser = page.locator('#sku-chooser');
  if (await chooser.isVisible().catch(() => false)) await chooser.locator('.sku-option').first().click();
}

/** Opens the counter's cart sheet from the bottom bar (lines, 整单优惠, member and payment), unless it is open already. */
export async function openCart(page: Page) {
  const sheet = page.locator('#cart-sheet');
  if (await sheet.isVisible().catch(() => false)) return;
  await page.locator('#bar-summary').click();
  await sheet.waitFor({ timeout: 10_000 });
}

/**
 * Chooses a date in one of the boss pages' date fields (a Taro Picker in date
 * mode, under the element `selector`): the picker's wheels are for thumbs, so
 * the test sends the change event the picker sends when 确定 is tapped.
 */
export async function pickDate(page: Page, selector: string, date: string) {
  const picker = page.locator(`${selector} taro-picker-core`);
  await picker.waitFor({ state: 'attached', timeout: 30_000 });
  await picker.evaluate((el, value) => el.dispatchEvent(new CustomEvent('change', { detail: { value }, bubbles: true })), date);
  await page.locator(selector, { hasText: date }).waitFor({ timeout: 10_000 });
}
