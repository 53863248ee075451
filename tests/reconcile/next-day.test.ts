import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { fakeChannels } from '../_support/fake-channel';
import { newId } from '../../shared/ids';
import { billUploadResponse, reconcileRunView } from '../../shared/api/reconcile';
import { wechatBill, type GenLine } from './bill-gen';

const DAY = '2026-11-22';
const NEXT = '2026-11-23';
const dayStart = Date.parse('2026-11-21T16:00:00Z');
const dayEnd = dayStart + 86_400_000;
const fee = (amount: number) => Math.floor((amount * 6000 + 500_000) / 1_000_000);

/**
 * The two shortcuts a run takes, each against the case that would catch it
 * out: a day's bill with no refund lines still reports the day's refunds as
 * missing from the bill, and a payment or refund made half an hour before
 * midnight (outside the window that presumes it crossed) is missing from the
 * bill until the next day's bill shows it, then crossed midnight.
 */
for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`reconciling around midnight on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    const late = new Date(dayEnd - 30 * 60_000);
    const lines = { day: [] as GenLine[], next: [] as GenLine[] };

    beforeAll(async () => {
      api = await startTestApi(target, { payments: fakeChannels().registry });
      const merchantId = api.seed.merchantId;
      const storeId = api.seed.storeIds.DEMO01!;
      const planted = [
        { no: 'ND_MATCHED', at: new Date(dayStart + 3600_000) },
        { no: 'ND_LATE', at: late },
        { no: 'ND_REFUNDED', at: new Date(dayStart + 2 * 3600_000) },
      ];
      const paymentIds = new Map<string, { paymentId: string; orderId: string }>();
      for (const p of planted) {
        const orderId = newId('order');
        const paymentId = newId('payment');
        paymentIds.set(p.no, { paymentId, orderId });
        await api.deps.db.insertInto('orders').values({ id: orderId, merchant_id: merchantId, store_id: storeId, channel: 'counter', status: 'paid', total_fen: 1000, business_date: DAY }).execute();
        await api.deps.db
          .insertInto('payments')
          .values({ id: paymentId, merchant_id: merchantId, store_id: storeId, order_id: orderId, channel: 'wechat', mode: 'qr', out_trade_no: p.no, amount_fen: 1000, status: 'succeeded', request_hash: 'x', platform_trade_no: `P${p.no}`, succeeded_at: p.at, created_at: p.at })
          .execute();
      }
      const refunded = paymentIds.get('ND_REFUNDED')!;
      const refund = (no: string, at: Date) => ({
        id: newId('refund'), merchant_id: merchantId, store_id: storeId, payment_id: refunded.paymentId, order_id: refunded.orderId, channel: 'wechat' as const,
        out_refund_no: no, amount_fen: 100, reason: '退货', status: 'succeeded' as const, succeeded_at: at,
      });
      await api.deps.db.insertInto('platform_refunds').values([refund('RF_DAY', new Date(dayStart + 5 * 3600_000)), refund('RF_LATE', late)]).execute();
      const line = (no: string, at: Date): GenLine => ({ kind: 'payment', outNo: no, outTradeNo: no, amountFen: 1000, feeFen: fee(1000), at, status: 'SUCCESS', platformNo: `P${no}` });
      lines.day.push(line('ND_MATCHED', new Date(dayStart + 3600_000)), line('ND_REFUNDED', new Date(dayStart + 2 * 3600_000)));
      // The platform booked both late records after midnight.
      lines.next.push(line('ND_LATE', new Date(dayEnd + 5 * 60_000)), { kind: 'refund', outNo: 'RF_LATE', outTradeNo: 'ND_REFUNDED', amountFen: 100, feeFen: 0, at: new Date(dayEnd + 6 * 60_000), status: 'SUCCESS', platformNo: 'PND_REFUNDED' });
      api.setNow(new Date(dayEnd + 2 * 86_400_000));
      owner = await api.staffToken('o_demo_owner');
    }, 120_000);
    afterAll(async () => api?.stop());

    async function upload(date: string, body: string) {
      const res = await api.app.request(`/api/reconcile/bills?channel=wechat&date=${date}`, { method: 'POST', headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/octet-stream' }, body });
      expect(res.status).toBe(201);
      return billUploadResponse.parse(await res.json());
    }
    const classesOf = async (runId: string) =>
      Object.fromEntries((await api.deps.db.selectFrom('reconcile_items').select(['kind', 'out_no', 'class']).where('run_id', '=', runId).execute()).map((i) => [`${i.kind}:${i.out_no}`, i.class]));

    it('finds the refunds of a day whose bill has no refund lines, and the late records missing until the next bill arrives', async () => {
      const day = await upload(DAY, wechatBill(lines.day));
      const bill = await api.deps.db.selectFrom('reconcile_bills').select('refund_line_count').where('id', '=', day.billId).executeTakeFirstOrThrow();
      expect(bill.refund_line_count).toBe(0);
      expect(await classesOf(day.run.id)).toEqual({ 'payment:ND_LATE': 'missing_in_bill', 'refund:RF_DAY': 'missing_in_bill', 'refund:RF_LATE': 'missing_in_bill' });
      expect(day.run.counts).toMatchObject({ matched: 2, missing_in_bill: 3 });
    });

    it('puts them across midnight once the next day’s bill shows them', async () => {
      const next = await upload(NEXT, wechatBill(lines.next));
      expect((await api.deps.db.selectFrom('reconcile_bills').select('refund_line_count').where('id', '=', next.billId).executeTakeFirstOrThrow()).refund_line_count).toBe(1);
      const rerun = reconcileRunView.parse((await api.call('POST', '/api/reconcile/runs', { token: owner, body: { channel: 'wechat', date: DAY } })).body);
      expect(await classesOf(rerun.id)).toEqual({ 'payment:ND_LATE': 'crossed_midnight', 'refund:RF_DAY': 'missing_in_bill', 'refund:RF_LATE': 'crossed_midnight' });
    });
  });
}
