import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { alertCountsResponse, batch_near_expiry_days_default, stock_no_sale_days_default, stockAlertsResponse } from '../../shared/api/stock-ops';
import { recordBatch } from '../../api/_stock/batches';
import { businessDate } from '../../api/_kernel/clock';
import { newId } from '../../shared/ids';
import { demoSkus, expectStatus, sell, setStock, type DemoSku, suite_setup_timeout_ms } from './support';

const day_ms = 86_400_000;

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`batches and stock alerts on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let manager: string;
    let assistant: string;
    let s1: string;
    let s2: string;
    let skus: DemoSku[];
    const today = businessDate(new Date());
    const inDays = (n: number) => businessDate(new Date(Date.now() + n * day_ms));

    beforeAll(async () => {
      api = await startTestApi(target);
      await seedOtherMerchant(api.deps.db);
      [owner, manager, assistant] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_assistant_1')]);
      s1 = api.seed.storeIds.DEMO01!;
      s2 = api.seed.storeIds.DEMO02!;
      skus = await demoSkus(api, 4);
    }, suite_setup_timeout_ms);
    afterAll(async () => api?.stop());

    const batch = (token: string, body: Record<string, unknown>) => api.call('POST', '/api/stock/batches', { token, body: { clientBatchRecordId: newId('request'), storeId: s1, ...body } });
    const alerts = async (token = manager) => {
      const res = await api.call('GET', `/api/stores/${s1}/stock-alerts`, { token });
      expectStatus(res, 200);
      return stockAlertsResponse.parse(res.body);
    };
    const reasonsOf = (a: Awaited<ReturnType<typeof alerts>>, sku: DemoSku) => a.items.find((i) => i.skuId === sku.id)?.reasons.map((r) => r.kind) ?? [];

    it('records batches of batch-tracked SKUs once per event, keeping one expiry per batch number', async () => {
      const sku = skus[0]!;
      expectStatus(await batch(manager, { skuId: sku.id, batchNo: 'B1', expiresOn: inDays(10), qty: 5 }), 400);
      expectStatus(await api.call('PUT', `/api/skus/${sku.id}/batch-tracking`, { token: assistant, body: { tracked: true } }), 403);
      expectStatus(await api.call('PUT', `/api/skus/${sku.id}/batch-tracking`, { token: manager, body: { tracked: true } }), 200);
      const clientBatchRecordId = newId('request');
      const first = await batch(manager, { clientBatchRecordId, skuId: sku.id, batchNo: 'B1', expiresOn: inDays(10), qty: 5 });
      expectStatus(first, 201);
      const retry = await batch(manager, { clientBatchRecordId, skuId: sku.id, batchNo: 'B1', expiresOn: inDays(10), qty: 5 });
      expectStatus(retry, 200);
      expect(retry.body.batch.qty).toBe(5);
      expectStatus(await batch(manager, { clientBatchRecordId, skuId: sku.id, batchNo: 'B1', expiresOn: inDays(10), qty: 6 }), 409);
      expectStatus(await batch(manager, { skuId: sku.id, batchNo: 'B1', expiresOn: inDays(11), qty: 1 }), 409);
      expectStatus(await batch(manager, { skuId: sku.id, batchNo: 'B1', expiresOn: inDays(10), qty: 3 }), 201);
      expectStatus(await batch(assistant, { skuId: sku.id, batchNo: 'B2', expiresOn: inDays(10), qty: 3 }), 403);
      expectStatus(await batch(manager, { storeId: s2, skuId: sku.id, batchNo: 'B2', expiresOn: inDays(10), qty: 3 }), 403);
      expectStatus(await batch(manager, { skuId: sku.id, batchNo: 'B 3', expiresOn: inDays(10), qty: 3 }), 400);
      // What a receiving module calls in its own transaction.
      const direct = () =>
        api.deps.db.transaction().execute((trx) =>
          recordBatch(trx, { merchantId: api.seed.merchantId, storeId: s1, skuId: sku.id, batchNo: 'B9', expiresOn: inDays(200), qty: 12, idempotencyKey: 'po_receipt:test:1', createdBy: null }),
        );
      expect((await direct()).created).toBe(true);
      expect((await direct()).created).toBe(false);
      const listed = await api.call('GET', `/api/stores/${s1}/batches`, { token: assistant });
      expect(listed.body.items.map((b: { batchNo: string; qty: number; expiresOn: string }) => [b.batchNo, b.qty, b.expiresOn])).toEqual([
        ['B1', 8, inDays(10)],
        ['B9', 12, inDays(200)],
      ]);
    });

    it('flags SKUs below their minimum, above their maximum, near expiry and unsold, with the reason', async () => {
      const [tracked, low, high] = skus as [DemoSku, DemoSku, DemoSku];
      await setStock(api, s1, low.id, 3);
      await setStock(api, s1, high.id, 20);
      const limits = (token: string, items: unknown[]) => api.call('PUT', `/api/stores/${s1}/stock-limits`, { token, body: { items } });
      expectStatus(await limits(assistant, [{ skuId: low.id, minQty: 5, maxQty: null }]), 403);
      expectStatus(await limits(manager, [{ skuId: low.id, minQty: 6, maxQty: 5 }]), 400);
      expectStatus(await api.call('PUT', `/api/stores/${s2}/stock-limits`, { token: manager, body: { items: [{ skuId: low.id, minQty: 1, maxQty: null }] } }), 403);
      // Edges: exactly at the minimum or maximum is not an alert; one past is.
      expectStatus(await limits(manager, [{ skuId: low.id, minQty: 3, maxQty: null }, { skuId: high.id, minQty: null, maxQty: 20 }]), 200);
      let a = await alerts();
      expect(reasonsOf(a, low)).toEqual([]);
      expect(reasonsOf(a, high)).toEqual([]);
      expectStatus(await limits(manager, [{ skuId: low.id, minQty: 4, maxQty: null }, { skuId: high.id, minQty: 2, maxQty: 19 }]), 200);
      a = await alerts();
      expect(a.items.find((i) => i.skuId === low.id)?.reasons).toEqual([{ kind: 'below_min', text: '库存 3，低于下限 4' }]);
      expect(reasonsOf(a, high)).toEqual(['above_max']);
      expect(reasonsOf(a, tracked)).toEqual(['near_expiry']);
      expect(a.settings).toEqual({ noSaleDays: stock_no_sale_days_default, nearExpiryDays: batch_near_expiry_days_default });
      expect(a.counts).toMatchObject({ below_min: 1, above_max: 1, near_expiry: 1, no_sale: 0 });
      expect((await api.call('GET', `/api/stores/${s1}/stock-alerts`, { token: assistant })).status).toBe(403);

      // Forty days on nothing has sold except what we sell now; with a 60-day window nothing is stale yet.
      expectStatus(await sell(api, assistant, s1, low, 1), 201);
      api.setNow(new Date(Date.now() + 40 * day_ms));
      // Sessions expire long before forty days; sign in again on the moved clock.
      [owner, manager] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager')]);
      a = await alerts();
      expect(reasonsOf(a, high)).toEqual(['above_max', 'no_sale']);
      expect(a.items.find((i) => i.skuId === low.id)?.reasons).toEqual([
        { kind: 'below_min', text: '库存 2，低于下限 4' },
        { kind: 'no_sale', text: '已 40 天未售出' },
      ]);
      expect(reasonsOf(a, tracked)).toContain('near_expiry');
      expect(a.items.find((i) => i.skuId === tracked.id)?.reasons.find((r) => r.kind === 'near_expiry')?.text).toContain('已于');
      expect(a.counts.no_sale).toBeGreaterThan(10);
      expectStatus(await api.call('PUT', '/api/settings/stock-alerts', { token: manager, body: { noSaleDays: 60, nearExpiryDays: 30 } }), 403);
      expectStatus(await api.call('PUT', '/api/settings/stock-alerts', { token: owner, body: { noSaleDays: 0, nearExpiryDays: 30 } }), 400);
      expectStatus(await api.call('PUT', '/api/settings/stock-alerts', { token: owner, body: { noSaleDays: 60, nearExpiryDays: 30 } }), 200);
      a = await alerts();
      expect(a.counts.no_sale).toBe(0);
      api.setNow(new Date());
      [owner, manager] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager')]);
      expectStatus(await api.call('PUT', '/api/settings/stock-alerts', { token: owner, body: { noSaleDays: 60, nearExpiryDays: 250 } }), 200);
      a = await alerts();
      expect(a.items.find((i) => i.skuId === tracked.id)?.reasons.map((r) => r.text)).toEqual([`批次 B1 将于 ${inDays(10)} 到期（8 件）`, `批次 B9 将于 ${inDays(200)} 到期（12 件）`]);

      const counts = alertCountsResponse.parse((await api.call('GET', '/api/boss/stock-alert-counts', { token: manager })).body);
      expect(counts.items).toEqual([{ storeId: s1, counts: a.counts, total: a.items.length }]);
      const all = alertCountsResponse.parse((await api.call('GET', '/api/boss/stock-alert-counts', { token: owner })).body);
      expect(all.items.map((i) => i.storeId).sort()).toEqual([s1, s2].sort());
      expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });
  });
}
