import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, invariantsHold, orderId } from '../_support/selling';
import { mulberry32 } from '../../shared/prng';
import { newId } from '../../shared/ids';
import { signNotification } from '../../tools/sandbox/alipay-pay-notify';
import { beijingTimestamp } from '../../api/_platform/alipay-time';
import { callSandbox } from '../_support/sandbox-client';

/**
 * Twenty signed copies of every payment notification, for hundreds of
 * orders, sent concurrently and shuffled, while the counter's polls settle
 * some of the same payments by query: every order is paid exactly once,
 * every notification gets a named outcome, the books balance and points are
 * given once.
 */
const copies = 20;
const senders = 16;

interface Storm {
  orders: number;
}

function stormSize(target: string): Storm {
  // The full storm on the real server; a smaller one on the embedded and proxied targets keeps the suite quick.
  return { orders: target === 'pg' ? 500 : 60 };
}

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        await work(item);
      }
    }),
  );
}

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`notification storm on ${target.name}`, () => {
    let api: TestApi;

    beforeAll(async () => {
      api = await startTestApi(target);
    });
    afterAll(async () => api?.stop());

    const sandbox = async (path: string, body?: unknown) => (await callSandbox(api.sandbox.url, path, body)).json;

    it('pays every order exactly once under 20 shuffled copies of each notification and concurrent queries', async () => {
      const { orders: count } = stormSize(target.name);
      const rand = mulberry32(20261123);
      const assistant = await api.staffToken('o_demo_assistant_1');
      const storeId = api.seed.storeIds.DEMO01!;
      // The sandbox must not send notifications of its own: this test sends them.
      await sandbox('/sandbox/notifications/control', { mode: 'drop', count: 100_000 });
      const skus = await sql<{ id: string; retail_price_fen: number }>`
        select s.id, s.retail_price_fen from skus s join stock_levels l on l.sku_id = s.id and l.store_id = ${storeId}
        where s.active and l.on_hand - l.reserved >= 10 order by s.id limit 150`.execute(api.deps.db);
      const member = await api.deps.db.selectFrom('members').select('id').where('phone', '=', '13800000001').executeTakeFirstOrThrow();

      const payments: { paymentId: string; orderId: string; member: boolean }[] = [];
      await pool(
        Array.from({ length: count }, (_, i) => i),
        4,
        async (i) => {
          const sku = skus.rows[i % skus.rows.length]!;
          const withMember = i % 5 === 0;
          const body = { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 1 }], tenders: [], awaitPayment: true, ...(withMember ? { memberId: member.id } : {}) };
          let res = await api.call('POST', '/api/orders', { token: assistant, body: { ...body, expectedTotalFen: sku.retail_price_fen } });
          if (res.status === 409 && res.body.error.code === 'price_mismatch') {
            const server = Number(/服务器计算为 (\d+) 分/.exec(res.body.error.message)?.[1]);
            res = await api.call('POST', '/api/orders', { token: assistant, body: { ...body, expectedTotalFen: server } });
          }
          expect(res.status).toBe(201);
          const order = res.body.order;
          const pay = await api.call('POST', `/api/orders/${order.id}/payments`, { token: assistant, body: { clientPaymentId: newId('payment'), mode: 'qr', channel: 'alipay' } });
          expect(pay.status).toBe(201);
          await sandbox('/sandbox/alipay/pay', { qrCode: pay.body.payment.codeUrl });
          payments.push({ paymentId: pay.body.payment.id, orderId: order.id, member: withMember });
        },
      );

      const notifications: { raw: string; headers: Record<string, string> }[] = [];
      for (const p of payments) {
        const t = (await sandbox(`/sandbox/alipay/trades/${p.paymentId}`)).trade;
        expect(t.status).toBe('TRADE_SUCCESS');
        for (let copy = 0; copy < copies; copy++) {
          const fields: Record<string, string> = {
            notify_time: beijingTimestamp(new Date()),
            notify_type: 'trade_status_sync',
            notify_id: `${p.paymentId}-${copy}`,
            charset: 'utf-8',
            version: '1.0',
            app_id: t.appId,
            seller_id: t.sellerId,
            trade_no: t.tradeNo,
            out_trade_no: t.outTradeNo,
            trade_status: 'TRADE_SUCCESS',
            total_amount: t.totalAmount,
            buyer_id: t.buyerId ?? '2088000000000999',
            gmt_payment: beijingTimestamp(new Date(t.paidAt)),
          };
          const signed = { ...fields, sign_type: 'RSA2', sign: signNotification(fields, api.keys.alipay.alipayPrivateKey) };
          notifications.push({ raw: new URLSearchParams(signed).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } });
        }
      }
      for (let i = notifications.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [notifications[i], notifications[j]] = [notifications[j]!, notifications[i]!];
      }
      const polled = payments.filter((_, i) => i % 10 === 3);
      const replies: number[] = [];
      await Promise.all([
        pool(notifications, senders, async (n) => {
          const res = await api.call('POST', '/api/pay/alipay/notify', { rawBody: n.raw, headers: n.headers });
          replies.push(res.status);
        }),
        pool(polled, 2, async (p) => {
          const res = await api.call('GET', `/api/payments/${p.paymentId}`, { token: assistant });
          expect(res.status).toBe(200);
        }),
      ]);
      expect(replies.every((s) => s === 200)).toBe(true);

      const ids = payments.map((p) => p.orderId);
      const orders = await api.deps.db.selectFrom('orders').select(['id', 'status']).where('id', 'in', ids).execute();
      expect(orders.filter((o) => o.status === 'paid')).toHaveLength(count);
      const tenders = await sql<{ order_id: string; n: number }>`select order_id, count(*)::int as n from order_tenders where order_id in (${sql.join(ids)}) group by order_id`.execute(api.deps.db);
      expect(tenders.rows).toHaveLength(count);
      expect(tenders.rows.every((r) => r.n === 1)).toBe(true);
      const outcomes = await sql<{ outcome: string; n: number }>`
        select outcome, count(*)::int as n from payment_notifications where out_trade_no in (${sql.join(payments.map((p) => p.paymentId))}) group by outcome`.execute(api.deps.db);
      const byOutcome = Object.fromEntries(outcomes.rows.map((r) => [r.outcome, r.n]));
      const settledByQuery = await api.deps.db.selectFrom('payments').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'in', payments.map((p) => p.paymentId)).where('settled_by', '=', 'query').executeTakeFirstOrThrow();
      expect((byOutcome.applied ?? 0) + Number(settledByQuery.n)).toBe(count);
      expect(byOutcome.duplicate).toBe(count * copies - (byOutcome.applied ?? 0));
      expect(Object.keys(byOutcome).sort()).toEqual(Object.keys(byOutcome).filter((k) => k === 'applied' || k === 'duplicate').sort());
      const earned = await sql<{ n: number }>`select count(*)::int as n from points_ledger where idempotency_key in (${sql.join(payments.filter((p) => p.member).map((p) => `earn:${p.orderId}`))})`.execute(api.deps.db);
      expect(earned.rows[0]!.n).toBe(payments.filter((p) => p.member).length);
      const sales = await sql<{ n: number }>`select count(*)::int as n from journal_entries where event_key in (${sql.join(ids.map((id) => `sale:${id}`))})`.execute(api.deps.db);
      expect(sales.rows[0]!.n).toBe(count);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
      await sandbox('/sandbox/notifications/control', { mode: 'normal' });
    }, 600_000);
  });
}
