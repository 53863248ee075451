import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireEnv } from '../_support/requires';
import { pickDate, signIn, startBrowserStack, type BrowserStack } from '../_support/browser';
import { issueLoginCode } from '../../tools/sandbox/client';
import { businessDate } from '../../api/_kernel/clock';
import { newId } from '../../shared/ids';
import { fenToYuan, formatFen } from '../../shared/money';
import { wechatBill, type GenLine } from '../reconcile/bill-gen';

/**
 * The owner's money after the sale, in the H5 build: a split rule written on
 * the page, a shopper's WeChat payment split by the payments cron through
 * the sandbox, the split log opened from the payment and from a receiver and
 * exported; then a day's WeChat bill with planted differences uploaded on the
 * reconcile page, the run's exceptions drilled into and resolved, and the
 * report downloaded as CSV and XLSX.
 */

const chromiumPath = requireEnv('GUITAI_TEST_CHROMIUM', 'no Chromium on this machine');
const cronSecret = 'browser-cron-secret';
const landlord = { name: '万达广场管理有限公司', account: '1900000201', percent: '20', bp: 2000 };
const brand = { name: '品牌方有限公司', account: '1900000202', percent: '10', bp: 1000 };
const expectedFee = (amount: number) => Math.floor((amount * 6000 + 500_000) / 1_000_000);
const yuan = (fen: number) => formatFen(fen);
const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const download = page.waitForEvent('download', { timeout: 30_000 });
  await click();
  const d = await download;
  return { name: d.suggestedFilename(), bytes: await readFile((await d.path())!) };
}

