import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { fakeChannels, type FakeChannel } from '../_support/fake-channel';
import { checkoutResponse } from '../../shared/api/orders';
import { paymentResponse } from '../../shared/api/payments';
import { newId } from '../../shared/ids';

const CRON = { authorization: 'Bearer test-cron-secret' };

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`payments core on ${target.name}`, () => {
    let api: TestApi;
    let wechat: FakeChannel;
    let alipay: FakeChannel;
    let assistant: string;
    let manager: string;
    let storeId: string;
    let clock = Date.parse('2026-11-23T02:00:00Z');

    beforeAll(async () => {
      const fakes = fakeChannels();
      wechat = fakes.wechat;
      alipay = fakes.alipay;
      wechat.clock = alipay.clock = () => new Date(clock);
      api = await startTestApi(target, { payments: fakes.registry });
      api.setNow(new Date(clock));
      [assistant, manager] = await Promise.all([api.staffToken('o_demo_assistant_1'), api.staffToken('o_demo_manager')]);
      storeId = api.seed.storeIds.DEMO01!;
    });
    afterAll(async () => api?.stop());

    function tick(ms: number) {
      clock += ms;
      api.setNow(new Date(clock));
    }

    async function openOrder(q = 'wlj', qty = 2) {
      const sku = await findSku(api, assistant, q);
      const total = sku.retailPriceFen * qty;
      const res = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty }], tenders: [], expectedTotalFen: total, awaitPayment: true } });
      expect(res.status).toBe(201);
      return { order: checkoutResponse.parse(res.body).order, sku, total };
    }

    const pay = (id: string, body: Record<string, unknown>, token = assistant) => api.call('POST', `/api/orders/${id}/payments`, { token, body: { clientPaymentId: newId('payment'), ...body } });
    const notify = (channel: 'wechat' | 'alipay', n: { raw: string; headers: Record<string, string> }) => api.call('POST', `/api/pay/${channel}/notify`, { rawBody: n.raw, headers: n.headers });
    const outcomes = async (outTradeNo: string) =>
      (await api.deps.db.selectFrom('payment_notifications').select('outcome').where('out_trade_no', '=', outTradeNo).orderBy('id').execute()).map((r) => r.outcome);

    it('holds stock for an open order and turns it into a sale when a WeChat payment code succeeds', async () => {
      const { order, sku, total } = await openOrder();
      expect(order.status).toBe('open');
      expect(order.receiptNo).toBe('');
      const level = await api.deps.db.selectFrom('stock_levels').select(['on_hand', 'reserved']).where('store_id', '=', storeId).where('sku_id', '=', sku.id).executeTakeFirstOrThrow();
      expect(level.reserved).toBeGreaterThanOrEqual(2);
      const res = await pay(order.id, { mode: 'code', authCode: '134567890123456781' });
      expect(res.status).toBe(201);
      const body = paymentResponse.parse(res.body);
      expect(body.payment).toMatchObject({ channel: 'wechat', status: 'succeeded', amountFen: total });
      expect(body.order.status).toBe('paid');
      expect(body.order.receiptNo).toMatch(/^DEMO01-/);
      expect(body.order.tenders).toEqual([{ method: 'wechat', amountFen: total, reference: expect.any(String) }]);
      const after = await api.deps.db.selectFrom('stock_levels').select(['on_hand', 'reserved']).where('store_id', '=', storeId).where('sku_id', '=', sku.id).executeTakeFirstOrThrow();
      expect(after.on_hand).toBe(level.on_hand - 2);
      expect(after.reserved).toBe(level.reserved - 2);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('routes a payment code by its prefix and refuses one it cannot place', async () => {
      const { order } = await openOrder();
      const ali = await pay(order.id, { mode: 'code', authCode: '284567890123456781' });
      expect(paymentResponse.parse(ali.body).payment.channel).toBe('alipay');
      const { order: o2 } = await openOrder();
      const bad = await pay(o2.id, { mode: 'code', authCode: '994567890123456781' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('10–15');
      const short = await pay(o2.id, { mode: 'code', authCode: '1345' });
      expect(short.status).toBe(400);
    });

    it('waits on USERPAYING, settles by query when the customer confirms, and never queries faster than the limit', async () => {
      const { order } = await openOrder();
      const res = await pay(order.id, { mode: 'code', authCode: '134567890123456782' });
      const p = paymentResponse.parse(res.body).payment;
      expect(p.status).toBe('pending');
      expect(p.waitMaxMs).toBe(45_000);
      tick(3_000);
      const poll1 = paymentResponse.parse((await api.call('GET', `/api/payments/${p.id}`, { token: assistant })).body);
      expect(poll1.payment.status).toBe('pending');
      expect(poll1.payment.waitedMs).toBe(3_000);
      const queries = wechat.calls.filter((c) => c === `query ${p.id}`).length;
      await api.call('GET', `/api/payments/${p.id}`, { token: assistant });
      expect(wechat.calls.filter((c) => c === `query ${p.id}`).length).toBe(queries);
      wechat.pay(p.id);
      tick(3_000);
      const poll2 = paymentResponse.parse((await api.call('GET', `/api/payments/${p.id}`, { token: assistant })).body);
      expect(poll2.payment.status).toBe('succeeded');
      expect(poll2.order.status).toBe('paid');
      const settled = await api.deps.db.selectFrom('payments').select('settled_by').where('id', '=', p.id).executeTakeFirstOrThrow();
      expect(settled.settled_by).toBe('query');
    });

    it('reverses a code that is never confirmed after 45 s; the order stays open for another way to pay', async () => {
      const { order } = await openOrder();
      const p = paymentResponse.parse((await pay(order.id, { mode: 'code', authCode: '134567890123456782' })).body).payment;
      tick(46_000);
      const polled = paymentResponse.parse((await api.call('GET', `/api/payments/${p.id}`, { token: assistant })).body);
      expect(polled.payment.status).toBe('closed');
      expect(wechat.calls).toContain(`cancel ${p.id}`);
      expect(polled.order.status).toBe('open');
      const again = await pay(order.id, { mode: 'code', authCode: '134567890123456781' });
      expect(paymentResponse.parse(again.body).order.status).toBe('paid');
    });

    it('reports an insufficient balance as a failed attempt with the platform reason', async () => {
      const { order } = await openOrder();
      const p = paymentResponse.parse((await pay(order.id, { mode: 'code', authCode: '134567890123456783' })).body).payment;
      expect(p.status).toBe('failed');
      expect(p.failure).toEqual({ code: 'NOTENOUGH', message: '用户余额不足' });
    });

    it('applies a QR payment by notification once, and names every other notification', async () => {
      const { order, total } = await openOrder();
      const p = paymentResponse.parse((await pay(order.id, { mode: 'qr', channel: 'wechat' })).body).payment;
      expect(p.codeUrl).toBe(`fake://wechat/${p.id}`);
      wechat.pay(p.id);

      // Rejected before anything is read: forged, tampered, stale, another merchant, a different amount.
      expect((await notify('wechat', wechat.notification(p.id, { forge: true }))).status).toBe(500);
      expect((await notify('wechat', wechat.notification(p.id, { tamper: (b) => (b.amountFen = 1) }))).status).toBe(500);
      expect((await notify('wechat', wechat.notification(p.id, { at: new Date(clock - 6 * 60_000) }))).status).toBe(500);
      expect((await notify('wechat', wechat.notification(p.id, { merchantNo: '1999999999' }))).status).toBe(204);
      expect((await notify('wechat', wechat.notification(p.id, { amountFen: total - 1 }))).status).toBe(204);
      const still = await api.deps.db.selectFrom('payments').select('status').where('id', '=', p.id).executeTakeFirstOrThrow();
      expect(still.status).toBe('pending');
      const alerts = await api.deps.db.selectFrom('owner_alerts').select(['kind', 'message']).where('subject_id', '=', p.id).execute();
      expect(alerts.map((a) => a.kind)).toEqual(['amount_mismatch']);

      for (let i = 0; i < 3; i++) expect((await notify('wechat', wechat.notification(p.id, { at: new Date(clock) }))).status).toBe(204);
      expect(await outcomes(p.id)).toEqual(['wrong_merchant', 'amount_mismatch', 'applied', 'duplicate', 'duplicate']);
      const rejected = await api.deps.db.selectFrom('payment_notifications').select('outcome').where('out_trade_no', 'is', null).where('channel', '=', 'wechat').execute();
      expect(rejected.map((r) => r.outcome)).toEqual(expect.arrayContaining(['bad_signature', 'stale']));
      const paid = await api.deps.db.selectFrom('orders').select(['status', 'receipt_no']).where('id', '=', order.id).executeTakeFirstOrThrow();
      expect(paid.status).toBe('paid');
      const tenders = await api.deps.db.selectFrom('order_tenders').select('amount_fen').where('order_id', '=', order.id).execute();
      expect(tenders).toHaveLength(1);
      const unknown = wechat.notification('pay_01KAAAAAAAAAAAAAAAAAAAAAAA', { amountFen: 100 });
      expect((await notify('wechat', unknown)).status).toBe(204);
      expect(await outcomes('pay_01KAAAAAAAAAAAAAAAAAAAAAAA')).toEqual(['unknown_order']);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('makes a retried payment request return the same attempt and refuses the same id for other content', async () => {
      const { order } = await openOrder();
      const id = newId('payment');
      const first = await api.call('POST', `/api/orders/${order.id}/payments`, { token: assistant, body: { clientPaymentId: id, mode: 'qr', channel: 'alipay' } });
      const again = await api.call('POST', `/api/orders/${order.id}/payments`, { token: assistant, body: { clientPaymentId: id, mode: 'qr', channel: 'alipay' } });
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.body.payment.codeUrl).toBe(first.body.payment.codeUrl);
      const other = await api.call('POST', `/api/orders/${order.id}/payments`, { token: assistant, body: { clientPaymentId: id, mode: 'qr', channel: 'wechat' } });
      expect(other.status).toBe(409);
      expect(other.body.error.code).toBe('idempotency_mismatch');
    });

    it('refunds a second payment of an already paid order automatically and tells the owner', async () => {
      const { order, total } = await openOrder();
      const a = paymentResponse.parse((await pay(order.id, { mode: 'qr', channel: 'wechat' })).body).payment;
      const b = paymentResponse.parse((await pay(order.id, { mode: 'qr', channel: 'alipay' })).body).payment;
      wechat.pay(a.id);
      alipay.pay(b.id);
      expect((await notify('wechat', wechat.notification(a.id, { at: new Date(clock) }))).status).toBe(204);
      expect((await notify('alipay', alipay.notification(b.id, { at: new Date(clock) }))).status).toBe(204);
      expect(await outcomes(b.id)).toEqual(['applied_surplus']);
      const refund = await api.deps.db.selectFrom('platform_refunds').selectAll().where('payment_id', '=', b.id).executeTakeFirstOrThrow();
      expect(refund).toMatchObject({ amount_fen: total, status: 'pending', channel: 'alipay' });
      const job = await api.call('GET', '/api/cron/payments', { headers: CRON });
      expect(job.body.refundsSent).toBeGreaterThanOrEqual(1);
      const sent = await api.deps.db.selectFrom('platform_refunds').select('status').where('id', '=', refund.id).executeTakeFirstOrThrow();
      expect(sent.status).toBe('succeeded');
      const alerts = await api.call('GET', '/api/alerts', { token: manager });
      expect(alerts.body.items.some((x: { kind: string; subjectId: string }) => x.kind === 'surplus_payment' && x.subjectId === b.id)).toBe(true);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('queries a payment whose notification was lost, and cancels an expired order only once the platform says it is unpaid', async () => {
      const lost = await openOrder();
      const p1 = paymentResponse.parse((await pay(lost.order.id, { mode: 'qr', channel: 'wechat' })).body).payment;
      wechat.pay(p1.id);
      const never = await openOrder();
      const p2 = paymentResponse.parse((await pay(never.order.id, { mode: 'qr', channel: 'alipay' })).body).payment;
      tick(16 * 60_000);
      const job = await api.call('GET', '/api/cron/payments', { headers: CRON });
      expect(job.status).toBe(200);
      const [o1, o2] = await Promise.all([
        api.deps.db.selectFrom('orders').select('status').where('id', '=', lost.order.id).executeTakeFirstOrThrow(),
        api.deps.db.selectFrom('orders').select('status').where('id', '=', never.order.id).executeTakeFirstOrThrow(),
      ]);
      expect(o1.status).toBe('paid');
      expect(o2.status).toBe('cancelled');
      expect(alipay.calls).toContain(`cancel ${p2.id}`);
      const held = await api.deps.db.selectFrom('stock_reservations').select('status').where('order_id', '=', never.order.id).execute();
      expect(held.every((h) => h.status === 'released')).toBe(true);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('lets a shopper create and pay their own order in the mini-program, and earns points once', async () => {
      const code = await api.loginCode('wechat', 'o_demo_member_1');
      const login = await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code, storeCode: 'DEMO01' } });
      expect(login.status).toBe(200);
      const shopper = login.body.token as string;
      const sku = await findSku(api, assistant, 'wlj');
      const member = await api.deps.db.selectFrom('members').select('id').where('wechat_openid', '=', 'o_demo_member_1').executeTakeFirstOrThrow();
      const before = await sql<{ b: number }>`select coalesce((select balance_after from points_ledger where member_id = ${member.id} order by seq desc limit 1), 0)::bigint as b`.execute(api.deps.db);
      const wrong = await api.call('POST', '/api/shop/orders', { token: shopper, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 1 }], expectedTotalFen: 1 } });
      expect(wrong.status).toBe(409);
      expect(wrong.body.error.code).toBe('price_mismatch');
      const created = await api.call('POST', '/api/shop/orders', { token: shopper, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 1 }], expectedTotalFen: sku.memberPriceFen } });
      expect(created.status).toBe(201);
      const order = checkoutResponse.parse(created.body).order;
      const payRes = await api.call('POST', `/api/shop/orders/${order.id}/pay`, { token: shopper, body: { clientPaymentId: newId('payment'), channel: 'wechat' } });
      expect(payRes.status).toBe(201);
      const p = paymentResponse.parse(payRes.body).payment;
      expect(p.jsapi).toMatchObject({ channel: 'wechat', package: expect.stringMatching(/^prepay_id=/) });
      expect(wechat.trades.get(p.id)?.payerId).toBe('o_demo_member_1');
      wechat.pay(p.id);
      const n = wechat.notification(p.id, { at: new Date(clock) });
      await Promise.all([notify('wechat', n), notify('wechat', n), api.call('GET', `/api/payments/${p.id}`, { token: shopper })]);
      const mine = await api.call('GET', `/api/shop/orders/${order.id}`, { token: shopper });
      expect(mine.body.order.status).toBe('paid');
      const earned = await api.deps.db.selectFrom('points_ledger').select('delta').where('idempotency_key', '=', `earn:${order.id}`).execute();
      expect(earned).toHaveLength(1);
      const after = await sql<{ b: number }>`select (select balance_after from points_ledger where member_id = ${member.id} order by seq desc limit 1)::bigint as b`.execute(api.deps.db);
      expect(Number(after.rows[0]!.b)).toBe(Number(before.rows[0]!.b) + earned[0]!.delta);
      const other = await api.call('GET', `/api/orders/${order.id}/payments`, { token: shopper });
      expect(other.status).toBe(403);
    });

    it('refunds a return to WeChat; a refused refund is retried or paid in cash by a manager, never by an assistant', async () => {
      const { order, total, sku } = await openOrder('wlj', 2);
      const p = paymentResponse.parse((await pay(order.id, { mode: 'code', authCode: '134567890123456781' })).body).payment;
      const paidOrder = checkoutResponse.shape.order.parse((await api.call('GET', `/api/orders/${order.id}`, { token: assistant })).body.order);
      const line = paidOrder.lines[0]!;
      const ret = await api.call('POST', '/api/returns', { token: assistant, body: { clientReturnId: newId('return'), orderId: order.id, reason: '质量问题', lines: [{ orderLineId: line.id, qty: 1 }] } });
      expect(ret.status).toBe(201);
      const r1 = await api.deps.db.selectFrom('platform_refunds').selectAll().where('payment_id', '=', p.id).execute();
      expect(r1).toHaveLength(1);
      expect(r1[0]).toMatchObject({ status: 'succeeded', amount_fen: sku.retailPriceFen, channel: 'wechat' });
      expect(r1[0]!.out_refund_no).toBe(r1[0]!.id);

      wechat.refundBehaviour = 'fail';
      const ret2 = await api.call('POST', '/api/returns', { token: assistant, body: { clientReturnId: newId('return'), orderId: order.id, reason: '质量问题', lines: [{ orderLineId: line.id, qty: 1 }] } });
      expect(ret2.status).toBe(201);
      const attention = await api.call('GET', '/api/refunds?status=attention', { token: manager });
      const failed = attention.body.items.find((x: { paymentId: string }) => x.paymentId === p.id);
      expect(failed).toMatchObject({ status: 'failed', failure: { message: '商户可用余额不足' } });
      expect((await api.call('POST', `/api/refunds/${failed.id}/retry`, { token: assistant })).status).toBe(403);
      const retried = await api.call('POST', `/api/refunds/${failed.id}/retry`, { token: manager });
      expect(retried.body.refund.status).toBe('failed');
      expect(wechat.calls.filter((c) => c === `refund ${failed.id}`)).toHaveLength(2);
      const cash = await api.call('POST', `/api/refunds/${failed.id}/to-cash`, { token: manager, body: { note: '顾客到店领取现金' } });
      expect(cash.status).toBe(200);
      expect(cash.body.refund.status).toBe('to_cash');
      const twice = await api.call('POST', `/api/refunds/${failed.id}/to-cash`, { token: manager, body: { note: '再来一次' } });
      expect(twice.status).toBe(409);
      const payment = await api.deps.db.selectFrom('payments').select(['refunded_fen', 'amount_fen']).where('id', '=', p.id).executeTakeFirstOrThrow();
      expect(payment.refunded_fen).toBe(total);
      const entry = await api.deps.db.selectFrom('journal_entries').select('id').where('event_key', '=', `refund_to_cash:${failed.id}`).execute();
      expect(entry).toHaveLength(1);
      const trail = await api.call('GET', `/api/payments/${p.id}/trail`, { token: manager });
      expect(trail.body.events.map((e: { event: string }) => e.event)).toEqual(expect.arrayContaining(['created', 'succeeded', 'refund_requested', 'refund_succeeded', 'refund_failed', 'refund_retry', 'refund_to_cash']));
      wechat.refundBehaviour = 'succeed';
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });
  });
}
