import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../shared/prng';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, invariantsHold, orderId } from '../_support/selling';
import { productPage, type SkuSummary } from '../../shared/api/catalog';
import { checkoutResponse, type OrderView } from '../../shared/api/orders';
import { endReservation, reserveStock } from '../../api/_stock/reservations';
import { businessDate } from '../../api/_kernel/clock';
import { newId } from '../../shared/ids';


const operations = 160;
const seed = Number(process.env.GUITAI_PROPERTY_SEED ?? 20261123);

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`invariants after random sales, returns, reservations and expiries on ${target.name}`, () => {
    let api: TestApi;
    let token: string;
    let storeId: string;
    let skus: SkuSummary[];
    let clock = Date.now();

    beforeAll(async () => {
      api = await startTestApi(target);
      api.setNow(new Date(clock));
      token = await api.staffToken('o_demo_assistant_1');
      storeId = api.seed.storeIds.DEMO01!;
      // A few SKUs with little stock, so sales, holds and expiries collide.
      const page = productPage.parse((await api.call('GET', `/api/stores/${storeId}/products?limit=8`, { token })).body);
      skus = page.items.map((p) => p.skus[0]!).slice(0, 6);
      const { recordMovements } = await import('../../api/_stock/stock.repository');
      await api.deps.db.transaction().execute(async (trx) => {
        for (const s of skus) await recordMovements(trx, [{ merchantId: api.seed.merchantId, storeId, skuId: s.id, kind: 'adjustment', onHandDelta: 6 - s.available, idempotencyKey: `prop:start:${s.id}` }]);
      });
    });
    afterAll(async () => api?.stop());

    it(`holds every invariant after ${operations} random operations (seed ${seed})`, async () => {
      const rand = mulberry32(seed);
      const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
      const members = await api.deps.db.selectFrom('members').select('id').where('merchant_id', '=', api.seed.merchantId).execute();
      const sold: OrderView[] = [];
      const held: string[] = [];
      const tally: Record<string, number> = {};
      for (let i = 0; i < operations; i++) {
        const op = pick(['sale', 'sale', 'sale', 'return', 'reserve', 'reserve', 'expire', 'consume']);
        if (op === 'sale') {
          const lines = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({ skuId: pick(skus).id, qty: 1 + Math.floor(rand() * 2) }));
          const member = rand() < 0.5 ? pick(members).id : undefined;
          const total = lines.reduce((s, l) => {
            const sku = skus.find((x) => x.id === l.skuId)!;
            return s + l.qty * (member ? sku.memberPriceFen : sku.retailPriceFen);
          }, 0);
          const res = await api.call('POST', '/api/orders', { token, body: { clientOrderId: orderId(), storeId, ...(member ? { memberId: member } : {}), lines, tenders: [{ method: 'cash', amountFen: total + Math.floor(rand() * 500) }], expectedTotalFen: total } });
          tally[`sale ${res.status}`] = (tally[`sale ${res.status}`] ?? 0) + 1;
          expect([201, 409]).toContain(res.status);
          if (res.status === 201) sold.push(checkoutResponse.parse(res.body).order);
        } else if (op === 'return' && sold.length > 0) {
          const order = pick(sold);
          const line = pick(order.lines);
          const res = await api.call('POST', '/api/returns', { token, body: { clientReturnId: newId('return'), orderId: order.id, reason: '随机退货', lines: [{ orderLineId: line.id, qty: 1 }] } });
          tally[`return ${res.status}`] = (tally[`return ${res.status}`] ?? 0) + 1;
          expect([201, 400]).toContain(res.status);
        } else if (op === 'reserve') {
          const id = orderId();
          const sku = pick(skus);
          const qty = 1 + Math.floor(rand() * 2);
          try {
            await api.deps.db.transaction().execute(async (trx) => {
              await trx.insertInto('orders').values({ id, merchant_id: api.seed.merchantId, store_id: storeId, channel: 'self_service', status: 'open', total_fen: sku.retailPriceFen * qty, business_date: businessDate(new Date(clock)) }).execute();
              await reserveStock(trx, { merchantId: api.seed.merchantId, storeId, orderId: id, lines: [{ skuId: sku.id, qty }], expiresAt: new Date(clock + (1 + Math.floor(rand() * 20)) * 60_000) });
            });
            held.push(id);
            tally['reserve ok'] = (tally['reserve ok'] ?? 0) + 1;
          } catch (e) {
            expect((e as { code?: string }).code).toBe('insufficient_stock');
            tally['reserve short'] = (tally['reserve short'] ?? 0) + 1;
          }
        } else if (op === 'expire') {
          clock += Math.floor(rand() * 15) * 60_000;
          api.setNow(new Date(clock));
          const res = await api.call('GET', '/api/cron/release-reservations', { headers: { authorization: 'Bearer test-cron-secret' } });
          expect(res.status).toBe(200);
          tally['expired orders'] = (tally['expired orders'] ?? 0) + res.body.orders;
        } else if (op === 'consume' && held.length > 0) {
          const id = held.splice(Math.floor(rand() * held.length), 1)[0]!;
          await api.deps.db.transaction().execute(async (trx) => {
            const n = await endReservation(trx, id, 'consume', null);
            if (n > 0) await trx.updateTable('orders').set({ status: 'paid', paid_at: new Date(clock) }).where('id', '=', id).where('status', '=', 'open').execute();
          });
        }
        if (i % 40 === 39) expect(await checkInvariants(api)).toEqual(invariantsHold);
      }
      expect(await checkInvariants(api)).toEqual(invariantsHold);
      // The sequence really exercised each path.
      expect(tally['sale 201']).toBeGreaterThan(10);
      expect(tally['reserve ok']).toBeGreaterThan(3);
      expect(Object.keys(tally).some((k) => k.startsWith('return'))).toBe(true);
      const cronNoAuth = await api.call('GET', '/api/cron/release-reservations');
      expect(cronNoAuth.status).toBe(401);
    }, 180_000);
  });
}
