import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { fakeChannels, type FakeChannel } from '../_support/fake-channel';
import { seedOtherMerchant } from '../_support/other-merchant';
import { checkoutResponse, pricingContextResponse } from '../../shared/api/orders';
import { memberLookupResponse } from '../../shared/api/members';
import { orderCancelResponse, paymentResponse } from '../../shared/api/payments';
import { priceOrder } from '../../shared/pricing/index';
import { newId } from '../../shared/ids';

const CRON = { authorization: 'Bearer test-cron-secret' };

/**
 * The counter cancels an order that waits for WeChat/Alipay: every pending
 * attempt is ended at the platform (the scriptable fake channel records each
 * call) before the order is cancelled, or the order is settled when the
 * platform says it was paid.
 */
for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`cancelling an open order on ${target.name}`, () => {
    let api: TestApi;
    let wechat: FakeChannel;
    let alipay: FakeChannel;
    let assistant: string;
    let otherStoreAssistant: string;
    let storeId: string;
    let clock = Date.parse('2026-11-23T03:00:00Z');

    beforeAll(async () => {
      const fakes = fakeChannels();
      wechat = fakes.wechat;
      alipay = fakes.alipay;
      wechat.clock = alipay.clock = () => new Date(clock);
      api = await startTestApi(target, { payments: fakes.registry });
      api.setNow(new Date(clock));
      [assistant, otherStoreAssistant] = await Promise.all([api.staffToken('o_demo_assistant_1'), api.staffToken('o_demo_assistant_2')]);
      storeId = api.seed.storeIds.DEMO01!;
    });
    afterAll(async () => api?.stop());

    function tick(ms: number) {
      clock += ms;
      api.setNow(new Date(clock));
    }

    const level = (skuId: string) => api.deps.db.selectFrom('stock_levels').select(['on_hand', 'reserved']).where('store_id', '=', storeId).where('sku_id', '=', skuId).executeTakeFirstOrThrow();
    const orderRow = (id: string) => api.deps.db.selectFrom('orders').select(['status', 'receipt_no']).where('id', '=', id).executeTakeFirstOrThrow();
    const paymentRow = (id: string) => api.deps.db.selectFrom('payments').select(['status', 'failure_code', 'surplus']).where('id', '=', id).executeTakeFirstOrThrow();
    const pay = (id: string, body: Record<string, unknown>) => api.call('POST', `/api/orders/${id}/payments`, { token: assistant, body: { clientPaymentId: newId('payment'), ...body } });
    const cancel = (id: string, body: Record<string, unknown> = {}, token = assistant) =>
      api.call('POST', `/api/orders/${id}/cancel`, { token, body: { clientCancelId: newId('orderCancel'), reason: 'switch_to_cash', ...body } });

    async function openOrder(qty = 2) {
      const sku = await findSku(api, assistant, 'wlj');
      const total = sku.retailPriceFen * qty;
      const res = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty }], tenders: [], expectedTotalFen: total, awaitPayment: true } });
      expect(res.status).toBe(201);
      return { order: checkoutResponse.parse(res.body).order, sku, total };
    }

    it('closes a QR nobody paid at the platform, then cancels: the held stock is back on the shelf, with an audit record', async () => {
      const { order, sku } = await openOrder(3);
      const held = await level(sku.id);
      const p = paymentResponse.parse((await pay(order.id, { mode: 'qr', channel: 'wechat' })).body).payment;
      expect(p.status).toBe('pending');

      const res = await cancel(order.id);
      expect(res.status).toBe(200);
      const body = orderCancelResponse.parse(res.body);
      expect(body).toMatchObject({ outcome: 'cancelled', replayed: false });
      expect(body.order.status).toBe('cancelled');
      // Asked, closed, asked again: in that order.
      expect(wechat.calls.filter((c) => c.endsWith(p.id))).toEqual([`qr ${p.id}`, `query ${p.id}`, `cancel ${p.id}`, `query ${p.id}`]);
      expect(await paymentRow(p.id)).toMatchObject({ status: 'closed', failure_code: 'CANCELLED' });
      expect(await level(sku.id)).toEqual({ on_hand: held.on_hand, reserved: held.reserved - 3 });
      const reservations = await api.deps.db.selectFrom('stock_reservations').select('status').where('order_id', '=', order.id).execute();
      expect(reservations.map((r) => r.status)).toEqual(['released']);
      const trail = await api.deps.db.selectFrom('audit_log').select(['action', 'actor_id', 'detail']).where('subject_id', '=', order.id).execute();
      expect(trail).toHaveLength(1);
      expect(trail[0]).toMatchObject({ action: 'order.cancel', detail: expect.objectContaining({ reason: 'switch_to_cash', storeId }) });
      const events = await api.deps.db.selectFrom('payment_events').select(['event', 'source']).where('payment_id', '=', p.id).orderBy('id').execute();
      expect(events.map((e) => `${e.event}/${e.source}`)).toEqual(['created/qr', 'closed_at_platform/cancel', 'closed/query']);
      // A cancelled order takes no new payment.
      expect((await pay(order.id, { mode: 'qr', channel: 'wechat' })).status).toBe(409);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('reverses a payment code the customer is still confirming (USERPAYING), and gives redeemed points back', async () => {
      const sku = await findSku(api, assistant, 'wlj');
      const member = memberLookupResponse.parse((await api.call('GET', '/api/members/lookup?phone=13800000001', { token: assistant })).body).member;
      const ctx = pricingContextResponse.parse((await api.call('GET', `/api/stores/${storeId}/pricing-context`, { token: assistant })).body);
      const lines = [{ skuId: sku.id, qty: 4 }];
      const priced = priceOrder({
        lines: [{ skuId: sku.id, qty: 4, retailPriceFen: sku.retailPriceFen, memberPriceFen: sku.memberPriceFen }],
        member: { id: member.id, pointsBalance: member.points },
        bundles: ctx.bundles,
        thresholds: ctx.thresholds,
        points: { requested: 100, rules: { redeemPointsPerFen: ctx.redeemPointsPerFen, redeemCapBp: ctx.redeemCapBp } },
        cashRounding: ctx.cashRounding,
        cashTender: false,
      });
      expect(priced.pointsRedeemed).toBeGreaterThan(0);
      const created = await api.call('POST', '/api/orders', {
        token: assistant,
        body: { clientOrderId: orderId(), storeId, memberId: member.id, lines, pointsToRedeem: 100, tenders: [], expectedTotalFen: priced.totalFen, awaitPayment: true },
      });
      expect(created.status).toBe(201);
      const order = checkoutResponse.parse(created.body).order;
      const during = memberLookupResponse.parse((await api.call('GET', `/api/members/lookup?memberId=${member.id}`, { token: assistant })).body).member;
      expect(during.points).toBe(member.points - priced.pointsRedeemed);

      const p = paymentResponse.parse((await pay(order.id, { mode: 'code', authCode: '134567890123456782' })).body).payment;
      expect(p.status).toBe('pending');
      tick(5_000);
      const body = orderCancelResponse.parse((await cancel(order.id, { reason: 'customer_left' })).body);
      expect(body.outcome).toBe('cancelled');
      expect(wechat.calls.filter((c) => c.endsWith(p.id))).toEqual([`code ${p.id}`, `query ${p.id}`, `cancel ${p.id}`]);
      expect(wechat.trades.get(p.id)?.state).toBe('closed');
      expect(await paymentRow(p.id)).toMatchObject({ status: 'closed', failure_code: 'CANCELLED' });
      const events = await api.deps.db.selectFrom('payment_events').select('event').where('payment_id', '=', p.id).orderBy('id').execute();
      expect(events.map((e) => e.event)).toContain('reversed');
      const after = memberLookupResponse.parse((await api.call('GET', `/api/members/lookup?memberId=${member.id}`, { token: assistant })).body).member;
      expect(after.points).toBe(member.points);
      const back = await api.deps.db.selectFrom('points_ledger').select(['delta', 'reason']).where('idempotency_key', '=', `redeem_cancel:${order.id}`).execute();
      expect(back).toEqual([{ delta: priced.pointsRedeemed, reason: 'redeem_cancel' }]);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('settles the order as paid, never cancels it, when the platform says the customer paid', async () => {
      const { order, sku, total } = await openOrder(2);
      const held = await level(sku.id);
      const p = paymentResponse.parse((await pay(order.id, { mode: 'qr', channel: 'alipay' })).body).payment;
      alipay.pay(p.id); // paid at the platform; the notification has not arrived
      const res = await cancel(order.id);
      expect(res.status).toBe(200);
      const body = orderCancelResponse.parse(res.body);
      expect(body.outcome).toBe('already_paid');
      expect(body.order.status).toBe('paid');
      expect(body.order.receiptNo).toMatch(/^DEMO01-/);
      expect(body.order.tenders).toEqual([{ method: 'alipay', amountFen: total, reference: expect.any(String) }]);
      // A paid trade is never closed or reversed.
      expect(alipay.calls).not.toContain(`cancel ${p.id}`);
      expect(await paymentRow(p.id)).toMatchObject({ status: 'succeeded', surplus: false });
      expect(await level(sku.id)).toEqual({ on_hand: held.on_hand - 2, reserved: held.reserved - 2 });
      expect(await api.deps.db.selectFrom('audit_log').select('id').where('subject_id', '=', order.id).where('action', '=', 'order.cancel').execute()).toEqual([]);
      // The repeat says the same.
      const row = await api.deps.db.selectFrom('order_cancellations').select(['id', 'status']).where('order_id', '=', order.id).executeTakeFirstOrThrow();
      expect(row.status).toBe('already_paid');
      const again = orderCancelResponse.parse((await cancel(order.id, { clientCancelId: row.id })).body);
      expect(again).toMatchObject({ outcome: 'already_paid', replayed: true });
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('answers a repeat with the same outcome, refuses the key for other content, and cancels once', async () => {
      const { order, sku } = await openOrder(1);
      const held = await level(sku.id);
      await pay(order.id, { mode: 'qr', channel: 'wechat' });
      const key = newId('orderCancel');
      const first = await cancel(order.id, { clientCancelId: key });
      const calls = wechat.calls.length;
      const again = await cancel(order.id, { clientCancelId: key });
      expect(first.status).toBe(200);
      expect(again.status).toBe(200);
      expect(orderCancelResponse.parse(again.body)).toMatchObject({ outcome: 'cancelled', replayed: true });
      expect(wechat.calls.length).toBe(calls); // the platform is not asked again
      const otherReason = await cancel(order.id, { clientCancelId: key, reason: 'customer_left' });
      expect(otherReason.status).toBe(409);
      expect(otherReason.body.error.code).toBe('idempotency_mismatch');
      const { order: other } = await openOrder(1);
      const otherOrder = await cancel(other.id, { clientCancelId: key });
      expect(otherOrder.status).toBe(409);
      expect(otherOrder.body.error.code).toBe('idempotency_mismatch');
      expect((await orderRow(other.id)).status).toBe('open');
      // A second tap with a fresh key on the cancelled order: still cancelled, nothing given back twice.
      const fresh = orderCancelResponse.parse((await cancel(order.id)).body);
      expect(fresh).toMatchObject({ outcome: 'cancelled', replayed: false });
      expect((await cancel(other.id)).status).toBe(200);
      expect((await level(sku.id)).reserved).toBe(held.reserved - 1);
      const audits = await api.deps.db.selectFrom('audit_log').select('id').where('subject_id', '=', order.id).where('action', '=', 'order.cancel').execute();
      expect(audits).toHaveLength(1);
      const releases = await api.deps.db.selectFrom('stock_movements').select('reserved_delta').where('ref_id', '=', order.id).where('reserved_delta', '<', 0).execute();
      expect(releases.map((m) => m.reserved_delta)).toEqual([-1]);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it("refuses another store's order (403) and another merchant's (404), changing nothing", async () => {
      const { order, sku } = await openOrder(1);
      const held = await level(sku.id);
      const p = paymentResponse.parse((await pay(order.id, { mode: 'qr', channel: 'wechat' })).body).payment;
      const other = await seedOtherMerchant(api.deps.db);
      const outsider = await api.staffToken('o_other_owner');
      const calls = wechat.calls.length;
      const forbidden = await cancel(order.id, {}, otherStoreAssistant);
      expect(forbidden.status).toBe(403);
      const missing = await cancel(order.id, {}, outsider);
      expect(missing.status).toBe(404);
      expect(other.merchantId).not.toBe('');
      expect(wechat.calls.length).toBe(calls);
      expect((await orderRow(order.id)).status).toBe('open');
      expect((await paymentRow(p.id)).status).toBe('pending');
      expect(await level(sku.id)).toEqual(held);
      expect(await api.deps.db.selectFrom('order_cancellations').select('id').where('order_id', '=', order.id).execute()).toEqual([]);
      const bad = await cancel(order.id, { reason: 'bored' });
      expect(bad.status).toBe(400);
      const badKey = await cancel(order.id, { clientCancelId: 'ocn_1' });
      expect(badKey.status).toBe(400);
      expect((await cancel(order.id)).status).toBe(200);
    });

    it('keeps the order open when the platform cannot be reached, and the repeat finishes the cancellation', async () => {
      const { order, sku } = await openOrder(1);
      const held = await level(sku.id);
      const p = paymentResponse.parse((await pay(order.id, { mode: 'qr', channel: 'wechat' })).body).payment;
      const realCancel = wechat.cancel.bind(wechat);
      wechat.cancel = async () => {
        throw new Error('connect ETIMEDOUT');
      };
      const key = newId('orderCancel');
      try {
        const failed = await cancel(order.id, { clientCancelId: key });
        expect(failed.status).toBe(502);
        expect(failed.body.error.code).toBe('platform_error');
        expect(failed.body.error.message).toContain('订单未取消');
      } finally {
        wechat.cancel = realCancel;
      }
      expect((await orderRow(order.id)).status).toBe('open');
      expect((await paymentRow(p.id)).status).toBe('pending');
      expect(await level(sku.id)).toEqual(held);
      const done = orderCancelResponse.parse((await cancel(order.id, { clientCancelId: key })).body);
      expect(done).toMatchObject({ outcome: 'cancelled', replayed: false });
      expect((await level(sku.id)).reserved).toBe(held.reserved - 1);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('cancels an order with no payment attempt at all, and says already_paid for a sale', async () => {
      const { order } = await openOrder(1);
      expect(orderCancelResponse.parse((await cancel(order.id, { reason: 'other' })).body).outcome).toBe('cancelled');
      const { order: paid } = await openOrder(1);
      await pay(paid.id, { mode: 'code', authCode: '134567890123456781' });
      expect(orderCancelResponse.parse((await cancel(paid.id)).body)).toMatchObject({ outcome: 'already_paid', order: { status: 'paid' } });
    });

    it('refunds a payment that still arrives after the cancellation (an Alipay QR scanned after its close), automatically', async () => {
      const { order, total } = await openOrder(2);
      const p = paymentResponse.parse((await pay(order.id, { mode: 'qr', channel: 'alipay' })).body).payment;
      expect(orderCancelResponse.parse((await cancel(order.id)).body).outcome).toBe('cancelled');
      // Alipay cannot close a precreate nobody scanned: the customer scans and pays afterwards.
      alipay.pay(p.id);
      const n = alipay.notification(p.id, { at: new Date(clock) });
      expect((await api.call('POST', '/api/pay/alipay/notify', { rawBody: n.raw, headers: n.headers })).status).toBe(204);
      const outcome = await api.deps.db.selectFrom('payment_notifications').select('outcome').where('out_trade_no', '=', p.id).execute();
      expect(outcome.map((o) => o.outcome)).toEqual(['applied_surplus']);
      expect((await orderRow(order.id)).status).toBe('cancelled');
      expect(await paymentRow(p.id)).toMatchObject({ status: 'succeeded', surplus: true });
      const refund = await api.deps.db.selectFrom('platform_refunds').selectAll().where('payment_id', '=', p.id).executeTakeFirstOrThrow();
      expect(refund).toMatchObject({ amount_fen: total, status: 'pending', channel: 'alipay' });
      const job = await api.call('GET', '/api/cron/payments', { headers: CRON });
      expect(job.status).toBe(200);
      expect((await api.deps.db.selectFrom('platform_refunds').select('status').where('id', '=', refund.id).executeTakeFirstOrThrow()).status).toBe('succeeded');
      // Owed and paid back: the clearing account nets to zero for this payment.
      const clearing = await sql<{ net: number }>`
        select coalesce(sum(l.debit_fen - l.credit_fen), 0)::bigint as net from journal_lines l join journal_entries e on e.id = l.entry_id
        where e.event_key in (${'surplus:' + p.id}, ${'surplus_refund:' + refund.id}) and l.account = 'unapplied_receipts'`.execute(api.deps.db);
      expect(Number(clearing.rows[0]!.net)).toBe(0);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });
  });
}
