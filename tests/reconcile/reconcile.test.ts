import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { findSku, orderId } from '../_support/selling';
import { fakeChannels, type FakeChannel } from '../_support/fake-channel';
import { seedOtherMerchant } from '../_support/other-merchant';
import { newId } from '../../shared/ids';
import { checkoutResponse } from '../../shared/api/orders';
import { paymentResponse } from '../../shared/api/payments';
import { billUploadResponse, reconcileItemsResponse, reconcileReport, reconcileRunView, type ReconcileClassName } from '../../shared/api/reconcile';
import { alipayBillZip, wechatBill, type GenLine } from './bill-gen';

const CRON = { authorization: 'Bearer test-cron-secret' };
const DAY = '2026-11-22';
const dayStart = Date.parse('2026-11-21T16:00:00Z');
const dayEnd = dayStart + 86_400_000;
const N = 1000;

type Channel = 'wechat' | 'alipay';
const expectedFee = (amount: number) => Math.floor((amount * 6000 + 500_000) / 1_000_000);

/**
 * 1,000 payments of one channel planted in the database and a bill of about
 * 1,000 lines against them, with every class planted on purpose; returns the
 * bill and the class each record must land in.
 */
async function plant(api: TestApi, channel: Channel, storeId: string) {
  const merchantId = api.seed.merchantId;
  const lines: GenLine[] = [];
  const expected = new Map<string, ReconcileClassName>();
  const repairs = new Map<string, 'adjusted' | 'exception' | 'settled'>();
  const orders = [];
  const payments = [];
  const refunds = [];
  for (let i = 0; i < N; i++) {
    const k = i % 100;
    const amount = 100 + ((i * 37) % 9000);
    const outNo = `${channel}_G_${i}`;
    const oid = newId('order');
    const pid = newId('payment');
    let succeededAt = new Date(dayStart + 30 * 60_000 + i * 60_000);
    let status: 'succeeded' | 'closed' = 'succeeded';
    let cls: ReconcileClassName = 'matched';
    const line: GenLine = { kind: 'payment', outNo, outTradeNo: outNo, amountFen: amount, feeFen: expectedFee(amount), at: succeededAt, status: 'SUCCESS', platformNo: `P${channel}${i}` };
    let inBill = true;
    if (k === 1) {
      inBill = false;
      cls = 'missing_in_bill';
    } else if (k === 2) {
      const foreign = `${channel}_X_${i}`;
      lines.push({ ...line, outNo: foreign, outTradeNo: foreign });
      expected.set(`payment:${foreign}`, 'missing_in_system');
      repairs.set(`payment:${foreign}`, 'exception');
    } else if (k === 3) {
      line.amountFen += 100;
      cls = 'amount_mismatch';
      repairs.set(`payment:${outNo}`, 'exception');
    } else if (k === 4) {
      line.amountFen += 3;
      cls = 'amount_mismatch';
      repairs.set(`payment:${outNo}`, 'adjusted');
    } else if (k === 5 && channel === 'wechat') {
      line.status = 'REVOKED';
      cls = 'status_mismatch';
      repairs.set(`payment:${outNo}`, 'exception');
    } else if (k === 6) {
      line.feeFen += 5;
      cls = 'fee_difference';
      repairs.set(`payment:${outNo}`, 'exception');
    } else if (k === 7) {
      succeededAt = new Date(dayStart - 30_000);
      line.at = new Date(dayStart + 10_000);
      cls = 'crossed_midnight';
    } else if (k === 8) {
      succeededAt = new Date(dayEnd - 5 * 60_000);
      inBill = false;
      cls = 'crossed_midnight';
    } else if (k === 9) {
      status = 'closed';
      cls = 'missing_in_system';
      repairs.set(`payment:${outNo}`, 'exception');
    }
    if (inBill) lines.push(line);
    expected.set(`payment:${outNo}`, cls);
    orders.push({ id: oid, merchant_id: merchantId, store_id: storeId, channel: 'counter' as const, status: 'paid' as const, total_fen: amount, business_date: DAY });
    payments.push({
      id: pid, merchant_id: merchantId, store_id: storeId, order_id: oid, channel, mode: 'qr' as const, out_trade_no: outNo, amount_fen: amount, status, request_hash: 'x',
      platform_trade_no: status === 'succeeded' ? `P${channel}${i}` : null, succeeded_at: status === 'succeeded' ? succeededAt : null, created_at: succeededAt,
    });
    if (k >= 10 && k <= 12) {
      const outRefundNo = `${channel}_RF_${i}`;
      const refundAt = new Date(dayStart + 20 * 3600_000 + i * 1000);
      refunds.push({
        id: newId('refund'), merchant_id: merchantId, store_id: storeId, payment_id: pid, order_id: oid, channel, out_refund_no: outRefundNo, amount_fen: 50, reason: '退货',
        status: k === 11 ? ('processing' as const) : ('succeeded' as const), succeeded_at: k === 11 ? null : refundAt,
      });
      if (k !== 12) lines.push({ kind: 'refund', outNo: outRefundNo, outTradeNo: outNo, amountFen: 50, feeFen: 0, at: refundAt, status: 'SUCCESS', platformNo: `P${channel}${i}` });
      expected.set(`refund:${outRefundNo}`, k === 10 ? 'matched' : k === 11 ? 'status_mismatch' : 'missing_in_bill');
      if (k !== 10) repairs.set(`refund:${outRefundNo}`, 'exception');
    }
    if (k === 1) repairs.set(`payment:${outNo}`, 'exception');
  }
  const db = api.deps.db;
  await db.insertInto('orders').values(orders).execute();
  for (let i = 0; i < payments.length; i += 500) await db.insertInto('payments').values(payments.slice(i, i + 500)).execute();
  await db.insertInto('platform_refunds').values(refunds).execute();
  return { lines, expected, repairs };
}

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`reconciliation on ${target.name}`, () => {
    let api: TestApi;
    let fakes: ReturnType<typeof fakeChannels>;
    let owner: string;
    let manager: string;
    let assistant: string;
    let storeId: string;
    const planted = new Map<Channel, Awaited<ReturnType<typeof plant>>>();
    const lost = new Map<Channel, { paymentId: string; outTradeNo: string; orderId: string }>();
    const firstRun = new Map<Channel, string>();

    beforeAll(async () => {
      fakes = fakeChannels();
      api = await startTestApi(target, { payments: fakes.registry });
      api.setNow(new Date(dayStart + 3 * 3600_000));
      [owner, manager, assistant] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_assistant_1')]);
      storeId = api.seed.storeIds.DEMO01!;
      for (const channel of ['wechat', 'alipay'] as const) {
        // A real payment whose notification was lost: paid at the platform, pending here.
        const sku = await findSku(api, assistant, 'wlj');
        const res = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 1 }], tenders: [], expectedTotalFen: sku.retailPriceFen, awaitPayment: true } });
        const order = checkoutResponse.parse(res.body).order;
        const payRes = await api.call('POST', `/api/orders/${order.id}/payments`, { token: assistant, body: { clientPaymentId: newId('payment'), mode: 'qr', channel } });
        const payment = paymentResponse.parse(payRes.body).payment;
        const row = await api.deps.db.selectFrom('payments').select(['out_trade_no', 'amount_fen']).where('id', '=', payment.id).executeTakeFirstOrThrow();
        const fake: FakeChannel = fakes[channel];
        fake.trades.get(row.out_trade_no)!.state = 'succeeded';
        const query = fake.query.bind(fake);
        fake.query = async (no) => ({ ...(await query(no)), paidAt: new Date(dayStart + 3 * 3600_000 + 60_000) });
        lost.set(channel, { paymentId: payment.id, outTradeNo: row.out_trade_no, orderId: order.id });
        const p = await plant(api, channel, storeId);
        p.lines.push({ kind: 'payment', outNo: row.out_trade_no, outTradeNo: row.out_trade_no, amountFen: Number(row.amount_fen), feeFen: expectedFee(Number(row.amount_fen)), at: new Date(dayStart + 3 * 3600_000 + 60_000), status: 'SUCCESS', platformNo: 'lost' });
        p.expected.set(`payment:${row.out_trade_no}`, 'missing_in_system');
        p.repairs.set(`payment:${row.out_trade_no}`, 'settled');
        planted.set(channel, p);
      }
      api.setNow(new Date(dayEnd + 3 * 3600_000));
      // Sessions expire: sign in again on the day the reconciliation runs.
      [owner, manager, assistant] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_assistant_1')]);
    }, 300_000);
    afterAll(async () => api?.stop());

    const bodies = new Map<Channel, Uint8Array>();
    // Built once: a zip records the time it was made, so each build is another file.
    const billBody = (channel: Channel) => {
      if (!bodies.has(channel)) bodies.set(channel, channel === 'wechat' ? new TextEncoder().encode(wechatBill(planted.get(channel)!.lines)) : alipayBillZip(planted.get(channel)!.lines, DAY));
      return bodies.get(channel)!;
    };
    async function upload(channel: Channel, body: Uint8Array, token = owner, query = `channel=${channel}&date=${DAY}`) {
      const res = await api.app.request(`/api/reconcile/bills?${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body: body as unknown as BodyInit });
      const text = await res.text();
      return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
    }
    /** Every record of a run: its stored differences, and its matched records read on demand through the API, page by page. */
    async function classes(runId: string) {
      const rows: { kind: string; out_no: string; class: string; action: string | null; payment_id: string | null }[] = await api.deps.db
        .selectFrom('reconcile_items as i')
        .leftJoin('reconcile_repairs as x', 'x.item_id', 'i.id')
        .select(['i.kind', 'i.out_no', 'i.class', 'x.action', 'i.payment_id'])
        .where('i.run_id', '=', runId)
        .execute();
      expect(rows.filter((r) => r.class === 'matched')).toEqual([]);
      let after: number | null = 0;
      let pages = 0;
      while (after !== null) {
        const res = await api.call('GET', `/api/reconcile/runs/${runId}/items?class=matched&after=${after}`, { token: manager });
        const page = reconcileItemsResponse.parse(res.body);
        for (const i of page.items) rows.push({ kind: i.kind, out_no: i.outNo, class: i.class, action: i.repair, payment_id: i.paymentId });
        after = page.next;
        pages++;
      }
      expect(pages).toBeGreaterThan(1);
      return rows;
    }
    const journalCount = async () => Number((await api.deps.db.selectFrom('journal_entries').select((eb) => eb.fn.countAll<string>().as('n')).where('merchant_id', '=', api.seed.merchantId).executeTakeFirstOrThrow()).n);

    for (const channel of ['wechat', 'alipay'] as const) {
      it(`${channel}: every bill line and every payment and refund lands in exactly its planted class, and is repaired as planned`, async () => {
        const res = await upload(channel, billBody(channel));
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        const body = billUploadResponse.parse(res.body);
        expect(body.run.status).toBe('done');
        firstRun.set(channel, body.run.id);
        const p = planted.get(channel)!;
        expect(body.lines).toBe(p.lines.length);
        const rows = await classes(body.run.id);
        const got = new Map<string, string>();
        for (const r of rows) {
          const key = `${r.kind}:${r.out_no}`;
          expect(got.has(key), `${key} classified twice`).toBe(false);
          got.set(key, r.class);
        }
        const generated = [...got].filter(([k]) => k.includes(`${channel}_`) || k.endsWith(lost.get(channel)!.outTradeNo));
        expect(new Map(generated)).toEqual(p.expected);
        expect(rows.length).toBe(p.expected.size + rows.filter((r) => !p.expected.has(`${r.kind}:${r.out_no}`)).length);
        // Matched records drill down to their payment; the classes' totals count each record once and add up to the bill.
        expect(rows.filter((r) => r.class === 'matched' && !r.payment_id)).toEqual([]);
        const totals = await api.deps.db.selectFrom('reconcile_class_totals').selectAll().where('run_id', '=', body.run.id).execute();
        for (const t of totals) expect(Number(t.n), `${t.kind} ${t.class}`).toBe(rows.filter((r) => r.kind === t.kind && r.class === t.class).length);
        expect(totals.reduce((n, t) => n + Number(t.n), 0)).toBe(rows.length);
        for (const kind of ['payment', 'refund'] as const) {
          const billFen = p.lines.filter((l) => l.kind === kind).reduce((sum, l) => sum + l.amountFen, 0);
          expect(totals.filter((t) => t.kind === kind).reduce((sum, t) => sum + Number(t.bill_amount_fen), 0), `${kind} bill side`).toBe(billFen);
        }
        const actions = new Map(rows.filter((r) => r.action).map((r) => [`${r.kind}:${r.out_no}`, r.action]));
        expect(actions).toEqual(p.repairs);
        // The lost notification is settled: the payment is paid and its order complete.
        const l = lost.get(channel)!;
        const payment = await api.deps.db.selectFrom('payments').select(['status', 'settled_by']).where('id', '=', l.paymentId).executeTakeFirstOrThrow();
        expect(payment).toEqual({ status: 'succeeded', settled_by: 'query' });
        const order = await api.deps.db.selectFrom('orders').select('status').where('id', '=', l.orderId).executeTakeFirstOrThrow();
        expect(order.status).toBe('paid');
        // Fees once for the day (Dr fees / Cr clearing), adjustments with their audit records.
        const fees = await api.deps.db.selectFrom('journal_entries').select('total_fen').where('event_key', '=', `reconcile_fees:${channel}:${DAY}`).where('merchant_id', '=', api.seed.merchantId).execute();
        expect(fees.map((f) => Number(f.total_fen))).toEqual([p.lines.reduce((s, x) => s + x.feeFen, 0)]);
        const adjusted = [...p.repairs].filter(([, a]) => a === 'adjusted').length;
        const audits = await api.deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'reconcile.auto_adjust').where('detail', '@>', JSON.stringify({ runId: body.run.id }) as never).execute();
        expect(audits).toHaveLength(adjusted);
        const report = reconcileReport.parse((await api.call('GET', `/api/reconcile/runs/${body.run.id}`, { token: manager })).body);
        expect(report.run.exceptions).toBe([...p.repairs.values()].filter((a) => a === 'exception').length);
        expect(report.bill.feeFen).toBe(fees[0] ? Number(fees[0].total_fen) : 0);
        expect(report.bill.netFen).toBe(report.bill.paymentFen - report.bill.refundFen - report.bill.feeFen);
      }, 300_000);

      it(`${channel}: re-running the day adds no money and, once repairs are in, compares equal`, async () => {
        const before = await journalCount();
        const second = reconcileRunView.parse((await api.call('POST', '/api/reconcile/runs', { token: owner, body: { channel, date: DAY } })).body);
        const third = reconcileRunView.parse((await api.call('POST', '/api/reconcile/runs', { token: owner, body: { channel, date: DAY } })).body);
        expect(await journalCount()).toBe(before);
        expect(third.resultHash).toBe(second.resultHash);
        expect(third.counts).toEqual(second.counts);
        const first = (await api.deps.db.selectFrom('reconcile_runs').select('counts').where('id', '=', firstRun.get(channel)!).executeTakeFirstOrThrow()).counts as Record<string, number>;
        // The only change after the first run is the lost notification it settled, now matched.
        expect(second.counts).toEqual({ ...first, missing_in_system: first.missing_in_system! - 1, matched: first.matched! + 1 });
        const again = await upload(channel, billBody(channel));
        expect(again.status).toBe(200);
        expect(again.body.replayed).toBe(true);
        expect(again.body.run.resultHash).toBe(second.resultHash);
        expect(await journalCount()).toBe(before);
      }, 300_000);
    }

    it('lets a manager resolve an exception with a note that holds for later runs, once', async () => {
      const runs = (await api.call('GET', '/api/reconcile/runs', { token: manager })).body.items;
      const latest = runs.find((r: { channel: string }) => r.channel === 'wechat');
      const report = reconcileReport.parse((await api.call('GET', `/api/reconcile/runs/${latest.id}`, { token: manager })).body);
      const item = report.exceptions.find((e) => e.class === 'amount_mismatch')!;
      const done = await api.call('POST', `/api/reconcile/runs/${latest.id}/items/${item.id}/resolve`, { token: manager, body: { note: '顾客补差价，已线下收回' } });
      expect(done.status).toBe(200);
      expect(done.body.resolution).toMatchObject({ note: '顾客补差价，已线下收回', by: api.seed.staffIds.manager });
      const twice = await api.call('POST', `/api/reconcile/runs/${latest.id}/items/${item.id}/resolve`, { token: manager, body: { note: '再来一次' } });
      expect(twice.status).toBe(409);
      const rerun = reconcileRunView.parse((await api.call('POST', '/api/reconcile/runs', { token: owner, body: { channel: 'wechat', date: DAY } })).body);
      expect(rerun.unresolved).toBe(rerun.exceptions - 1);
      const audit = await api.deps.db.selectFrom('audit_log').select('actor_id').where('action', '=', 'reconcile.resolve').execute();
      expect(audit).toEqual([{ actor_id: api.seed.staffIds.manager }]);
    });

    it('exports the report as CSV with a BOM and as XLSX, yuan with two decimals', async () => {
      const runs = (await api.call('GET', '/api/reconcile/runs', { token: owner })).body.items;
      const runId = runs[0].id;
      // A note a person typed is text a spreadsheet must not run as a formula.
      const open = reconcileReport.parse((await api.call('GET', `/api/reconcile/runs/${runId}`, { token: owner })).body).exceptions.find((e) => !e.resolution)!;
      const formula = '=HYPERLINK("http://evil.example","点我")';
      expect((await api.call('POST', `/api/reconcile/runs/${runId}/items/${open.id}/resolve`, { token: owner, body: { note: formula } })).status).toBe(200);
      const csv = await api.app.request(`/api/reconcile/runs/${runId}/export?format=csv`, { headers: { authorization: `Bearer ${owner}` } });
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(await csv.arrayBuffer()));
      expect(text.charCodeAt(0)).toBe(0xfeff);
      expect(text).toContain('类型,商户单号,分类');
      expect(text).toMatch(/金额不符,待处理,SUCCESS,succeeded,\d+\.\d{2},\d+\.\d{2}/);
      expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
      expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
      // Amounts stay numbers: no apostrophe in front of any yuan figure, negative or not.
      expect(text).not.toMatch(/'-?\d+\.\d{2}/);
      const xlsx = await api.app.request(`/api/reconcile/runs/${runId}/export?format=xlsx`, { headers: { authorization: `Bearer ${owner}` } });
      expect(xlsx.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
      const sheet = wb.getWorksheet('差异明细')!;
      expect(sheet.getRow(1).getCell(2).value).toBe('商户单号');
      let checked = 0;
      sheet.eachRow((row, n) => {
        if (n === 1 || row.getCell(3).value !== '金额不符') return;
        const csvLine = text.split('\r\n').find((l) => l.includes(`,${String(row.getCell(2).value)},`))!;
        const [, , , , , , billYuan, systemYuan] = csvLine.split(',');
        expect((row.getCell(7).value as number).toFixed(2)).toBe(billYuan);
        expect((row.getCell(8).value as number).toFixed(2)).toBe(systemYuan);
        checked++;
      });
      expect(checked).toBeGreaterThan(0);
      expect(sheet.getColumn(7).numFmt).toBe('0.00');
    });

    it('refuses a bad upload with a 4xx and writes nothing', async () => {
      const count = async () => Number((await api.deps.db.selectFrom('reconcile_bill_lines').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n) + Number((await api.deps.db.selectFrom('reconcile_bills').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      const before = await count();
      const good = wechatBill(planted.get('wechat')!.lines);
      const broken = await upload('wechat', new TextEncoder().encode(good.replace(/总交易单数[\s\S]*$/, '')));
      expect(broken.status).toBe(400);
      expect(broken.body.error.message).toContain('汇总');
      const notZip = await upload('alipay', new TextEncoder().encode('hello'));
      expect(notZip.status).toBe(400);
      const badQuery = await upload('wechat', new TextEncoder().encode(good), owner, `channel=unionpay&date=${DAY}`);
      expect(badQuery.status).toBe(400);
      expect(await count()).toBe(before);
    });

    it('holds roles and tenancy: an assistant is refused, another merchant sees nothing', async () => {
      expect((await upload('wechat', new TextEncoder().encode('x'), assistant)).status).toBe(403);
      expect((await api.call('GET', '/api/reconcile/runs', { token: assistant })).status).toBe(403);
      const other = await seedOtherMerchant(api.deps.db);
      void other;
      const otherOwner = await api.staffToken('o_other_owner');
      expect((await api.call('GET', `/api/reconcile/runs/${firstRun.get('wechat')}`, { token: otherOwner })).status).toBe(404);
      expect((await api.call('GET', '/api/reconcile/runs', { token: otherOwner })).body.items).toEqual([]);
      expect((await api.call('POST', '/api/reconcile/runs', { token: otherOwner, body: { channel: 'wechat', date: DAY } })).status).toBe(404);
    });

    it('never runs one day twice at once, and the cron reconciles yesterday for every uploaded bill', async () => {
      const bill = await api.deps.db.selectFrom('reconcile_bills').select('id').where('channel', '=', 'wechat').executeTakeFirstOrThrow();
      await api.deps.db.insertInto('reconcile_runs').values({ id: newId('reconcileRun'), merchant_id: api.seed.merchantId, channel: 'wechat', bill_date: DAY, bill_id: bill.id, status: 'running', started_at: new Date(dayEnd + 3 * 3600_000) }).execute();
      const blocked = await api.call('POST', '/api/reconcile/runs', { token: owner, body: { channel: 'wechat', date: DAY } });
      expect(blocked.status).toBe(409);
      expect(blocked.body.error.code).toBe('reconcile_running');
      const cron = await api.call('GET', '/api/cron/reconcile', { headers: CRON });
      expect(cron.status).toBe(200);
      expect(cron.body.day).toBe(DAY);
      expect(cron.body.runs.map((r: { channel: string; status: string }) => [r.channel, r.status]).sort()).toEqual([['alipay', 'done']]);
      expect(cron.body.failures).toBe(1);
      // Past reconcile_run_stale_minutes the stuck run is taken over.
      api.setNow(new Date(dayEnd + 4 * 3600_000));
      const taken = await api.call('POST', '/api/reconcile/runs', { token: owner, body: { channel: 'wechat', date: DAY } });
      expect(taken.status).toBe(201);
    });
  });
}
