import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, invariantsHold } from '../_support/selling';
import { seedOtherMerchant } from '../_support/other-merchant';
import { transferResponse, transfersResponse } from '../../shared/api/stock-ops';
import { newId } from '../../shared/ids';
import { accountBalance, addManager, checkStockOps, demoSkus, expectStatus, level, setStock, stockOpsHold, type DemoSku, suite_setup_timeout_ms } from './support';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`transfers between stores on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let manager1: string;
    let manager2: string;
    let assistant: string;
    let otherOwner: string;
    let s1: string;
    let s2: string;
    let a: DemoSku;
    let b: DemoSku;

    beforeAll(async () => {
      api = await startTestApi(target);
      await seedOtherMerchant(api.deps.db);
      [owner, manager1, assistant, otherOwner] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_assistant_1'), api.staffToken('o_other_owner')]);
      manager2 = await addManager(api, 'DEMO02', 'o_test_manager_2');
      s1 = api.seed.storeIds.DEMO01!;
      s2 = api.seed.storeIds.DEMO02!;
      [a, b] = await demoSkus(api, 2) as [DemoSku, DemoSku];
    }, suite_setup_timeout_ms);
    afterAll(async () => api?.stop());

    const create = (token: string, body: Record<string, unknown>) => api.call('POST', '/api/transfers', { token, body });
    const step = (token: string, id: string, what: string, body?: unknown) => api.call('POST', `/api/transfers/${id}/${what}`, { token, ...(body !== undefined ? { body } : {}) });
    const qtys = (pairs: [DemoSku, number][]) => ({ lines: pairs.map(([s, qty]) => ({ skuId: s.id, qty })) });
    const movementsOf = (id: string) => api.deps.db.selectFrom('stock_movements').select(['store_id', 'sku_id', 'kind', 'on_hand_delta']).where('ref_id', '=', id).execute();

    it('requests, ships, receives short and writes the shortfall off, with stock, in-transit and books agreeing at every step', async () => {
      await setStock(api, s1, a.id, 10);
      await setStock(api, s1, b.id, 5);
      await setStock(api, s2, a.id, 1);
      await setStock(api, s2, b.id, 0);
      const id = newId('transfer');
      const body = { transferId: id, fromStoreId: s1, toStoreId: s2, note: '二店补货', lines: [{ skuId: a.id, qty: 6 }, { skuId: b.id, qty: 5 }] };
      const created = await create(manager2, body);
      expectStatus(created, 201);
      expect(transferResponse.parse(created.body).transfer).toMatchObject({ status: 'requested', inTransitQty: 0 });
      // A retry answers with the same transfer; the same id with other content is refused.
      const again = await create(manager2, body);
      expectStatus(again, 200);
      expect(again.body.replayed).toBe(true);
      expectStatus(await create(manager2, { ...body, lines: [{ skuId: a.id, qty: 7 }] }), 409);

      // Shipping: only the source's manager or the owner, and never more than is available.
      const shipAll = qtys([[a, 6], [b, 5]]);
      expectStatus(await step(assistant, id, 'ship', shipAll), 403);
      expectStatus(await step(manager2, id, 'ship', shipAll), 403);
      expectStatus(await step(otherOwner, id, 'ship', shipAll), 404);
      await setStock(api, s1, a.id, 3);
      const short = await step(manager1, id, 'ship', shipAll);
      expectStatus(short, 409);
      expect(short.body.error.code).toBe('insufficient_stock');
      expect(await level(api, s1, b.id)).toEqual({ onHand: 5, reserved: 0 });
      expect(await movementsOf(id)).toEqual([]);
      await setStock(api, s1, a.id, 10);
      expectStatus(await step(manager1, id, 'ship', qtys([[a, 7], [b, 5]])), 400);
      expectStatus(await step(manager1, id, 'ship', qtys([[a, 6]])), 400);
      const inTransitBefore = await accountBalance(api, 'inventory_in_transit');
      const inventory1Before = await accountBalance(api, 'inventory', s1);
      const shipped = await step(manager1, id, 'ship', shipAll);
      expectStatus(shipped, 200);
      const t1 = transferResponse.parse(shipped.body).transfer;
      const shippedFen = 6 * a.costFen + 5 * b.costFen;
      expect(t1).toMatchObject({ status: 'shipped', inTransitQty: 11, inTransitFen: shippedFen });
      expect(await level(api, s1, a.id)).toEqual({ onHand: 4, reserved: 0 });
      expect(await level(api, s1, b.id)).toEqual({ onHand: 0, reserved: 0 });
      expect(await accountBalance(api, 'inventory_in_transit')).toBe(inTransitBefore + shippedFen);
      expect(await accountBalance(api, 'inventory', s1)).toBe(inventory1Before - shippedFen);
      const replay = await step(manager1, id, 'ship', shipAll);
      expectStatus(replay, 200);
      expect(replay.body.replayed).toBe(true);
      expectStatus(await step(owner, id, 'ship', qtys([[a, 5], [b, 5]])), 409);
      expect(await level(api, s1, a.id)).toEqual({ onHand: 4, reserved: 0 });

      const listed = transfersResponse.parse((await api.call('GET', `/api/transfers?storeId=${s2}`, { token: manager2 })).body);
      expect(listed.inTransit).toEqual({ qty: 11, valueFen: shippedFen });

      // Receiving: only the destination's manager or the owner, never more than shipped.
      expectStatus(await step(manager1, id, 'receive', qtys([[a, 6], [b, 5]])), 403);
      expectStatus(await step(manager2, id, 'receive', qtys([[a, 7], [b, 5]])), 400);
      const inventory2Before = await accountBalance(api, 'inventory', s2);
      const received = await step(manager2, id, 'receive', qtys([[a, 6], [b, 3]]));
      expectStatus(received, 200);
      const t2 = transferResponse.parse(received.body).transfer;
      expect(t2).toMatchObject({ status: 'received_short', inTransitQty: 2, varianceQty: 2, varianceFen: 2 * b.costFen });
      expect(await level(api, s2, a.id)).toEqual({ onHand: 7, reserved: 0 });
      expect(await level(api, s2, b.id)).toEqual({ onHand: 3, reserved: 0 });
      expect(await accountBalance(api, 'inventory', s2)).toBe(inventory2Before + 6 * a.costFen + 3 * b.costFen);
      expectStatus(await step(manager2, id, 'receive', qtys([[a, 6], [b, 4]])), 409);

      // The shortfall is a loss, booked once against 库存盘盈盘亏.
      expectStatus(await step(assistant, id, 'write-off', { note: '途中破损' }), 403);
      expectStatus(await step(manager1, id, 'write-off', { note: '途中破损' }), 403);
      const lossBefore = await accountBalance(api, 'stock_adjustments', s2);
      const written = await step(manager2, id, 'write-off', { note: '途中破损' });
      expectStatus(written, 200);
      expect(transferResponse.parse(written.body).transfer).toMatchObject({ status: 'written_off', inTransitQty: 0, varianceQty: 0 });
      expect(await accountBalance(api, 'stock_adjustments', s2)).toBe(lossBefore + 2 * b.costFen);
      expect(await accountBalance(api, 'inventory_in_transit')).toBe(inTransitBefore);
      const twice = await step(manager2, id, 'write-off', { note: '途中破损' });
      expectStatus(twice, 200);
      expect(twice.body.replayed).toBe(true);
      expect(await accountBalance(api, 'stock_adjustments', s2)).toBe(lossBefore + 2 * b.costFen);

      expect((await movementsOf(id)).map((m) => [m.store_id === s1 ? 1 : 2, m.sku_id === a.id ? 'a' : 'b', m.kind, m.on_hand_delta]).sort()).toEqual(
        [
          [1, 'a', 'transfer_out', -6],
          [1, 'b', 'transfer_out', -5],
          [2, 'a', 'transfer_in', 6],
          [2, 'b', 'transfer_in', 3],
        ].sort(),
      );
      const audits = await api.deps.db.selectFrom('audit_log').select('action').where('subject_id', '=', id).orderBy('id').execute();
      expect(audits.map((x) => x.action)).toEqual(['transfer.request', 'transfer.ship', 'transfer.receive', 'transfer.write_off']);
      expect(await checkStockOps(api)).toEqual(stockOpsHold);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('receives in full with no write-off, and cannot write off what is not short', async () => {
      await setStock(api, s2, a.id, 4);
      const id = newId('transfer');
      expectStatus(await create(owner, { transferId: id, fromStoreId: s2, toStoreId: s1, lines: [{ skuId: a.id, qty: 4 }] }), 201);
      expectStatus(await step(owner, id, 'ship', qtys([[a, 4]])), 200);
      const got = await step(manager1, id, 'receive', qtys([[a, 4]]));
      expectStatus(got, 200);
      expect(got.body.transfer).toMatchObject({ status: 'received', inTransitQty: 0 });
      expectStatus(await step(manager1, id, 'write-off', { note: '无' }), 409);
      expect(await level(api, s2, a.id)).toEqual({ onHand: 0, reserved: 0 });
      expect(await checkStockOps(api)).toEqual(stockOpsHold);
    });

    it('lets only one of two racing shipments take the last units, and a doubled shipment ships once', async () => {
      await setStock(api, s1, b.id, 5);
      const ids = [newId('transfer'), newId('transfer')];
      for (const id of ids) expectStatus(await create(owner, { transferId: id, fromStoreId: s1, toStoreId: s2, lines: [{ skuId: b.id, qty: 4 }] }), 201);
      const results = await Promise.all([...ids.map((id) => step(manager1, id, 'ship', qtys([[b, 4]]))), step(owner, ids[0]!, 'ship', qtys([[b, 4]]))]);
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((x) => x === 200).length, JSON.stringify(results.map((r) => r.body))).toBeGreaterThanOrEqual(1);
      const shipped = await api.deps.db.selectFrom('stock_transfers').select('id').where('id', 'in', ids).where('status', '=', 'shipped').execute();
      expect(shipped).toHaveLength(1);
      expect(await level(api, s1, b.id)).toEqual({ onHand: 1, reserved: 0 });
      for (const r of results) expect([200, 409]).toContain(r.status);
      expect(await checkStockOps(api)).toEqual(stockOpsHold);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('cancels only before shipping; a cancelled transfer cannot be shipped', async () => {
      const id = newId('transfer');
      expectStatus(await create(manager1, { transferId: id, fromStoreId: s1, toStoreId: s2, lines: [{ skuId: a.id, qty: 1 }] }), 201);
      expectStatus(await step(assistant, id, 'cancel'), 403);
      expectStatus(await step(manager1, id, 'cancel'), 200);
      const ship = await step(manager1, id, 'ship', qtys([[a, 1]]));
      expectStatus(ship, 409);
      expect(ship.body.error.code).toBe('invalid_state');
    });

    it('refuses bad requests with a reason and writes nothing', async () => {
      const other = await api.deps.db.selectFrom('stores').select('id').where('code', '=', 'OTHER1').executeTakeFirstOrThrow();
      const otherSku = await api.deps.db.selectFrom('skus').select('id').where('barcode', '=', '6900000000012').executeTakeFirstOrThrow();
      const before = await api.deps.db.selectFrom('stock_transfers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expectStatus(await create(manager1, { transferId: newId('transfer'), fromStoreId: s1, toStoreId: s1, lines: [{ skuId: a.id, qty: 1 }] }), 400);
      expectStatus(await create(manager1, { transferId: newId('transfer'), fromStoreId: s1, toStoreId: other.id, lines: [{ skuId: a.id, qty: 1 }] }), 404);
      expectStatus(await create(manager1, { transferId: newId('transfer'), fromStoreId: s1, toStoreId: s2, lines: [{ skuId: otherSku.id, qty: 1 }] }), 404);
      expectStatus(await create(manager1, { transferId: newId('transfer'), fromStoreId: s1, toStoreId: s2, lines: [{ skuId: a.id, qty: 1 }, { skuId: a.id, qty: 2 }] }), 400);
      expectStatus(await create(manager1, { transferId: newId('transfer'), fromStoreId: s1, toStoreId: s2, lines: [{ skuId: a.id, qty: 0 }] }), 400);
      expectStatus(await create(assistant, { transferId: newId('transfer'), fromStoreId: s1, toStoreId: s2, lines: [{ skuId: a.id, qty: 1 }] }), 403);
      expectStatus(await create(otherOwner, { transferId: newId('transfer'), fromStoreId: s1, toStoreId: s2, lines: [{ skuId: a.id, qty: 1 }] }), 404);
      const after = await api.deps.db.selectFrom('stock_transfers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      expectStatus(await api.call('GET', `/api/transfers/${newId('transfer')}`, { token: owner }), 404);
    });
  });
}
