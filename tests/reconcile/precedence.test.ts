import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { fakeChannels } from '../_support/fake-channel';
import { newId } from '../../shared/ids';
import { billUploadResponse } from '../../shared/api/reconcile';
import { alipayBillZip, type GenLine } from './bill-gen';

const DAY = '2026-11-22';
const dayStart = Date.parse('2026-11-21T16:00:00Z');
const dayEnd = dayStart + 86_400_000;
const fee = (amount: number) => Math.floor((amount * 6000 + 500_000) / 1_000_000);

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`hand-uploaded and downloaded bills of one day on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let downloaded: Uint8Array | null = null;
    const lines: GenLine[] = [];

    beforeAll(async () => {
      const fakes = fakeChannels();
      // The platform serves its own copy of the day's bill.
      Object.assign(fakes.alipay, { tradeBill: async () => (downloaded ? { outcome: 'ready' as const, body: (async function* () { yield downloaded!; })() } : { outcome: 'no_statement' as const }) });
      api = await startTestApi(target, { payments: fakes.registry });
      const merchantId = api.seed.merchantId;
      const storeId = api.seed.storeIds.DEMO01!;
      const orders = [];
      const payments = [];
      for (let i = 0; i < 5; i++) {
        const amount = 1000 + i * 100;
        const at = new Date(dayStart + 3600_000 * (i + 1));
        const oid = newId('order');
        orders.push({ id: oid, merchant_id: merchantId, store_id: storeId, channel: 'counter' as const, status: 'paid' as const, total_fen: amount, business_date: DAY });
        payments.push({ id: newId('payment'), merchant_id: merchantId, store_id: storeId, order_id: oid, channel: 'alipay' as const, mode: 'qr' as const, out_trade_no: `AP_${i}`, amount_fen: amount, status: 'succeeded' as const, request_hash: 'x', platform_trade_no: `P${i}`, succeeded_at: at, created_at: at });
        lines.push({ kind: 'payment', outNo: `AP_${i}`, outTradeNo: `AP_${i}`, amountFen: amount, feeFen: fee(amount), at, status: 'SUCCESS', platformNo: `P${i}` });
      }
      await api.deps.db.insertInto('orders').values(orders).execute();
      await api.deps.db.insertInto('payments').values(payments).execute();
      api.setNow(new Date(dayEnd + 3 * 3600_000));
      owner = await api.staffToken('o_demo_owner');
    });
    afterAll(async () => api?.stop());

    async function upload(body: Uint8Array) {
      const res = await api.app.request(`/api/reconcile/bills?channel=alipay&date=${DAY}`, { method: 'POST', headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/octet-stream' }, body: body as unknown as BodyInit });
      const text = await res.text();
      return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
    }
    /** What the journal holds on the fees account and on the adjustments' account (rounding) from reconciliation. */
    async function booked() {
      const r = await sql<{ account: string; fen: string }>`select l.account, sum(l.debit_fen - l.credit_fen) as fen from journal_lines l join journal_entries e on e.id = l.entry_id
        where e.merchant_id = ${api.seed.merchantId} and split_part(e.event_key, ':', 1) in ('reconcile_fees', 'reconcile_adjust') group by l.account`.execute(api.deps.db);
      return Object.fromEntries(r.rows.map((x) => [x.account, Number(x.fen)]));
    }
    const realFee = () => lines.reduce((s, l) => s + l.feeFen, 0);

    it('books a hand-uploaded bill while no download exists, then the downloaded bill corrects it and later uploads book nothing', async () => {
      // A fabricated file: fees ten times too high and one amount off by 3 fen (within tolerance).
      const fabricated = lines.map((l, i) => ({ ...l, feeFen: l.feeFen * 10, amountFen: i === 0 ? l.amountFen + 3 : l.amountFen }));
      const first = await upload(alipayBillZip(fabricated, DAY));
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      expect(billUploadResponse.parse(first.body).run.status).toBe('done');
      expect(await booked()).toMatchObject({ fees: realFee() * 10, rounding: -3 });

      downloaded = alipayBillZip(lines, DAY);
      const res = await api.call('POST', '/api/reconcile/downloads', { token: owner, body: { channel: 'alipay', date: DAY } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ outcome: 'reconciled', run: { status: 'done' } });
      // The downloaded bill wins: fees as the platform says, the fabricated adjustment taken back.
      expect(await booked()).toMatchObject({ fees: realFee(), rounding: 0 });

      // Another fabricated upload afterwards is stored, but the day still runs on the downloaded bill and books nothing.
      const entries = async () => Number((await sql<{ n: string }>`select count(*) as n from journal_entries where merchant_id = ${api.seed.merchantId}`.execute(api.deps.db)).rows[0]!.n);
      const before = await entries();
      const later = await upload(alipayBillZip(fabricated.map((l) => ({ ...l, feeFen: l.feeFen + 7 })), DAY));
      expect(later.status).toBe(201);
      const run = billUploadResponse.parse(later.body).run;
      expect(run.status).toBe('done');
      const bill = await api.deps.db.selectFrom('reconcile_runs').innerJoin('reconcile_bills', 'reconcile_bills.id', 'reconcile_runs.bill_id').select('reconcile_bills.source').where('reconcile_runs.id', '=', run.id).executeTakeFirstOrThrow();
      expect(bill.source).toBe('download');
      expect(await entries()).toBe(before);
      expect(await booked()).toMatchObject({ fees: realFee(), rounding: 0 });
    });
  });
}
