import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEnv } from '../_support/requires';
import { signIn, startBrowserStack, type BrowserStack } from '../_support/browser';
import { rebuildRollups } from '../../api/_reports/rollups';
import { businessDate } from '../../api/_kernel/clock';
import { newId } from '../../shared/ids';
import { mulberry32 } from '../../shared/prng';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

/** This month's sales so far in both demo stores, written as checkout writes them, then rolled up. */
async function seedMonth(b: BrowserStack): Promise<void> {
  const db = b.stack.deps.db;
  const seed = b.stack.seed!;
  const random = mulberry32(7);
  const today = businessDate(new Date());
  const skus = await db.selectFrom('skus').innerJoin('products', 'products.id', 'skus.product_id').select(['skus.id', 'skus.retail_price_fen', 'skus.cost_fen', 'products.name', 'products.category_id']).where('skus.merchant_id', '=', seed.merchantId).limit(40).execute();
  const sellers = [
    { store: seed.storeIds.DEMO01!, staff: seed.staffIds.assistant1! },
    { store: seed.storeIds.DEMO01!, staff: seed.staffIds.manager! },
    { store: seed.storeIds.DEMO02!, staff: seed.staffIds.assistant2! },
  ];
  for (let day = 1; day <= Number(today.slice(8, 10)); day++) {
    const date = `${today.slice(0, 8)}${String(day).padStart(2, '0')}`;
    for (const s of sellers) {
      for (let k = 0; k < 2 + Math.floor(random() * 4); k++) {
        const id = newId('order');
        const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, i) => {
          const sku = skus[Math.floor(random() * skus.length)]!;
          const qty = 1 + Math.floor(random() * 3);
          return { id: newId('order'), merchant_id: seed.merchantId, order_id: id, line_index: i, sku_id: sku.id, product_name: sku.name, spec: '', category_id: sku.category_id, qty, unit_list_fen: sku.retail_price_fen, list_fen: sku.retail_price_fen * qty, net_fen: sku.retail_price_fen * qty, cost_fen: sku.cost_fen * qty, adjustments: '[]' };
        });
        const total = lines.reduce((t, l) => t + l.net_fen, 0);
        await db.insertInto('orders').values({ id, merchant_id: seed.merchantId, store_id: s.store, staff_id: s.staff, channel: 'counter', status: 'paid', total_fen: total, business_date: date }).execute();
        await db.insertInto('order_lines').values(lines).execute();
        await db.insertInto('order_tenders').values({ id: newId('order'), merchant_id: seed.merchantId, order_id: id, store_id: s.store, method: random() < 0.5 ? 'cash' : 'wechat', amount_fen: total, business_date: date }).execute();
      }
    }
  }
  await rebuildRollups(db, seed.merchantId);
}

describe.skipIf(!chromiumPath)('sales reports on the boss screens in the H5 build', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
    await seedMonth(b);
  }, 300_000);
  afterAll(async () => b?.stop());

  it('shows this month by tab with a chart, per store side by side, and downloads a CSV', async () => {
    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_owner', '/pages/boss/index');
    await page.locator('#open-reports').click({ timeout: 30_000 });
    await page.waitForURL(/boss\/reports/);
    await page.locator('#report-body .report-row').first().waitFor({ timeout: 30_000 });
    await page.locator('#trend-chart').waitFor();
    expect(await page.locator('#report-period').innerText()).toContain('本月');
    const summary = await page.locator('#report-body .report-row').first().innerText();
    expect(summary).toMatch(/¥\d+\.\d{2}/);
    expect(summary).toContain('客单价');
    await page.waitForTimeout(800);
    await b.screenshot(page, 'reports-summary');

    await page.locator('#tab-store').click();
    await expect.poll(() => page.locator('#report-body .report-row').count(), { timeout: 15_000 }).toBe(2);
    await page.locator('#report-total').waitFor();
    expect(await page.locator('#report-body').innerText()).toContain('演示二号店');
    await b.screenshot(page, 'reports-stores');

    await page.locator('#tab-sku').click();
    await page.locator('#report-body .report-row').first().waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('#report-body .report-row').count()).toBeGreaterThan(5);
    await b.screenshot(page, 'reports-sku');

    const download = page.waitForEvent('download');
    await page.locator('#export-csv').click();
    const file = await (await download).path();
    const bytes = await readFile(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('商品,规格,条码,净销量(件),商品销售额');

    await page.locator('#period-year').click();
    await page.locator('#tab-summary').click();
    await page.locator('#trend-chart').waitFor();
    await page.locator('#report-body .report-row').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('#report-period').innerText()).toContain('近一年');
    await page.waitForTimeout(800);
    await b.screenshot(page, 'reports-year');
    await page.context().close();
  });
});
