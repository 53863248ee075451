import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { fakeChannels, type FakeChannel } from '../_support/fake-channel';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { checkoutResponse } from '../../shared/api/orders';
import { paymentResponse } from '../../shared/api/payments';
import { shopStoredValueResponse, storedValuePlanResponse } from '../../shared/api/stored-value';
import { drawFrom } from '../../shared/stored-value/draw';
import { newId } from '../../shared/ids';
import { expireOpenOrders } from '../../api/_sales/expire-orders';

const day_ms = 86_400_000;

/**
 * A shopper pays a shop order from their stored value (储值), in full or in
 * part with WeChat for the rest: the draw happens when the order is made,
 * the platform is asked for the rest only, and an order that lapses unpaid
 * gives the stored value back, each step with its journal entry.
 */
for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`a shop order paid from stored value, on ${target.name}`, () => {
    let api: TestApi;
    let wechat: FakeChannel;
    let assistant: string;
    let shopper: string;
    let memberId: string;
    let storeId: string;

    beforeAll(async () => {
      const fakes = fakeChannels();
      wechat = fakes.wechat;
      api = await startTestApi(target, { payments: fakes.registry });
      const owner = await api.staffToken('o_demo_owner');
      assistant = await api.staffToken('o_demo_assistant_1');
      storeId = api.seed.storeIds.DEMO01!;
      const code = await api.loginCode('wechat', 'o_sv_shop_member');
      shopper = (await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code, storeCode: 'DEMO01' } })).body.token as string;
      memberId = (await api.deps.db.selectFrom('members').select('id').where('wechat_openid', '=', 'o_sv_shop_member').executeTakeFirstOrThrow()).id;
      const plan = storedValuePlanResponse.parse((await api.call('POST', '/api/stored-value/plans', { token: owner, body: { name: '充100送20', payFen: 10_000, bonusFen: 2_000 } })).body).plan;
      const topped = await api.call('POST', `/api/stores/${storeId}/stored-value/top-ups`, { token: assistant, body: { clientTopUpId: newId('storedValueTopUp'), memberId, planId: plan.id, method: 'cash' } });
      expect(topped.status, JSON.stringify(topped.body)).toBe(201);
    });
    afterAll(async () => api?.stop());

    const balance = async () => shopStoredValueResponse.parse((await api.call('GET', '/api/shop/stored-value', { token: shopper })).body).balance;
    const entry = async (eventKey: string) => {
      const rows = await sql<{ account: string; net: number }>`select l.account, (sum(l.debit_fen) - sum(l.credit_fen))::int as net from journal_lines l join journal_entries e on e.id = l.entry_id
        where e.event_key = ${eventKey} group by l.account`.execute(api.deps.db);
      return Object.fromEntries(rows.rows.map((r) => [r.account, r.net]));
    };
    const order = async (qty: number, storedValueFen: number, clientOrderId = orderId()) => {
      const sku = await findSku(api, assistant, 'wlj');
      const body = { clientOrderId, storeId, lines: [{ skuId: sku.id, qty }], expectedTotalFen: sku.memberPriceFen * qty, ...(storedValueFen > 0 ? { storedValueFen } : {}) };
      return { res: await api.call('POST', '/api/shop/orders', { token: shopper, body }), body, totalFen: sku.memberPriceFen * qty };
    };

    it('pays the whole order from stored value at once: paid, receipt, principal and bonus drawn in proportion', async () => {
      const before = await balance();
      const { res, totalFen } = await order(2, 0);
      // The order above is unpaid: it holds nothing of the stored value.
      expect(res.status).toBe(201);
      expect((await balance()).totalFen).toBe(before.totalFen);
      const full = await order(2, totalFen);
      expect(full.res.status, JSON.stringify(full.res.body)).toBe(201);
      const paid = checkoutResponse.parse(full.res.body).order;
      expect(paid).toMatchObject({ status: 'paid', totalFen, storedValueFen: totalFen });
      expect(paid.receiptNo).not.toBe('');
      expect(paid.pickupCode).toMatch(/^\d{6}$/);
      expect(paid.tenders).toEqual([{ method: 'stored_value', amountFen: totalFen, reference: null }]);
      const draw = drawFrom(before, totalFen)!;
      expect(await balance()).toMatchObject({ principalFen: before.principalFen - draw.principalFen, bonusFen: before.bonusFen - draw.bonusFen });
      expect(await entry(`stored_value_spend:${paid.id}`)).toEqual({ stored_value_liability: draw.principalFen, sales_discounts: draw.bonusFen, clearing_stored_value: -totalFen });
      expect((await entry(`sale:${paid.id}`)).clearing_stored_value).toBe(totalFen);
      // Nothing is left to pay on the platform.
      expect((await api.call('POST', `/api/shop/orders/${paid.id}/pay`, { token: shopper, body: { clientPaymentId: newId('payment'), channel: 'wechat' } })).status).toBe(409);
      // The same request again is the same order; the same order id with another split is refused.
      const again = await api.call('POST', '/api/shop/orders', { token: shopper, body: full.body });
      expect(again.status).toBe(200);
      expect(checkoutResponse.parse(again.body).order.id).toBe(paid.id);
      expect((await api.call('POST', '/api/shop/orders', { token: shopper, body: { ...full.body, storedValueFen: totalFen - 1 } })).status).toBe(409);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('pays part from stored value and the rest with WeChat: the platform is asked for the rest only', async () => {
      const before = await balance();
      const { res, totalFen } = await order(3, 100);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const open = checkoutResponse.parse(res.body).order;
      expect(open).toMatchObject({ status: 'open', storedValueFen: 100 });
      expect((await balance()).totalFen).toBe(before.totalFen - 100);
      const p = paymentResponse.parse((await api.call('POST', `/api/shop/orders/${open.id}/pay`, { token: shopper, body: { clientPaymentId: newId('payment'), channel: 'wechat' } })).body).payment;
      expect(p.amountFen).toBe(totalFen - 100);
      wechat.pay(p.id);
      const n = wechat.notification(p.id);
      expect((await api.call('POST', '/api/pay/wechat/notify', { rawBody: n.raw, headers: n.headers })).status).toBeLessThan(300);
      const mine = checkoutResponse.shape.order.parse((await api.call('GET', `/api/shop/orders/${open.id}`, { token: shopper })).body.order);
      expect(mine.status).toBe('paid');
      expect(mine.tenders.map((t) => [t.method, t.amountFen])).toEqual([
        ['wechat', totalFen - 100],
        ['stored_value', 100],
      ]);
      const sale = await entry(`sale:${open.id}`);
      expect(sale).toMatchObject({ clearing_wechat: totalFen - 100, clearing_stored_value: 100 });
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('an order that lapses unpaid gives its stored value back to the parts it came from, once', async () => {
      const before = await balance();
      const { res } = await order(1, 150);
      expect(res.status).toBe(201);
      const open = checkoutResponse.parse(res.body).order;
      expect((await balance()).totalFen).toBe(before.totalFen - 150);
      await expireOpenOrders(api.deps.db, new Date(Date.now() + day_ms));
      await expireOpenOrders(api.deps.db, new Date(Date.now() + 2 * day_ms));
      expect(await balance()).toMatchObject({ principalFen: before.principalFen, bonusFen: before.bonusFen });
      const back = await entry(`stored_value_cancel:${open.id}`);
      expect(back.clearing_stored_value).toBe(150);
      const moves = await api.deps.db.selectFrom('stored_value_ledger').select('kind').where('order_id', '=', open.id).orderBy('seq').execute();
      expect(moves.map((m) => m.kind)).toEqual(['spend', 'return']);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('refuses more than the order or more than the balance, changing nothing', async () => {
      const before = await balance();
      const id = orderId();
      const { res, totalFen } = await order(1, 0, id);
      expect(res.status).toBe(201);
      const over = await order(1, totalFen + 1);
      expect(over.res.status).toBe(400);
      expect(JSON.stringify(over.res.body)).toContain('storedValueFen');
      const sku = await findSku(api, assistant, 'wlj');
      expect(sku.memberPriceFen * 99).toBeGreaterThan(before.totalFen);
      const short = await order(99, sku.memberPriceFen * 99);
      expect(short.res.status).toBe(409);
      expect(JSON.stringify(short.res.body)).toContain('储值余额');
      const made = await api.deps.db.selectFrom('orders').select('id').where('client_order_id', '=', short.body.clientOrderId).executeTakeFirst();
      expect(made).toBeUndefined();
      expect((await balance()).totalFen).toBe(before.totalFen);
    });
  });
}
