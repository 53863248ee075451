import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { checkoutResponse } from '../../shared/api/orders';
import { memberLookupResponse } from '../../shared/api/members';
import { todayResponse } from '../../shared/api/reports';
import { receiptModel } from '../../shared/receipt/model';

async function count(api: TestApi, table: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(api.deps.db);
  return r.rows[0]!.n;
}

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`counter checkout on ${target.name}`, () => {
    let api: TestApi;
    let token: string;
    let storeId: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      token = await api.staffToken('o_demo_assistant_1');
      storeId = api.seed.storeIds.DEMO01!;
    });
    afterAll(async () => api?.stop());

    it('bills three items for a member in cash: order, receipt, stock, points, books and takings move together', async () => {
      const water = await findSku(api, token, 'nfsq');
      const cola = await findSku(api, token, 'kkkl', 1);
      const chips = await findSku(api, token, 'lssp');
      const member = memberLookupResponse.parse((await api.call('GET', '/api/members/lookup?phone=13800000001', { token })).body).member;
      const lines = [{ skuId: water.id, qty: 2 }, { skuId: cola.id, qty: 1 }, { skuId: chips.id, qty: 3 }];
      const expected = 2 * water.memberPriceFen + cola.memberPriceFen + 3 * chips.memberPriceFen;
      const res = await api.call('POST', '/api/orders', {
        token,
        body: { clientOrderId: orderId(), storeId, memberId: member.id, lines, tenders: [{ method: 'cash', amountFen: expected + 1000 }], expectedTotalFen: expected },
      });
      expect(res.status).toBe(201);
      const { order } = checkoutResponse.parse(res.body);
      expect(order).toMatchObject({ totalFen: expected, changeFen: 1000, cashReceivedFen: expected + 1000, status: 'paid', pointsEarned: Math.floor(expected / 100) });
      expect(order.receiptNo).toMatch(/^DEMO01-\d{8}-0001$/);
      expect(order.lines.map((l) => l.qty)).toEqual([2, 1, 3]);
      expect(order.discountFen).toBe(order.subtotalListFen - expected);
      // The answer is built from the rows as written; a later read must show exactly the same order.
      expect((await api.call('GET', `/api/orders/${order.id}`, { token })).body.order).toEqual(order);

      const after = await findSku(api, token, 'nfsq');
      expect(after.available).toBe(water.available - 2);
      const card = memberLookupResponse.parse((await api.call('GET', `/api/members/lookup?memberId=${member.id}`, { token })).body).member;
      expect(card.points).toBe(member.points + order.pointsEarned);

      const receipt = await api.call('GET', `/api/orders/${order.id}/receipt`, { token });
      expect(receipt.status).toBe(200);
      expect(receiptModel.parse(receipt.body.receipt)).toMatchObject({ totalFen: expected, changeFen: 1000, assistantName: '店员小王' });
      const escpos = await api.call('GET', `/api/orders/${order.id}/receipt.escpos`, { token });
      expect(Buffer.from(escpos.body.base64, 'base64').subarray(0, 2)).toEqual(Buffer.from([0x1b, 0x40]));

      const owner = await api.staffToken('o_demo_owner');
      const today = todayResponse.parse((await api.call('GET', '/api/boss/today', { token: owner })).body);
      expect(today.byTender).toContainEqual({ tender: 'cash', fen: expected });
      const tb = await api.call('GET', '/api/ledger/trial-balance', { token: owner });
      expect(tb.status).toBe(200);
      expect(tb.body.totals.debitFen).toBe(tb.body.totals.creditFen);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('answers a repeated checkout with the first result, and refuses another order under the same id', async () => {
      const water = await findSku(api, token, 'nfsq');
      const id = orderId();
      const body = { clientOrderId: id, storeId, lines: [{ skuId: water.id, qty: 1 }], tenders: [{ method: 'cash', amountFen: 500 }], expectedTotalFen: water.retailPriceFen };
      const first = await api.call('POST', '/api/orders', { token, body });
      const second = await api.call('POST', '/api/orders', { token, body });
      expect([first.status, second.status]).toEqual([201, 200]);
      expect(second.body.replayed).toBe(true);
      expect(second.body.order.receiptNo).toBe(first.body.order.receiptNo);
      const different = await api.call('POST', '/api/orders', { token, body: { ...body, lines: [{ skuId: water.id, qty: 2 }], expectedTotalFen: 2 * water.retailPriceFen } });
      expect(different.status).toBe(409);
      expect(different.body.error.code).toBe('idempotency_mismatch');
      const stock = await findSku(api, token, 'nfsq');
      expect(stock.available).toBe(water.available - 1);
    });

    it('sells the last units exactly once under 50 concurrent checkouts', async () => {
      const sku = await findSku(api, token, 'hnwss');
      await api.deps.db.transaction().execute(async (trx) => {
        const level = await trx.selectFrom('stock_levels').select('on_hand').where('store_id', '=', storeId).where('sku_id', '=', sku.id).executeTakeFirstOrThrow();
        const { recordMovements } = await import('../../api/_stock/stock.repository');
        await recordMovements(trx, [{ merchantId: api.seed.merchantId, storeId, skuId: sku.id, kind: 'adjustment', onHandDelta: 10 - level.on_hand, idempotencyKey: `test:set10:${sku.id}` }]);
      });
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          api.call('POST', '/api/orders', { token, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 1 }], tenders: [{ method: 'cash', amountFen: sku.retailPriceFen }], expectedTotalFen: sku.retailPriceFen } }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(10);
      expect(statuses.filter((s) => s === 409)).toHaveLength(40);
      expect(results.find((r) => r.status === 409)!.body.error.code).toBe('insufficient_stock');
      expect((await findSku(api, token, 'hnwss')).available).toBe(0);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('refuses bad input with a reason and writes nothing', async () => {
      const water = await findSku(api, token, 'nfsq');
      const other = await seedOtherMerchant(api.deps.db).catch(() => null);
      const otherMember = await api.deps.db.insertInto('members').values({ id: 'mbr_01JZZZZZZZZZZZZZZZZZZZZZZZ', merchant_id: other?.merchantId ?? api.seed.merchantId, name: 'x', phone: '13900000009' }).returning('id').executeTakeFirst().catch(() => undefined);
      const base = { clientOrderId: orderId(), storeId, lines: [{ skuId: water.id, qty: 1 }], tenders: [{ method: 'cash', amountFen: 10000 }], expectedTotalFen: water.retailPriceFen };
      const before = { orders: await count(api, 'orders'), lines: await count(api, 'journal_lines'), moves: await count(api, 'stock_movements'), points: await count(api, 'points_ledger') };
      const cases: [unknown, number, string][] = [
        [{ ...base, lines: [{ skuId: 'sku_01JZZZZZZZZZZZZZZZZZZZZZZZ', qty: 1 }] }, 400, 'validation_failed'],
        [{ ...base, lines: [{ skuId: water.id, qty: -1 }] }, 400, 'validation_failed'],
        [{ ...base, lines: [{ skuId: water.id, qty: 1.5 }] }, 400, 'validation_failed'],
        [{ ...base, lines: [{ skuId: water.id, qty: 0 }] }, 400, 'validation_failed'],
        [{ ...base, expectedTotalFen: water.retailPriceFen - 1 }, 409, 'price_mismatch'],
        [{ ...base, lines: [{ skuId: water.id, qty: 1, discount: { kind: 'amount_off', fen: water.retailPriceFen + 1, reason: '太多' } }] }, 400, 'validation_failed'],
        [{ ...base, memberId: otherMember?.id ?? 'mbr_01JZZZZZZZZZZZZZZZZZZZZZZZ' }, 404, 'not_found'],
        [{ ...base, tenders: [{ method: 'cash', amountFen: 1 }] }, 400, 'validation_failed'],
        [{ ...base, tenders: [{ method: 'card', amountFen: 100 }] }, 400, 'validation_failed'],
        [{ ...base, tenders: [{ method: 'wechat', amountFen: 100 }] }, 400, 'validation_failed'],
        [{ ...base, pointsToRedeem: 10 }, 400, 'validation_failed'],
        [{ ...base, lines: [{ skuId: water.id, qty: 100000 }] }, 400, 'validation_failed'],
        [{ ...base, storeId: api.seed.storeIds.DEMO02 }, 403, 'forbidden'],
        [{ ...base, surprise: true }, 400, 'validation_failed'],
      ];
      for (const [body, status, code] of cases) {
        const res = await api.call('POST', '/api/orders', { token, body });
        expect({ body, status: res.status, code: res.body?.error?.code }).toEqual({ body, status, code });
      }
      const member = memberLookupResponse.parse((await api.call('GET', '/api/members/lookup?phone=13800000002', { token })).body).member;
      const greedy = await api.call('POST', '/api/orders', { token, body: { ...base, memberId: member.id, pointsToRedeem: member.points + 1 } });
      expect(greedy.status).toBe(400);
      const after = { orders: await count(api, 'orders'), lines: await count(api, 'journal_lines'), moves: await count(api, 'stock_movements'), points: await count(api, 'points_ledger') };
      expect(after).toEqual(before);
    });

    it('keeps an offline sale that overdraws stock, flagged for the owner', async () => {
      const sku = await findSku(api, token, 'hnwss');
      expect(sku.available).toBe(0);
      const res = await api.call('POST', '/api/orders', {
        token,
        body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 2 }], tenders: [{ method: 'cash', amountFen: 2 * sku.retailPriceFen }], expectedTotalFen: 2 * sku.retailPriceFen, offline: { receiptNo: 'DEV1-0001', billedAt: new Date().toISOString() } },
      });
      expect(res.status).toBe(201);
      expect(res.body.order).toMatchObject({ offline: true, stockFlagged: true });
      expect((await findSku(api, token, 'hnwss')).available).toBe(-2);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('keeps an offline sale billed at an old price, books the difference and flags it', async () => {
      const sku = await findSku(api, token, 'wlj');
      const oldPrice = sku.retailPriceFen - 50;
      const res = await api.call('POST', '/api/orders', {
        token,
        body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 1 }], tenders: [{ method: 'cash', amountFen: oldPrice }], expectedTotalFen: oldPrice, offline: { receiptNo: 'DEV1-0002', billedAt: new Date().toISOString() } },
      });
      expect(res.status).toBe(201);
      expect(res.body.order).toMatchObject({ totalFen: sku.retailPriceFen, priceDiffFen: -50, tenders: [{ method: 'cash', amountFen: oldPrice }] });
      const owner = await api.staffToken('o_demo_owner');
      const flagged = await api.call('GET', '/api/boss/flagged-orders', { token: owner });
      expect(flagged.body.items).toContainEqual(expect.objectContaining({ orderId: res.body.order.id, priceDiffFen: -50, stockFlagged: false }));
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });
  });
}
