import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`append-only audit log and negative stock at the database on ${target.name}`, () => {
    let api: TestApi;
    let token: string;
    let storeId: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      token = await api.staffToken('o_demo_assistant_1');
      storeId = api.seed.storeIds.DEMO01!;
    });
    afterAll(async () => api?.stop());

    it('refuses an UPDATE, a DELETE and a TRUNCATE of the audit log, and still takes new rows', async () => {
      const db = api.deps.db;
      await sql`insert into audit_log (merchant_id, actor_id, action, detail) values (${api.seed.merchantId}, 'test', 'test.append', '{}')`.execute(db);
      await expect(sql`update audit_log set action = 'forged'`.execute(db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/append-only/);
      await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
      const kept = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'test.append'`.execute(db);
      expect(kept.rows[0]!.n).toBe(1);
    });

    it('refuses a write that takes stock below zero outside the flagged path, and lets stock rise from below zero', async () => {
      const db = api.deps.db;
      const sku = await findSku(api, token, 'nfsq');
      const level = async () => (await sql<{ on_hand: number; reserved: number }>`select on_hand, reserved from stock_levels where store_id = ${storeId} and sku_id = ${sku.id}`.execute(db)).rows[0]!;
      const before = await level();
      await expect(sql`update stock_levels set on_hand = -1 where store_id = ${storeId} and sku_id = ${sku.id}`.execute(db)).rejects.toThrow(/below zero/);
      await expect(sql`update stock_levels set reserved = on_hand + 1 where store_id = ${storeId} and sku_id = ${sku.id}`.execute(db)).rejects.toThrow(/below zero/);
      expect(await level()).toEqual(before);
      // Someone else's session setting does not leak: the flag is local to the transaction that sets it.
      await db.transaction().execute(async (trx) => {
        await sql`select set_config('guitai.allow_negative_stock', 'on', true)`.execute(trx);
        await sql`update stock_levels set on_hand = -3 where store_id = ${storeId} and sku_id = ${sku.id}`.execute(trx);
        await sql`update stock_levels set on_hand = ${before.on_hand} where store_id = ${storeId} and sku_id = ${sku.id}`.execute(trx);
      });
      await expect(sql`update stock_levels set on_hand = -1 where store_id = ${storeId} and sku_id = ${sku.id}`.execute(db)).rejects.toThrow(/below zero/);
    });

    it('still lets an offline sale go below zero and flags it, while an online sale of the same goods is refused', async () => {
      const sku = await findSku(api, token, 'hnwss');
      const online = await api.call('POST', '/api/orders', {
        token,
        body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: sku.available + 1 }], tenders: [{ method: 'cash', amountFen: (sku.available + 1) * sku.retailPriceFen }], expectedTotalFen: (sku.available + 1) * sku.retailPriceFen },
      });
      expect(online.status).toBe(409);
      const qty = sku.available + 2;
      const res = await api.call('POST', '/api/orders', {
        token,
        body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty }], tenders: [{ method: 'cash', amountFen: qty * sku.retailPriceFen }], expectedTotalFen: qty * sku.retailPriceFen, offline: { receiptNo: 'DEV9-0001', billedAt: new Date().toISOString() } },
      });
      expect(res.status).toBe(201);
      expect(res.body.order).toMatchObject({ offline: true, stockFlagged: true });
      expect((await findSku(api, token, 'hnwss')).available).toBe(-2);
      // The permission ended with the offline take: later writes are checked again.
      await expect(sql`update stock_levels set on_hand = on_hand - 1 where store_id = ${storeId} and sku_id = ${sku.id}`.execute(api.deps.db)).rejects.toThrow(/below zero/);
      // Goods received into a level below zero are fine (rolled back here, having no movement).
      await expect(
        api.deps.db.transaction().execute(async (trx) => {
          await sql`update stock_levels set on_hand = on_hand + 1 where store_id = ${storeId} and sku_id = ${sku.id}`.execute(trx);
          throw new Error('rolled back on purpose');
        }),
      ).rejects.toThrow('rolled back on purpose');
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });
  });
}
