import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { syncResponse, sync_batch_orders_max } from '../../shared/api/sync';

const outbox_orders = 1000;

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`offline outbox sync on ${target.name}`, () => {
    let api: TestApi;
    let token: string;
    let storeId: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      token = await api.staffToken('o_demo_assistant_1');
      storeId = api.seed.storeIds.DEMO01!;
    });
    afterAll(async () => api?.stop());

    it(`applies ${outbox_orders} outbox orders exactly once through two interrupted syncs`, async () => {
      const skus = await Promise.all(['nfsq', 'kkkl', 'xb', 'wlj', 'tylc'].map((q) => findSku(api, token, q)));
      const billedAt = new Date().toISOString();
      const outbox = Array.from({ length: outbox_orders }, (_, i) => {
        const sku = skus[i % skus.length]!;
        return {
          clientOrderId: orderId(),
          storeId,
          lines: [{ skuId: sku.id, qty: 1 }],
          tenders: [{ method: 'cash', amountFen: sku.retailPriceFen }],
          expectedTotalFen: sku.retailPriceFen,
          offline: { receiptNo: `DEV7-${String(i + 1).padStart(5, '0')}`, billedAt },
        };
      });
      const send = (orders: typeof outbox) => api.call('POST', '/api/sync/orders', { token, body: { deviceId: 'DEV7', orders } });
      const batches: (typeof outbox)[] = [];
      for (let i = 0; i < outbox.length; i += sync_batch_orders_max) batches.push(outbox.slice(i, i + sync_batch_orders_max));

      // First interruption: the server applied the first 20 of batch 3, then the connection dropped (we never read an answer).
      for (const batch of batches.slice(0, 2)) expect((await send(batch)).status).toBe(200);
      await send(batches[2]!.slice(0, 20));
      // Second interruption: batch 7 was applied but its answer was lost.
      let outcomes = { applied: 0, replayed: 0, rejected: 0 };
      for (const batch of batches.slice(2)) {
        const res = syncResponse.parse((await send(batch)).body);
        for (const r of res.results) outcomes[r.outcome]++;
        if (batch === batches[7]) {
          const again = syncResponse.parse((await send(batch)).body);
          expect(again.results.every((r) => r.outcome === 'replayed')).toBe(true);
        }
      }
      expect(outcomes).toEqual({ applied: outbox_orders - 100 - 20, replayed: 20, rejected: 0 });
      // The whole outbox sent once more, as a device that lost its state would: all replays.
      outcomes = { applied: 0, replayed: 0, rejected: 0 };
      for (const batch of batches) for (const r of syncResponse.parse((await send(batch)).body).results) outcomes[r.outcome]++;
      expect(outcomes).toEqual({ applied: 0, replayed: outbox_orders, rejected: 0 });

      const counts = await sql<{ orders: number; moves: number; entries: number }>`
        select (select count(*)::int from orders where device_id = 'DEV7') as orders,
               (select count(*)::int from stock_movements m join orders o on o.id = m.ref_id where o.device_id = 'DEV7') as moves,
               (select count(*)::int from journal_entries e where e.event_key in (select 'sale:' || id from orders where device_id = 'DEV7')) as entries`.execute(api.deps.db);
      expect(counts.rows[0]).toEqual({ orders: outbox_orders, moves: outbox_orders, entries: outbox_orders });
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    }, 240_000);

    it('reports a refused order back without failing the rest of the batch', async () => {
      const sku = await findSku(api, token, 'bby');
      const good = { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 1 }], tenders: [{ method: 'cash', amountFen: 1000 }], expectedTotalFen: sku.retailPriceFen };
      const bad = { ...good, clientOrderId: orderId(), expectedTotalFen: 1 };
      const res = syncResponse.parse((await api.call('POST', '/api/sync/orders', { token, body: { deviceId: 'DEV8', orders: [bad, good] } })).body);
      expect(res.results.map((r) => r.outcome)).toEqual(['rejected', 'applied']);
      const first = res.results[0]!;
      expect(first.outcome === 'rejected' && first.error.code).toBe('price_mismatch');
      const tooMany = await api.call('POST', '/api/sync/orders', { token, body: { deviceId: 'DEV8', orders: Array.from({ length: sync_batch_orders_max + 1 }, () => ({ ...good, clientOrderId: orderId() })) } });
      expect(tooMany.status).toBe(400);
    });
  });
}
