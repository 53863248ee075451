import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { seedOtherMerchant } from '../_support/other-merchant';
import { reservationResponse, reservationsResponse, reservation_pickup_days_max } from '../../shared/api/reservations';
import { checkoutResponse } from '../../shared/api/orders';
import { businessDate } from '../../api/_kernel/clock';
import { addDays } from '../../api/_reservations/reservations.service';
import { newId } from '../../shared/ids';
import { mulberry32 } from '../../shared/prng';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`customer reservations on ${target.name}`, () => {
    let api: TestApi;
    let assistant: string;
    let otherAssistant: string;
    let owner: string;
    let storeId: string;
    let today: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      [assistant, otherAssistant, owner] = await Promise.all([api.staffToken('o_demo_assistant_1'), api.staffToken('o_demo_assistant_2'), api.staffToken('o_demo_owner')]);
      storeId = api.seed.storeIds.DEMO01!;
      today = businessDate(new Date());
    });
    afterAll(async () => api?.stop());

    async function level(skuId: string, store = storeId) {
      const row = await api.deps.db.selectFrom('stock_levels').select(['on_hand', 'reserved']).where('store_id', '=', store).where('sku_id', '=', skuId).executeTakeFirstOrThrow();
      return { onHand: row.on_hand, reserved: row.reserved, available: row.on_hand - row.reserved };
    }
    const counts = async () => {
      const r = await sql<{ n: number; m: number }>`select (select count(*)::int from customer_reservations) as n, (select count(*)::int from stock_movements) as m`.execute(api.deps.db);
      return r.rows[0]!;
    };
    const reserve = (token: string, body: Record<string, unknown>) =>
      api.call('POST', '/api/reservations', { token, body: { reservationId: newId('reservation'), storeId, pickupBy: today, customerName: '刘女士', customerPhone: '13912345678', ...body } });
    const pickUp = (token: string, reservationId: string, lines: { skuId: string; qty: number; unitFen: number }[], extra: Record<string, unknown> = {}) => {
      const total = lines.reduce((s, l) => s + l.qty * l.unitFen, 0);
      return api.call('POST', '/api/orders', {
        token,
        body: { clientOrderId: orderId(), storeId, reservationId, lines: lines.map((l) => ({ skuId: l.skuId, qty: l.qty })), tenders: [{ method: 'cash', amountFen: total }], expectedTotalFen: total, ...extra },
      });
    };

    it('holds stock for a walk-in customer, once however often the counter repeats the request', async () => {
      const sku = await findSku(api, assistant, 'wlj');
      const before = await level(sku.id);
      const body = { reservationId: newId('reservation'), lines: [{ skuId: sku.id, qty: 2 }], note: '下午来取' };
      const first = await reserve(assistant, body);
      expect(first.status).toBe(201);
      const r = reservationResponse.parse(first.body).reservation;
      // An assistant sees the customer's phone masked (shared/phone-mask.ts).
      expect(r).toMatchObject({ status: 'active', customerName: '刘女士', customerPhone: '139****5678', pickupBy: today, channel: 'counter', orderId: null });
      expect(r.lines).toEqual([expect.objectContaining({ skuId: sku.id, qty: 2, name: '王老吉凉茶' })]);
      expect(await level(sku.id)).toEqual({ onHand: before.onHand, reserved: before.reserved + 2, available: before.available - 2 });
      // The counter's own view of available stock agrees.
      expect((await findSku(api, assistant, 'wlj')).available).toBe(before.available - 2);

      const again = await reserve(assistant, body);
      expect(again.status).toBe(200);
      expect(again.body.replayed).toBe(true);
      expect(await level(sku.id)).toMatchObject({ reserved: before.reserved + 2 });
      const changed = await reserve(assistant, { ...body, lines: [{ skuId: sku.id, qty: 3 }] });
      expect(changed.status).toBe(409);
      expect(changed.body.error.code).toBe('idempotency_mismatch');

      const list = reservationsResponse.parse((await api.call('GET', `/api/reservations?storeId=${storeId}&status=active`, { token: assistant })).body);
      expect(list.items.map((i) => i.id)).toContain(r.id);
      const moves = await api.deps.db.selectFrom('stock_movements').select(['kind', 'on_hand_delta', 'reserved_delta']).where('ref_id', '=', r.id).execute();
      expect(moves).toEqual([{ kind: 'reserve', on_hand_delta: 0, reserved_delta: 2 }]);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('refuses to reserve more than is available, naming the SKU, and writes nothing', async () => {
      const a = await findSku(api, assistant, 'kkkl');
      const b = await findSku(api, assistant, 'xb');
      const [la, lb] = [await level(a.id), await level(b.id)];
      const n = await counts();
      const res = await reserve(assistant, { lines: [{ skuId: a.id, qty: 1 }, { skuId: b.id, qty: lb.available + 1 }] });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('insufficient_stock');
      expect(res.body.error.message).toContain(b.id);
      expect(res.body.error.message).toContain(`可用 ${lb.available}`);
      expect(await level(a.id)).toEqual(la);
      expect(await level(b.id)).toEqual(lb);
      expect(await counts()).toEqual(n);
      // Exactly what is available can be held; then nothing more.
      expect((await reserve(assistant, { lines: [{ skuId: b.id, qty: lb.available }] })).status).toBe(201);
      expect((await reserve(assistant, { lines: [{ skuId: b.id, qty: 1 }] })).status).toBe(409);
      expect((await level(b.id)).available).toBe(0);
      // And a plain sale cannot take the held goods either.
      const sale = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: b.id, qty: 1 }], tenders: [{ method: 'cash', amountFen: b.retailPriceFen }], expectedTotalFen: b.retailPriceFen } });
      expect(sale.status).toBe(409);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('turns a reservation into a sale at pickup: holds end and stock leaves in the checkout\'s one transaction', async () => {
      const sku = await findSku(api, assistant, '脉动');
      const before = await level(sku.id);
      const r = reservationResponse.parse((await reserve(assistant, { lines: [{ skuId: sku.id, qty: 3 }] })).body).reservation;
      const n = await counts();
      const res = await pickUp(assistant, r.id, [{ skuId: sku.id, qty: 3, unitFen: sku.retailPriceFen }]);
      expect(res.status).toBe(201);
      const order = checkoutResponse.parse(res.body).order;
      expect(order.totalFen).toBe(3 * sku.retailPriceFen);
      expect(await level(sku.id)).toEqual({ onHand: before.onHand - 3, reserved: before.reserved, available: before.available - 3 });
      const after = (await api.deps.db.selectFrom('customer_reservations').select(['status', 'order_id']).where('id', '=', r.id).executeTakeFirstOrThrow());
      expect(after).toEqual({ status: 'picked_up', order_id: order.id });
      const moves = await api.deps.db.selectFrom('stock_movements').select(['kind', 'on_hand_delta', 'reserved_delta']).where('ref_id', 'in', [r.id, order.id]).orderBy('kind').execute();
      expect(moves).toEqual([
        { kind: 'release', on_hand_delta: 0, reserved_delta: -3 },
        { kind: 'reserve', on_hand_delta: 0, reserved_delta: 3 },
        { kind: 'sale', on_hand_delta: -3, reserved_delta: 0 },
      ]);
      expect((await counts()).n).toBe(n.n);

      // Picked up once: a second checkout naming it is refused and writes no order.
      const orders = await api.deps.db.selectFrom('orders').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
      const twice = await pickUp(assistant, r.id, [{ skuId: sku.id, qty: 1, unitFen: sku.retailPriceFen }]);
      expect(twice.status).toBe(409);
      expect(twice.body.error.message).toContain('已取货');
      expect((await api.deps.db.selectFrom('orders').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n).toBe(orders.n);
      // Cancelling a picked-up reservation is refused too.
      expect((await api.call('POST', `/api/reservations/${r.id}/cancel`, { token: assistant })).status).toBe(409);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('keeps the reservation active when the pickup sale fails (a stale price), so the customer can still collect', async () => {
      const sku = await findSku(api, assistant, 'tyl');
      const r = reservationResponse.parse((await reserve(assistant, { lines: [{ skuId: sku.id, qty: 1 }] })).body).reservation;
      const before = await level(sku.id);
      const stale = await pickUp(assistant, r.id, [{ skuId: sku.id, qty: 1, unitFen: sku.retailPriceFen + 1 }]);
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('price_mismatch');
      expect(await level(sku.id)).toEqual(before);
      expect((await api.deps.db.selectFrom('customer_reservations').select('status').where('id', '=', r.id).executeTakeFirstOrThrow()).status).toBe('active');
      // A pickup at another store of the merchant is refused: the goods are held here.
      const elsewhere = await api.call('POST', '/api/orders', {
        token: owner,
        body: { clientOrderId: orderId(), storeId: api.seed.storeIds.DEMO02, reservationId: r.id, lines: [{ skuId: sku.id, qty: 1 }], tenders: [{ method: 'cash', amountFen: sku.retailPriceFen }], expectedTotalFen: sku.retailPriceFen },
      });
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.body.error.message).toContain('不在本门店');
      expect((await pickUp(assistant, r.id, [{ skuId: sku.id, qty: 1, unitFen: sku.retailPriceFen }])).status).toBe(201);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('releases the holds on cancellation, once', async () => {
      const sku = await findSku(api, assistant, '红牛');
      const before = await level(sku.id);
      const r = reservationResponse.parse((await reserve(assistant, { lines: [{ skuId: sku.id, qty: 2 }] })).body).reservation;
      const res = await api.call('POST', `/api/reservations/${r.id}/cancel`, { token: assistant });
      expect(res.status).toBe(200);
      expect(res.body.reservation.status).toBe('cancelled');
      expect(await level(sku.id)).toEqual(before);
      const again = await api.call('POST', `/api/reservations/${r.id}/cancel`, { token: assistant });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain('已取消');
      const pick = await pickUp(assistant, r.id, [{ skuId: sku.id, qty: 2, unitFen: sku.retailPriceFen }]);
      expect(pick.status).toBe(409);
      expect(pick.body.error.message).toContain('已取消');
      expect(await level(sku.id)).toEqual(before);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('expires reservations whose pickup day has passed: the job releases them, and pickup is refused even before it runs', async () => {
      const sku = await findSku(api, assistant, '德芙');
      const before = await level(sku.id);
      const r = reservationResponse.parse((await reserve(assistant, { lines: [{ skuId: sku.id, qty: 1 }] })).body).reservation;
      // Made days ago for pickup yesterday: the day has passed.
      await api.deps.db.updateTable('customer_reservations').set({ pickup_by: addDays(today, -1) }).where('id', '=', r.id).execute();
      {
        const early = await pickUp(assistant, r.id, [{ skuId: sku.id, qty: 1, unitFen: sku.retailPriceFen }]);
        expect(early.status).toBe(409);
        expect(early.body.error.message).toContain('已过');
        expect((await level(sku.id)).reserved).toBe(before.reserved + 1);
        expect((await api.call('GET', '/api/cron/expire-customer-reservations')).status).toBe(401);
        const job = await api.call('GET', '/api/cron/expire-customer-reservations', { headers: { authorization: 'Bearer test-cron-secret' } });
        expect(job.status).toBe(200);
        expect(job.body.expired).toBeGreaterThanOrEqual(1);
        expect(await level(sku.id)).toEqual(before);
        const again = await api.call('GET', '/api/cron/expire-customer-reservations', { headers: { authorization: 'Bearer test-cron-secret' } });
        expect(again.body.expired).toBe(0);
        const expired = reservationsResponse.parse((await api.call('GET', `/api/reservations?storeId=${storeId}&status=expired`, { token: assistant })).body);
        expect(expired.items.map((i) => i.id)).toContain(r.id);
        const pick = await pickUp(assistant, r.id, [{ skuId: sku.id, qty: 1, unitFen: sku.retailPriceFen }]);
        expect(pick.status).toBe(409);
        expect(pick.body.error.message).toContain('已过期');
      }
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('takes a member reservation with the member\'s name and pickup within the allowed days only', async () => {
      const sku = await findSku(api, assistant, 'wlj');
      const member = (await api.call('GET', '/api/members/lookup?phone=13800000002', { token: assistant })).body.member;
      const ok = await api.call('POST', '/api/reservations', { token: assistant, body: { reservationId: newId('reservation'), storeId, memberId: member.id, pickupBy: addDays(today, reservation_pickup_days_max), lines: [{ skuId: sku.id, qty: 1 }] } });
      expect(ok.status).toBe(201);
      expect(ok.body.reservation).toMatchObject({ memberId: member.id, customerName: '李四', customerPhone: '138****0002' });
      const n = await counts();
      for (const pickupBy of [addDays(today, -1), addDays(today, reservation_pickup_days_max + 1)]) {
        const res = await reserve(assistant, { pickupBy, lines: [{ skuId: sku.id, qty: 1 }] });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain('reservation_pickup_days_max');
      }
      const nobody = await api.call('POST', '/api/reservations', { token: assistant, body: { reservationId: newId('reservation'), storeId, pickupBy: today, lines: [{ skuId: sku.id, qty: 1 }] } });
      expect(nobody.status).toBe(400);
      expect((await reserve(assistant, { lines: [{ skuId: sku.id, qty: 1 }, { skuId: sku.id, qty: 1 }] })).status).toBe(400);
      expect((await reserve(assistant, { lines: [{ skuId: sku.id, qty: 0 }] })).status).toBe(400);
      expect(await counts()).toEqual(n);
    });

    it('keeps tenants and stores apart: another merchant\'s ids are not found, another store is forbidden', async () => {
      const other = await seedOtherMerchant(api.deps.db);
      const otherOwner = await api.staffToken('o_other_owner');
      const sku = await findSku(api, assistant, 'wlj');
      const mine = reservationResponse.parse((await reserve(assistant, { lines: [{ skuId: sku.id, qty: 1 }] })).body).reservation;
      const n = await counts();
      expect((await api.call('GET', `/api/reservations?storeId=${storeId}`, { token: otherOwner })).status).toBe(404);
      expect((await api.call('POST', `/api/reservations/${mine.id}/cancel`, { token: otherOwner })).status).toBe(404);
      const otherSku = await api.deps.db.selectFrom('skus').select('id').where('merchant_id', '=', other.merchantId).executeTakeFirstOrThrow();
      const foreignSku = await reserve(assistant, { lines: [{ skuId: otherSku.id, qty: 1 }] });
      expect(foreignSku.status).toBe(400);
      const otherMember = newId('member');
      await api.deps.db.insertInto('members').values({ id: otherMember, merchant_id: other.merchantId, name: '别家会员', phone: '13700000000' }).execute();
      expect((await api.call('POST', '/api/reservations', { token: assistant, body: { reservationId: newId('reservation'), storeId, memberId: otherMember, pickupBy: today, lines: [{ skuId: sku.id, qty: 1 }] } })).status).toBe(404);
      // Their own store, my reservation: still not found, and their sale is not written.
      const theirs = await api.call('POST', '/api/orders', {
        token: otherOwner,
        body: { clientOrderId: orderId(), storeId: other.storeId, reservationId: mine.id, lines: [{ skuId: otherSku.id, qty: 1 }], tenders: [{ method: 'cash', amountFen: 500 }], expectedTotalFen: 500 },
      });
      expect(theirs.status).toBe(404);
      // The same store's id reused by another merchant is a conflict, not their reservation.
      const reused = await api.call('POST', '/api/reservations', { token: otherOwner, body: { reservationId: mine.id, storeId: other.storeId, customerName: '某人', customerPhone: '13911112222', pickupBy: today, lines: [{ skuId: otherSku.id, qty: 1 }] } });
      expect(reused.status).toBe(409);
      // An assistant of the other store of this merchant: forbidden.
      expect((await api.call('POST', `/api/reservations/${mine.id}/cancel`, { token: otherAssistant })).status).toBe(403);
      expect((await reserve(otherAssistant, { lines: [{ skuId: sku.id, qty: 1 }] })).status).toBe(403);
      expect(await counts()).toEqual(n);
      expect((await api.deps.db.selectFrom('customer_reservations').select('status').where('id', '=', mine.id).executeTakeFirstOrThrow()).status).toBe('active');
    });

    it('lets a signed-in shopper reserve, list and cancel their own reservations, and nobody else\'s', async () => {
      const shopper = async (openId: string) =>
        (await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code: await api.loginCode('wechat', openId), storeCode: 'DEMO01' } })).body.token as string;
      const [zhang, li] = [await shopper('o_demo_member_1'), await shopper('o_demo_member_2')];
      const sku = await findSku(api, assistant, '安慕希');
      const before = await level(sku.id);
      const body = { reservationId: newId('reservation'), storeId, pickupBy: addDays(today, 1), lines: [{ skuId: sku.id, qty: 1 }] };
      const res = await api.call('POST', '/api/shop/reservations', { token: zhang, body });
      expect(res.status).toBe(201);
      expect(res.body.reservation).toMatchObject({ channel: 'shop', customerName: '张三', customerPhone: '13800000001' });
      expect((await api.call('POST', '/api/shop/reservations', { token: zhang, body })).status).toBe(200);
      expect((await api.call('POST', '/api/shop/reservations', { token: li, body })).status).toBe(409);
      expect((await level(sku.id)).reserved).toBe(before.reserved + 1);
      expect((await api.call('POST', '/api/reservations', { token: zhang, body: { ...body, customerName: 'x', customerPhone: '13911112222' } })).status).toBe(403);
      const mine = reservationsResponse.parse((await api.call('GET', '/api/shop/reservations', { token: zhang })).body);
      expect(mine.items.map((i) => i.id)).toEqual([body.reservationId]);
      expect(reservationsResponse.parse((await api.call('GET', '/api/shop/reservations', { token: li })).body).items.map((i) => i.id)).not.toContain(body.reservationId);
      expect((await api.call('POST', `/api/shop/reservations/${body.reservationId}/cancel`, { token: li })).status).toBe(404);
      expect((await api.call('POST', `/api/shop/reservations/${body.reservationId}/cancel`, { token: zhang })).status).toBe(200);
      expect(await level(sku.id)).toEqual(before);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });
    it('holds the last units exactly once under concurrent reservations', async () => {
      const sku = await findSku(api, assistant, '东方树叶');
      const lv = await level(sku.id);
      if (lv.available > 5) expect((await reserve(assistant, { lines: [{ skuId: sku.id, qty: lv.available - 5 }] })).status).toBe(201);
      const left = Math.min(5, lv.available);
      const results = await Promise.all(Array.from({ length: 12 }, () => reserve(assistant, { lines: [{ skuId: sku.id, qty: 1 }] })));
      expect(results.filter((r) => r.status === 201)).toHaveLength(left);
      expect(results.filter((r) => r.status === 409)).toHaveLength(12 - left);
      expect((await level(sku.id)).available).toBe(0);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('holds every stock invariant through a random run of reservations, pickups, cancellations, expiries and sales', async () => {
      const random = mulberry32(20261123);
      const pick = <T,>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
      const skus = await Promise.all(['kkkl', 'xb', '红牛', '脉动'].map((q) => findSku(api, assistant, q)));
      const open: { id: string; skuId: string; qty: number; unitFen: number }[] = [];
      const outcomes = { reserved: 0, refused: 0, picked: 0, cancelled: 0, expired: 0, sold: 0 };
      for (let step = 0; step < 40; step++) {
        const op = random();
        if (op < 0.4 || open.length === 0) {
          const sku = pick(skus);
          const lv = await level(sku.id);
          const qty = 1 + Math.floor(random() * (lv.available + 2));
          const res = await reserve(assistant, { lines: [{ skuId: sku.id, qty }] });
          if (qty <= lv.available) {
            expect(res.status).toBe(201);
            open.push({ id: res.body.reservation.id, skuId: sku.id, qty, unitFen: sku.retailPriceFen });
            outcomes.reserved++;
          } else {
            expect(res.status).toBe(409);
            outcomes.refused++;
          }
        } else if (op < 0.6) {
          const r = open.splice(Math.floor(random() * open.length), 1)[0]!;
          expect((await pickUp(assistant, r.id, [{ skuId: r.skuId, qty: r.qty, unitFen: r.unitFen }])).status).toBe(201);
          outcomes.picked++;
        } else if (op < 0.75) {
          const r = open.splice(Math.floor(random() * open.length), 1)[0]!;
          expect((await api.call('POST', `/api/reservations/${r.id}/cancel`, { token: assistant })).status).toBe(200);
          outcomes.cancelled++;
        } else if (op < 0.85) {
          const r = open.splice(Math.floor(random() * open.length), 1)[0]!;
          await api.deps.db.updateTable('customer_reservations').set({ pickup_by: addDays(today, -1) }).where('id', '=', r.id).execute();
          const job = await api.call('GET', '/api/cron/expire-customer-reservations', { headers: { authorization: 'Bearer test-cron-secret' } });
          expect(job.body.expired).toBe(1);
          outcomes.expired++;
        } else {
          const sku = pick(skus);
          const lv = await level(sku.id);
          const res = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 1 }], tenders: [{ method: 'cash', amountFen: sku.retailPriceFen }], expectedTotalFen: sku.retailPriceFen } });
          expect(res.status).toBe(lv.available >= 1 ? 201 : 409);
          if (res.status === 201) outcomes.sold++;
        }
        expect(await checkInvariants(api)).toEqual(invariantsHold);
        // Reserved is exactly what active holds promise: customer reservations plus unpaid orders.
        const off = await sql<{ n: number }>`
          select count(*)::int as n from stock_levels l
          left join (select r.store_id, cl.sku_id, sum(cl.qty) as q from customer_reservation_lines cl join customer_reservations r on r.id = cl.reservation_id where r.status = 'active' group by 1, 2) c
            on c.store_id = l.store_id and c.sku_id = l.sku_id
          left join (select store_id, sku_id, sum(qty) as q from stock_reservations where status = 'active' group by 1, 2) o
            on o.store_id = l.store_id and o.sku_id = l.sku_id
          where l.reserved <> coalesce(c.q, 0) + coalesce(o.q, 0) or l.on_hand - l.reserved < 0`.execute(api.deps.db);
        expect(off.rows[0]!.n).toBe(0);
      }
      expect(Object.values(outcomes).every((n) => n > 0)).toBe(true);
    });
  });
}