describe.skipIf(!chromiumPath)('split (分账) and reconciliation (对账) on the boss pages in the H5 build', () => {
  let b: BrowserStack;
  let orderId = '';
  let paymentId = '';
  let paidFen = 0;

  beforeAll(async () => {
    b = await startBrowserStack(chromiumPath, { env: { CRON_SECRET: cronSecret } });
    // The sandbox lets a trade be split at once; our own minute is passed by moving the API's clock.
    const res = await fetch(`${b.stack.sandboxUrl}/sandbox/wechat/split-settings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ splitAfterMs: 0, failAccounts: [] }) });
    expect(res.status).toBe(200);
  }, 600_000);
  afterAll(async () => b?.stop());

  /** The API as the mini-program calls it, signed in through the sandbox. */
  async function api(openId: string) {
    const code = await issueLoginCode(b.stack.sandboxUrl, { platform: 'wechat', appId: b.stack.env.WECHAT_APPID!, userId: openId });
    const login = await fetch(`${b.url}/api/auth/staff/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'wechat', code }) });
    const { token } = (await login.json()) as { token: string };
    return async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${b.url}${p}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: res.status, body: (await res.json()) as any };
    };
  }

  it('the owner writes a split rule with two receivers on the page; a share over the platform cap is refused with the reason', async () => {
    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_owner', '/pages/boss/index');
    await page.locator('#open-split').click({ timeout: 30_000 });
    await page.locator('#split-rules .muted', { hasText: '还没有分账规则' }).waitFor({ timeout: 30_000 });
    await page.locator('#split-new-rule').click();
    await page.locator('#split-rule-form').waitFor({ timeout: 15_000 });
    await page.locator('#rule-store-DEMO01').click();

    const fill = async (i: number, r: typeof landlord, kind: string) => {
      await page.locator(`#receiver-${i}-name input`).fill(r.name);
      await page.locator(`#receiver-${i}-kind-${kind}`).click();
      await page.locator(`#receiver-${i}-channel-wechat`).click();
      await page.locator(`#receiver-${i}-type-MERCHANT_ID`).click();
      await page.locator(`#receiver-${i}-account input`).fill(r.account);
      await page.locator(`#receiver-${i}-share input`).fill(r.percent);
    };
    await fill(0, landlord, 'landlord');
    await page.locator('#rule-add-receiver').click();
    await fill(1, { ...brand, percent: '15' }, 'brand');
    await page.locator('#rule-note input').fill('万达店租金分成与品牌分成');
    await b.screenshot(page, 'split-rule-form');

    // 20% + 15% is more than WeChat lets be split away from one payment.
    await page.locator('#rule-save').click();
    await page.locator('#rule-error', { hasText: '超过平台上限 30%' }).waitFor({ timeout: 15_000 });
    await b.screenshot(page, 'split-rule-refused');
    await page.locator('#receiver-1-share input').fill(brand.percent);
    await page.locator('#rule-save').click();

    await page.locator('#split-rules .split-rule').first().waitFor({ timeout: 30_000 });
    const rule = await page.locator('#split-rules .split-rule').first().innerText();
    expect(rule).toContain('演示一号店（国贸） · 第 1 版');
    expect(rule).toContain(`${landlord.name}（微信 ${landlord.account}）`);
    expect(rule).toContain('20.00%');
    expect(rule).toContain('10.00%');
    await b.screenshot(page, 'split-rules');
    await page.context().close();
  });

  it('a shopper pays by WeChat in the sandbox; the payments cron splits it, and the owner reads and exports the log from the payment', async () => {
    const shop = await b.newPage();
    await shop.goto(`${b.url}/#/pages/shop/home/index?store=DEMO01`);
    await shop.locator('.product-link').first().click({ timeout: 30_000 });
    await shop.locator('#product-add').click({ timeout: 15_000 });
    await shop.locator('#product-go-cart').click();
    await expect.poll(async () => (await shop.locator('#cart-total').locator('..').innerText()).includes('应付'), { timeout: 30_000 }).toBe(true);
    await shop.locator('#pay-wechat').click();
    await shop.waitForURL(/shop\/order\/index\?orderId=/, { timeout: 30_000 });
    await shop.locator('#shop-order[data-status="paid"]').waitFor({ timeout: 60_000 });
    orderId = new URL(shop.url().replace('/#/', '/')).searchParams.get('orderId') ?? '';
    await shop.context().close();

    const payment = await b.stack.deps.db.selectFrom('payments').selectAll().where('order_id', '=', orderId).where('status', '=', 'succeeded').executeTakeFirstOrThrow();
    expect(payment.profit_sharing).toBe(true);
    paymentId = payment.id;
    paidFen = payment.amount_fen;

    // The platforms split no sooner than a minute after payment: the cron runs as if that minute had passed.
    const realClock = b.stack.deps.clock;
    b.stack.deps.clock = () => new Date(realClock().getTime() + 65_000);
    try {
      for (let i = 0; i < 3; i++) {
        const cron = await fetch(`${b.url}/api/cron/payments`, { headers: { authorization: `Bearer ${cronSecret}` } });
        expect(cron.status).toBe(200);
        const split = await b.stack.deps.db.selectFrom('payment_splits').select('status').where('payment_id', '=', paymentId).executeTakeFirst();
        if (split?.status === 'unfrozen') break;
      }
    } finally {
      b.stack.deps.clock = realClock;
    }
    const split = await b.stack.deps.db.selectFrom('payment_splits').selectAll().where('payment_id', '=', paymentId).executeTakeFirstOrThrow();
    expect(split.status).toBe('unfrozen');
    const landlordFen = Math.floor((paidFen * landlord.bp) / 10_000);
    const brandFen = Math.floor((paidFen * (landlord.bp + brand.bp)) / 10_000) - landlordFen;
    expect(Number(split.split_fen)).toBe(landlordFen + brandFen);

    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_owner', '/pages/boss/index');
    await page.locator('#open-payments').waitFor({ timeout: 30_000 });
    await page.goto(`${b.url}/#/pages/boss/payments/trail?orderId=${orderId}`);
    await page.locator('#order-attempts .trail-item').first().click({ timeout: 30_000 });
    await page.locator('#trail-payment[data-status="succeeded"]').waitFor({ timeout: 30_000 });
    await page.locator('#trail-split-log').click();
    await page.locator('#split-log .split-log-row[data-event="unfreeze"]').waitFor({ timeout: 30_000 });
    const events = await page.locator('#split-log .split-log-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event')));
    expect(events).toEqual(['calculated', 'requested', 'result', 'result', 'unfreeze']);
    const log = await page.locator('#split-log').innerText();
    expect(log).toContain(paymentId);
    expect(log).toContain(`分账结果 ${landlord.name} 成功`);
    expect(log).toContain(yuan(landlordFen));
    expect(log).toContain(yuan(brandFen));
    expect(log).toContain(yuan(paidFen - landlordFen - brandFen));
    // Times are Beijing wall time, as the owner lives them.
    expect(log).toContain(businessDate(new Date()));
    await b.screenshot(page, 'split-log-payment');

    const csv = await downloaded(page, () => page.locator('#split-log-export').click());
    expect(csv.name).toBe(`分账日志-${paymentId}.csv`);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.bytes.subarray(3).toString('utf8');
    expect(text.startsWith('时间,支付单号,事件,接收方,接收方账号,金额（元）,结果,说明\r\n')).toBe(true);
    expect(text).toContain(`,${paymentId},分账结果,${landlord.name},${landlord.account},${fenToYuan(landlordFen)},success,`);
    expect(text).toContain(`,解冻剩余资金,,,${fenToYuan(paidFen - landlordFen - brandFen)},`);
    expect(text.trim().split('\r\n')).toHaveLength(6);
    await page.context().close();
  }, 240_000);

  it('the owner opens a receiver\'s split log from the rule and exports it', async () => {
    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_owner', '/pages/boss/index');
    await page.locator('#open-split').click({ timeout: 30_000 });
    const receiver = page.locator(`#split-rules [data-account="${brand.account}"]`).first();
    await receiver.click({ timeout: 30_000 });
    await page.locator('#split-log-subject', { hasText: `接收方 ${brand.name}` }).waitFor({ timeout: 15_000 });
    await page.locator('#split-log .split-log-row').first().waitFor({ timeout: 15_000 });
    const rows = await page.locator('#split-log .split-log-row').allInnerTexts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(`分账结果 ${brand.name} 成功`);
    expect(rows[0]).toContain(paymentId);
    await page.locator('#split-log').scrollIntoViewIfNeeded();
    await b.screenshot(page, 'split-log-receiver');
    const csv = await downloaded(page, () => page.locator('#split-log-export').click());
    expect(csv.name).toBe(`分账日志-${brand.name}.csv`);
    const lines = csv.bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,${paymentId},分账结果,${brand.name},${brand.account},`);
    await page.context().close();
  });

  it('the owner uploads a day\'s WeChat bill with planted differences, drills into one, resolves it with a note and downloads the report', async () => {
    expect(paymentId).toMatch(/^pay_/);
    // A second payment at the counter, by QR, so the bill has a line that simply matches.
    const assistant = await api('o_demo_assistant_1');
    const storeId = b.stack.seed!.storeIds.DEMO01!;
    const tea = (await assistant('GET', `/api/stores/${storeId}/products?q=wlj`)).body.items[0].skus[0] as { id: string; retailPriceFen: number };
    const created = await assistant('POST', '/api/orders', { clientOrderId: newId('order'), storeId, lines: [{ skuId: tea.id, qty: 2 }], tenders: [], expectedTotalFen: tea.retailPriceFen * 2, awaitPayment: true });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const qr = await assistant('POST', `/api/orders/${created.body.order.id}/payments`, { clientPaymentId: newId('payment'), mode: 'qr', channel: 'wechat' });
    expect(qr.status).toBe(201);
    const paid = await fetch(`${b.stack.sandboxUrl}/sandbox/wechat/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ codeUrl: qr.body.payment.codeUrl }) });
    expect(paid.status).toBe(200);
    await expect.poll(async () => (await b.stack.deps.db.selectFrom('payments').select('status').where('id', '=', qr.body.payment.id).executeTakeFirstOrThrow()).status, { timeout: 30_000 }).toBe('succeeded');

    // The bill: every WeChat payment of the day, the shopper's with 5 fen more fee than 0.6 %, and a trade we never had.
    const day = businessDate(new Date());
    const payments = await b.stack.deps.db.selectFrom('payments').selectAll().where('channel', '=', 'wechat').where('status', '=', 'succeeded').orderBy('succeeded_at').execute();
    const shopperOutNo = payments.find((p) => p.id === paymentId)!.out_trade_no;
    const lines: GenLine[] = payments.map((p) => ({ kind: 'payment', outNo: p.out_trade_no, outTradeNo: p.out_trade_no, amountFen: p.amount_fen, feeFen: expectedFee(p.amount_fen) + (p.id === paymentId ? 5 : 0), at: p.succeeded_at!, status: 'SUCCESS', platformNo: p.platform_trade_no! }));
    const stranger = { outNo: 'wx_unknown_20261123_0001', amountFen: 1288 };
    lines.push({ kind: 'payment', outNo: stranger.outNo, outTradeNo: stranger.outNo, amountFen: stranger.amountFen, feeFen: expectedFee(stranger.amountFen), at: new Date(), status: 'SUCCESS', platformNo: '4200000000202611230001' });
    const billFile = path.join(await mkdtemp(path.join(tmpdir(), 'guitai-bill-')), `wechat-${day}.csv`);
    // The bill is the shop's own account's (#18: a bill naming another merchant number is refused).
    await writeFile(billFile, wechatBill(lines, { appId: b.stack.env.WECHAT_APPID!, mchId: b.stack.env.WECHATPAY_MCHID! }));
    const payFen = lines.reduce((t, l) => t + l.amountFen, 0);
    const feeFen = lines.reduce((t, l) => t + l.feeFen, 0);

    const page = await b.newPage();
    await signIn(page, b.url, 'o_demo_owner', '/pages/boss/index');
    await page.locator('#open-reconcile').click({ timeout: 30_000 });
    await page.locator('#reconcile-runs', { hasText: '还没有对账记录' }).waitFor({ timeout: 30_000 });
    await page.locator('#bill-channel-wechat').click();
    await pickDate(page, '#bill-date', day);
    await b.screenshot(page, 'reconcile-upload');
    const chooser = page.waitForEvent('filechooser');
    await page.locator('#bill-upload-pick').click();
    await (await chooser).setFiles(billFile);

    await page.waitForURL(/reconcile\/run\?runId=/, { timeout: 60_000 });
    await page.locator('#run-status', { hasText: '2 条差异待处理' }).waitFor({ timeout: 30_000 });
    const summary = await page.locator('#reconcile-run').innerText();
    expect(summary).toMatch(new RegExp(`收款\\s+${esc(yuan(payFen))}`));
    expect(summary).toMatch(new RegExp(`手续费\\s+${esc(yuan(feeFen))}`));
    expect(await page.locator('#run-net').innerText()).toBe(yuan(payFen - feeFen));
    expect(summary).toMatch(/(^|\n)一致\s+1\n/);
    expect(summary).toMatch(/手续费差异\s+1\n/);
    expect(summary).toMatch(/系统缺失（平台有，系统无）\s+1\n/);
    const feeItem = page.locator('.rc-exception[data-class="fee_difference"]');
    const feeText = await feeItem.innerText();
    expect(feeText).toContain(shopperOutNo);
    const shopperFee = expectedFee(paidFen);
    expect(feeText).toContain(`手续费 账单 ${yuan(shopperFee + 5)} / 应为 ${yuan(shopperFee)}`);
    expect(await page.locator('.rc-exception[data-class="missing_in_system"]').innerText()).toContain(`账单 ${yuan(stranger.amountFen)} / 系统 —`);
    await b.screenshot(page, 'reconcile-run');

    // Drill down: the payment behind the difference, with the notification that settled it.
    await feeItem.locator('.rc-trail').click();
    await page.locator('#trail-payment[data-status="succeeded"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#trail-payment').innerText()).toContain(yuan(paidFen));
    await page.locator('#trail-notifications .trail-notification').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('#trail-notifications').innerText()).toContain('支付通知');
    await b.screenshot(page, 'reconcile-drill-payment');
    await page.goBack();

    await page.locator('.rc-exception[data-class="fee_difference"] .rc-resolve-open').click({ timeout: 30_000 });
    await page.locator('#resolve-note input').fill('已与微信支付核实，按账单手续费入账');
    await page.locator('#resolve-submit').click();
    await page.locator('.rc-exception[data-class="fee_difference"][data-resolved="yes"]').waitFor({ timeout: 30_000 });
    const resolution = await page.locator('.rc-exception[data-class="fee_difference"] .rc-resolution').innerText();
    expect(resolution).toMatch(new RegExp(`^说明：已与微信支付核实，按账单手续费入账（王老板 ${day} \\d{2}:\\d{2}）$`));
    await page.locator('#run-status', { hasText: '1 条差异待处理' }).waitFor({ timeout: 15_000 });
    await b.screenshot(page, 'reconcile-resolved');

    const csv = await downloaded(page, () => page.locator('#run-export-csv').click());
    expect(csv.name).toBe(`对账-微信支付-${day}.csv`);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.bytes.subarray(3).toString('utf8');
    expect(text).toContain(`收款（元）,${fenToYuan(payFen)}\r\n`);
    expect(text).toContain(`净结算（元）,${fenToYuan(payFen - feeFen)}\r\n`);
    expect(text).toContain('类型,商户单号,分类,处理,账单状态,系统状态,账单金额（元）,系统金额（元）,账单手续费（元）,应收手续费（元）,处理备注,处理人,处理时间');
    expect(text).toMatch(new RegExp(`支付,${shopperOutNo},手续费差异,已处理,SUCCESS,succeeded,${fenToYuan(paidFen)},${fenToYuan(paidFen)},${fenToYuan(shopperFee + 5)},${fenToYuan(shopperFee)},已与微信支付核实，按账单手续费入账,王老板,${day} \\d{2}:\\d{2}:\\d{2}`));
    expect(text).toContain(`支付,${stranger.outNo},系统缺失（平台有，系统无）,待处理,SUCCESS,,${fenToYuan(stranger.amountFen)},,`);

    const xlsx = await downloaded(page, () => page.locator('#run-export-xlsx').click());
    expect(xlsx.name).toBe(`对账-微信支付-${day}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const sums = new Map<string, unknown>();
    wb.getWorksheet('汇总')!.eachRow((row) => sums.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(sums.get('手续费（元）')).toBe(Number(fenToYuan(feeFen)));
    expect(sums.get('净结算（元）')).toBe(Number(fenToYuan(payFen - feeFen)));
    expect(sums.get('手续费差异')).toBe('1');
    const detail = wb.getWorksheet('差异明细')!;
    expect(detail.rowCount).toBe(3);
    const feeRow = [2, 3].map((n) => detail.getRow(n)).find((r) => r.getCell(3).value === '手续费差异')!;
    expect(feeRow.getCell(9).value).toBe(Number(fenToYuan(shopperFee + 5)));
    expect(feeRow.getCell(12).value).toBe('王老板');

    // The boss area lists the latest run with its status.
    await page.goBack();
    // The list reloads when the page shows again; until then it may still show the run before the resolution.
    await page.locator('#reconcile-runs .rc-run', { hasText: '1 条差异待处理' }).first().waitFor({ timeout: 30_000 });
    const runs = await page.locator('#reconcile-runs').innerText();
    expect(runs).toContain(`${day} · 微信支付`);
    expect(runs).toContain('1 条差异待处理');
    expect(runs).toContain(`净结算 ${yuan(payFen - feeFen)}`);
    await b.screenshot(page, 'reconcile-runs');
    await page.context().close();
  }, 240_000);
});
