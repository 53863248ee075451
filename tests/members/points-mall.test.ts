import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { checkInvariants, invariantsHold } from '../_support/selling';
import { postPoints } from '../../api/_members/index';
import { recordMovements } from '../../api/_stock/index';
import { giftResponse, giftsResponse, redemptionResponse, type GiftRequest } from '../../shared/api/points-mall';

let keySerial = 0;
const key = () => `mall-test-${process.pid}-${++keySerial}`;

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`points mall: points and stock move together, on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let assistant: string;
    let otherOwner: string;
    let storeId: string;
    let otherStoreId: string;
    let skuId: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      otherStoreId = (await seedOtherMerchant(api.deps.db)).storeId;
      [owner, assistant, otherOwner] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_assistant_1'), api.staffToken('o_other_owner')]);
      storeId = api.seed.storeIds.DEMO01!;
      const sku = await api.deps.db.selectFrom('skus').select('id').where('merchant_id', '=', api.seed.merchantId).orderBy('id').executeTakeFirstOrThrow();
      skuId = sku.id;
    });
    afterAll(async () => api?.stop());

    /** A new shopper at the demo store, with this many points on their ledger. */
    async function shopper(openId: string, points: number): Promise<{ token: string; memberId: string }> {
      const code = await api.loginCode('wechat', openId);
      const res = await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code, storeCode: 'DEMO01' } });
      expect(res.status).toBe(200);
      const memberId = res.body.member.id as string;
      if (points > 0) {
        await api.deps.db.transaction().execute((trx) => postPoints(trx, { merchantId: api.seed.merchantId, memberId, delta: points, reason: 'adjust', refId: null, idempotencyKey: `test-grant:${memberId}:${points}` }));
      }
      return { token: res.body.token as string, memberId };
    }

    /** Sets what the store has available of the gift's SKU, through the stock ledger. */
    async function setAvailable(n: number) {
      const level = await api.deps.db.selectFrom('stock_levels').select(['on_hand', 'reserved']).where('store_id', '=', storeId).where('sku_id', '=', skuId).executeTakeFirst();
      const delta = n - ((level?.on_hand ?? 0) - (level?.reserved ?? 0));
      if (delta !== 0) {
        await api.deps.db.transaction().execute((trx) => recordMovements(trx, [{ merchantId: api.seed.merchantId, storeId, skuId, kind: 'adjustment', onHandDelta: delta, idempotencyKey: key() }]));
      }
    }

    async function level() {
      const l = await api.deps.db.selectFrom('stock_levels').select(['on_hand', 'reserved']).where('store_id', '=', storeId).where('sku_id', '=', skuId).executeTakeFirstOrThrow();
      return { onHand: Number(l.on_hand), reserved: Number(l.reserved) };
    }

    async function balance(memberId: string): Promise<number> {
      const r = await sql<{ b: number }>`select coalesce((select balance_after from points_ledger where member_id = ${memberId} order by seq desc limit 1), 0)::int as b`.execute(api.deps.db);
      return r.rows[0]!.b;
    }

    async function newGift(over: Partial<GiftRequest> = {}) {
      const body: GiftRequest = { name: '帆布袋', skuId, pointsPrice: 100, cashFen: 0, perMemberMax: 5, active: true, ...over };
      const res = await api.call('POST', '/api/mall/gifts', { token: owner, body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return giftResponse.parse(res.body).gift;
    }

    const redeem = (token: string, giftId: string, qty: number, idempotencyKey = key()) =>
      api.call('POST', '/api/shop/mall/redemptions', { token, body: { giftId, storeId, qty, idempotencyKey } });

    it('the owner sets a gift up; bad input is a 400 naming the field, and writes nothing', async () => {
      const bad = await api.call('POST', '/api/mall/gifts', { token: owner, body: { name: '帆布袋', skuId, pointsPrice: 0, cashFen: 0, perMemberMax: 1, active: true } });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('pointsPrice');
      expect(JSON.stringify(bad.body)).toContain('所需积分至少 1');
      const none = await api.deps.db.selectFrom('mall_gifts').select('id').execute();
      expect(none).toEqual([]);
      const gift = await newGift({ cashFen: 500 });
      expect(gift).toMatchObject({ name: '帆布袋', pointsPrice: 100, cashFen: 500, active: true });
      const assistantTry = await api.call('POST', '/api/mall/gifts', { token: assistant, body: { name: '帆布袋', skuId, pointsPrice: 1, cashFen: 0, perMemberMax: 1, active: true } });
      expect(assistantTry.status).toBe(403);
    });

    it('a shop redemption takes the points and holds the unit in one transaction; a replay writes nothing; another request under the key is a 409', async () => {
      const gift = await newGift();
      await setAvailable(5);
      const m = await shopper('o_mall_1', 250);
      const before = await level();
      const idem = key();
      const res = await redeem(m.token, gift.id, 2, idem);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const r = redemptionResponse.parse(res.body).redemption;
      expect(r).toMatchObject({ status: 'awaiting_pickup', qty: 2, points: 200, channel: 'shop' });
      expect(r.pickupCode).toMatch(/^[0-9]{8}$/);
      expect(await balance(m.memberId)).toBe(50);
      expect(await level()).toEqual({ onHand: before.onHand, reserved: before.reserved + 2 });

      const again = await redeem(m.token, gift.id, 2, idem);
      expect(again.status).toBe(200);
      expect(again.body.replayed).toBe(true);
      expect(again.body.redemption.id).toBe(r.id);
      expect(await balance(m.memberId)).toBe(50);
      const other = await redeem(m.token, gift.id, 1, idem);
      expect(other.status).toBe(409);

      const moves = await api.deps.db.selectFrom('stock_movements').select(['kind', 'reserved_delta']).where('ref_id', '=', r.id).execute();
      expect(moves).toEqual([{ kind: 'reserve', reserved_delta: 2 }]);
      const posted = await api.deps.db.selectFrom('points_ledger').select(['reason', 'delta']).where('ref_id', '=', r.id).execute();
      expect(posted.map((p) => ({ reason: p.reason, delta: Number(p.delta) }))).toEqual([{ reason: 'mall_redeem', delta: -200 }]);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('too few points or over the per-member limit: refused with the reason, and neither ledger moves', async () => {
      const gift = await newGift({ perMemberMax: 2, pointsPrice: 10 });
      await setAvailable(10);
      const poor = await shopper('o_mall_poor', 5);
      const before = await level();
      const refused = await redeem(poor.token, gift.id, 1);
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain('积分不足');
      expect(await level()).toEqual(before);
      expect(await balance(poor.memberId)).toBe(5);

      const rich = await shopper('o_mall_rich', 1000);
      expect((await redeem(rich.token, gift.id, 2)).status).toBe(201);
      const over = await redeem(rich.token, gift.id, 1);
      expect(over.status).toBe(400);
      expect(over.body.error.message).toContain('每人限兑 2 件');
      expect(await balance(rich.memberId)).toBe(980);
      expect((await level()).reserved).toBe(before.reserved + 2);
      const rows = await api.deps.db.selectFrom('mall_redemptions').select('id').where('member_id', 'in', [poor.memberId, rich.memberId]).execute();
      expect(rows).toHaveLength(1);
    });

    it('two members racing for the last unit: exactly one gets it, the other keeps their points', async () => {
      const gift = await newGift({ pointsPrice: 30 });
      await setAvailable(1);
      const a = await shopper('o_mall_race_a', 100);
      const b = await shopper('o_mall_race_b', 100);
      const [ra, rb] = await Promise.all([redeem(a.token, gift.id, 1), redeem(b.token, gift.id, 1)]);
      expect([ra.status, rb.status].sort()).toEqual([201, 409]);
      const loser = ra.status === 409 ? a : b;
      const winner = ra.status === 201 ? a : b;
      expect(await balance(loser.memberId)).toBe(100);
      expect(await balance(winner.memberId)).toBe(70);
      const l = await level();
      expect(l.onHand - l.reserved).toBe(0);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('cancelling an unclaimed redemption gives points and the unit back once, however many taps race', async () => {
      const gift = await newGift({ pointsPrice: 40 });
      await setAvailable(3);
      const m = await shopper('o_mall_cancel', 100);
      const before = await level();
      const r = redemptionResponse.parse((await redeem(m.token, gift.id, 1)).body).redemption;
      const taps = await Promise.all([1, 2, 3].map(() => api.call('POST', `/api/shop/mall/redemptions/${r.id}/cancel`, { token: m.token })));
      expect(taps.map((t) => t.status)).toEqual([200, 200, 200]);
      expect(taps.every((t) => t.body.redemption.status === 'cancelled')).toBe(true);
      expect(await balance(m.memberId)).toBe(100);
      expect(await level()).toEqual(before);
      const back = await api.deps.db.selectFrom('points_ledger').select('delta').where('ref_id', '=', r.id).where('reason', '=', 'mall_cancel').execute();
      expect(back.map((p) => Number(p.delta))).toEqual([40]);
      const released = await api.deps.db.selectFrom('stock_movements').select('kind').where('ref_id', '=', r.id).where('kind', '=', 'release').execute();
      expect(released).toHaveLength(1);
      // Someone else's redemption is not found, and a cancelled one cannot be handed over.
      const stranger = await shopper('o_mall_stranger', 0);
      expect((await api.call('POST', `/api/shop/mall/redemptions/${r.id}/cancel`, { token: stranger.token })).status).toBe(404);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('staff hand a waiting gift over by its code: the hold leaves the shelf as gift_out, the journal records it, and only once', async () => {
      const gift = await newGift({ pointsPrice: 200, cashFen: 300 });
      await setAvailable(2);
      const m = await shopper('o_mall_pickup', 500);
      const r = redemptionResponse.parse((await redeem(m.token, gift.id, 1)).body).redemption;
      const before = await level();
      const seen = await api.call('GET', `/api/stores/${storeId}/mall/pickups/${r.pickupCode}`, { token: assistant });
      expect(seen.status).toBe(200);
      expect(seen.body.redemption.id).toBe(r.id);
      const [h1, h2] = await Promise.all([
        api.call('POST', `/api/stores/${storeId}/mall/pickups`, { token: assistant, body: { code: r.pickupCode } }),
        api.call('POST', `/api/stores/${storeId}/mall/pickups`, { token: assistant, body: { code: r.pickupCode } }),
      ]);
      expect([h1.status, h2.status].sort()).toEqual([200, 404]);
      expect(await level()).toEqual({ onHand: before.onHand - 1, reserved: before.reserved - 1 });
      const out = await api.deps.db.selectFrom('stock_movements').select(['kind', 'on_hand_delta', 'reserved_delta']).where('ref_id', '=', r.id).where('kind', '=', 'gift_out').execute();
      expect(out).toEqual([{ kind: 'gift_out', on_hand_delta: -1, reserved_delta: -1 }]);
      const entry = await sql<{ account: string; debit_fen: number; credit_fen: number }>`select l.account, l.debit_fen::int, l.credit_fen::int from journal_lines l join journal_entries e on e.id = l.entry_id
        where e.event_key = ${`mall_gift:${r.id}`} order by l.account`.execute(api.deps.db);
      const debit = entry.rows.reduce((s, l) => s + l.debit_fen, 0);
      expect(debit).toBe(entry.rows.reduce((s, l) => s + l.credit_fen, 0));
      expect(entry.rows.find((l) => l.account === 'points_liability')?.debit_fen).toBe(200);
      expect(entry.rows.find((l) => l.account === 'cash')?.debit_fen).toBe(300);
      // Picked up: it can no longer be cancelled.
      const late = await api.call('POST', `/api/shop/mall/redemptions/${r.id}/cancel`, { token: m.token });
      expect(late.status).toBe(409);
      expect(await balance(m.memberId)).toBe(300);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('the counter redeems for a member standing there: points off and the unit handed over at once', async () => {
      const gift = await newGift({ pointsPrice: 50 });
      await setAvailable(2);
      const m = await shopper('o_mall_counter', 60);
      const before = await level();
      const res = await api.call('POST', `/api/stores/${storeId}/mall/redemptions`, { token: assistant, body: { giftId: gift.id, memberId: m.memberId, qty: 1, idempotencyKey: key() } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.redemption).toMatchObject({ status: 'picked_up', channel: 'counter', pickupCode: null });
      expect(await balance(m.memberId)).toBe(10);
      expect(await level()).toEqual({ onHand: before.onHand - 1, reserved: before.reserved });
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it("keeps merchants apart: another merchant's owner, staff and members see none of the demo's gifts or codes", async () => {
      const gift = await newGift({ pointsPrice: 10 });
      await setAvailable(2);
      const m = await shopper('o_mall_tenancy', 100);
      const r = redemptionResponse.parse((await redeem(m.token, gift.id, 1)).body).redemption;
      const body: GiftRequest = { name: '改名', skuId, pointsPrice: 1, cashFen: 0, perMemberMax: 1, active: true };
      expect((await api.call('PUT', `/api/mall/gifts/${gift.id}`, { token: otherOwner, body })).status).toBe(404);
      expect(giftsResponse.parse((await api.call('GET', '/api/mall/gifts', { token: otherOwner })).body).items).toEqual([]);
      expect((await api.call('GET', `/api/stores/${otherStoreId}/mall/pickups/${r.pickupCode}`, { token: otherOwner })).status).toBe(404);
      expect((await api.call('POST', `/api/stores/${otherStoreId}/mall/pickups`, { token: otherOwner, body: { code: r.pickupCode } })).status).toBe(404);
      expect((await api.call('POST', `/api/stores/${storeId}/mall/pickups`, { token: otherOwner, body: { code: r.pickupCode } })).status).toBe(404);
      expect((await api.call('POST', `/api/stores/${otherStoreId}/mall/redemptions`, { token: otherOwner, body: { giftId: gift.id, memberId: m.memberId, qty: 1, idempotencyKey: key() } })).status).toBe(404);
      // A member of the other merchant asking for the demo's gift at the demo store.
      const code = await api.loginCode('wechat', 'o_mall_other_member');
      const other = await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code, storeCode: 'OTHER1' } });
      expect((await api.call('GET', `/api/shop/mall/gifts?storeId=${storeId}`, { token: other.body.token })).status).toBe(404);
      expect((await api.call('POST', '/api/shop/mall/redemptions', { token: other.body.token, body: { giftId: gift.id, storeId: otherStoreId, qty: 1, idempotencyKey: key() } })).status).toBe(404);
      const still = await api.deps.db.selectFrom('mall_redemptions').select('status').where('id', '=', r.id).executeTakeFirstOrThrow();
      expect(still.status).toBe('awaiting_pickup');
    });
  });
}
