import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireEnv } from '../_support/requires';
import { signIn, startBrowserStack, type BrowserStack } from '../_support/browser';

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');

async function rowsOf(bytes: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (typeof v === 'number' ? v.toFixed(2) : String(v ?? '')))));
  return out;
}

async function downloadBy(page: Page, id: string): Promise<Buffer> {
  const download = page.waitForEvent('download');
  await page.locator(id).click();
  return readFile(await (await download).path());
}

async function choose(page: Page, id: string, file: { name: string; mimeType: string; buffer: Buffer }) {
  const chooser = page.waitForEvent('filechooser');
  await page.locator(id).click();
  await (await chooser).setFiles(file);
}

/**
 * An owner brings a price list in from Excel on the phone (#15): a file with
 * bad rows is checked and every problem listed, nothing imported; the
 * template imports clean; the exported catalog holds the same rows; a new
 * product's opening stock goes into the store the owner picks.
 */
describe.skipIf(!chromiumPath)('the catalog import page in the H5 build', () => {
  let b: BrowserStack;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath);
  });
  afterAll(async () => b?.stop());

  it('checks a bad file, imports the template and exports the same rows', async () => {
    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_owner', '/pages/boss/index');
    await page.locator('#open-catalog-import').click({ timeout: 30_000 });
    await page.locator('#download-template').waitFor({ timeout: 30_000 });
    const template = await downloadBy(page, '#download-template');
    const templateRows = await rowsOf(template);
    expect(templateRows[0]).toEqual(['分类', '商品名称', '单位', '规格', '条码', '零售价', '会员价', '成本价', '状态', '期初库存']);
    expect(templateRows).toHaveLength(4);
    await b.screenshot(page, 'catalog-import-start');

    const bad = ['分类,商品名称,单位,规格,条码,零售价,会员价,成本价,状态', '饮料,好水,瓶,,6901234567890,2,,1,', '没有的分类,好茶,瓶,,,3,,2,', '饮料,贵水,瓶,,,两块,,1,'].join('\n');
    await choose(page, '#import-pick', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.locator('#import-problem-count').waitFor({ timeout: 30_000 });
    const problems = await page.locator('#import-problems').innerText();
    expect(problems).toContain('第 2 行 · 条码');
    expect(problems).toContain('校验位');
    expect(problems).toContain('第 3 行 · 分类');
    expect(problems).toContain('第 4 行 · 零售价');
    expect(await page.locator('#import-apply').count()).toBe(0);
    await b.screenshot(page, 'catalog-import-problems');

    await choose(page, '#import-pick', { name: '商品导入模板.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: template });
    await page.locator('#import-check', { hasText: '没有问题' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('#import-counts').innerText()).toMatch(/新商品\s*2/);
    await b.screenshot(page, 'catalog-import-checked');
    await page.locator('#import-apply').click();
    await page.locator('#import-done', { hasText: '导入完成' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('#import-done').innerText()).toMatch(/新规格\s*3/);
    await b.screenshot(page, 'catalog-import-done');

    const exported = await rowsOf(await downloadBy(page, '#import-export'));
    expect(exported[0]).toEqual(templateRows[0]);
    for (const row of templateRows.slice(1)) expect(exported).toContainEqual(row);

    // A new product with stock on hand: the owner picks the second store, the check says what is booked, the stock lands there.
    const demo02 = b.stack.seed!.storeIds.DEMO02!;
    await page.locator('#import-again').click();
    const withStock = ['分类,商品名称,单位,规格,条码,零售价,会员价,成本价,状态,期初库存', '饮料,带库存的水,瓶,,,2,,1.20,在售,36'].join('\n');
    await choose(page, '#import-pick', { name: 'stock.csv', mimeType: 'text/csv', buffer: Buffer.from(withStock) });
    await page.locator('#import-check', { hasText: '没有问题' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('#import-opening-counts').innerText()).toContain('期初库存 36 件');
    expect(await page.locator('#import-opening-counts').innerText()).toContain('¥43.20');
    const storeChips = page.locator('#import-opening .opening-store');
    expect(await storeChips.count()).toBeGreaterThan(1);
    const second = (await b.stack.deps.db.selectFrom('stores').select('name').where('id', '=', demo02).executeTakeFirstOrThrow()).name;
    await storeChips.filter({ hasText: second }).click();
    await b.screenshot(page, 'catalog-import-opening-stock');
    expect(await page.locator('#import-apply').innerText()).toContain('入库 36 件');
    await page.locator('#import-apply').click();
    await page.locator('#import-opening-done').waitFor({ timeout: 30_000 });
    expect(await page.locator('#import-opening-done').innerText()).toContain(second);
    await b.screenshot(page, 'catalog-import-opening-done');
    const level = await b.stack.deps.db
      .selectFrom('stock_levels')
      .innerJoin('skus', 'skus.id', 'stock_levels.sku_id')
      .innerJoin('products', 'products.id', 'skus.product_id')
      .select(['stock_levels.store_id', 'stock_levels.on_hand'])
      .where('products.name', '=', '带库存的水')
      .execute();
    expect(level).toEqual([{ store_id: demo02, on_hand: 36 }]);
    await page.context().close();
  });
});
