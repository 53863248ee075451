import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { fakeChannels } from '../_support/fake-channel';
import { newId } from '../../shared/ids';
import { billUploadResponse, reconcileItemsResponse } from '../../shared/api/reconcile';
import { reconcile_items_page_max } from '../../api/_reconcile/limits';
import { wechatBill, type GenLine } from './bill-gen';

const DAY = '2026-11-22';
const dayStart = Date.parse('2026-11-21T16:00:00Z');
const fee = (amount: number) => Math.floor((amount * 6000 + 500_000) / 1_000_000);
/** Lines before the first match: one short of the first window a page reads (twice the page). */
const leading = 2 * reconcile_items_page_max - 1;
const matched = reconcile_items_page_max + 50;

/**
 * Matched records are read from the bill a window of line numbers at a time.
 * A bill whose first `leading` lines are all differences makes the first
 * window come back nearly empty, so the page must widen and read on, exactly
 * from where the last window ended: every matched line comes back once, in
 * order, across pages.
 */
for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`pages of matched records on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let runId: string;
    const expected: string[] = [];

    beforeAll(async () => {
      api = await startTestApi(target, { payments: fakeChannels().registry });
      const merchantId = api.seed.merchantId;
      const storeId = api.seed.storeIds.DEMO01!;
      const lines: GenLine[] = [];
      const line = (no: string, at: Date): GenLine => ({ kind: 'payment', outNo: no, outTradeNo: no, amountFen: 500, feeFen: fee(500), at, status: 'SUCCESS', platformNo: `P${no}` });
      for (let i = 0; i < leading; i++) lines.push(line(`MP_FOREIGN_${i}`, new Date(dayStart + 3600_000 + i * 1000)));
      const orders = [];
      const payments = [];
      for (let i = 0; i < matched; i++) {
        const no = `MP_MATCH_${i}`;
        const at = new Date(dayStart + 7200_000 + i * 1000);
        const orderId = newId('order');
        orders.push({ id: orderId, merchant_id: merchantId, store_id: storeId, channel: 'counter' as const, status: 'paid' as const, total_fen: 500, business_date: DAY });
        payments.push({ id: newId('payment'), merchant_id: merchantId, store_id: storeId, order_id: orderId, channel: 'wechat' as const, mode: 'qr' as const, out_trade_no: no, amount_fen: 500, status: 'succeeded' as const, request_hash: 'x', platform_trade_no: `P${no}`, succeeded_at: at, created_at: at });
        lines.push(line(no, at));
        expected.push(no);
      }
      await api.deps.db.insertInto('orders').values(orders).execute();
      await api.deps.db.insertInto('payments').values(payments).execute();
      api.setNow(new Date(dayStart + 86_400_000 + 3 * 3600_000));
      owner = await api.staffToken('o_demo_owner');
      const res = await api.app.request(`/api/reconcile/bills?channel=wechat&date=${DAY}`, { method: 'POST', headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/octet-stream' }, body: wechatBill(lines) });
      expect(res.status).toBe(201);
      runId = billUploadResponse.parse(await res.json()).run.id;
    }, 120_000);
    afterAll(async () => api?.stop());

    it('reads on past a window of differences and hands back every matched line once, in bill order', async () => {
      const got: string[] = [];
      const pages: number[] = [];
      let after: number | null = 0;
      while (after !== null) {
        const page = reconcileItemsResponse.parse((await api.call('GET', `/api/reconcile/runs/${runId}/items?class=matched&after=${after}`, { token: owner })).body);
        got.push(...page.items.map((i) => i.outNo));
        pages.push(page.items.length);
        after = page.next;
      }
      expect(pages[0]).toBe(reconcile_items_page_max);
      expect(got).toEqual(expected);
    });
  });
}
