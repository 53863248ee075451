import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, invariantsHold } from '../_support/selling';
import { seedOtherMerchant } from '../_support/other-merchant';
import { counterMember, ledgerSum, memberRow, phoneConsent, sellTo, shopperToken } from '../_support/members';
import { bindPhoneResponse, memberOrdersResponse } from '../../shared/api/members';
import { mergeMembers } from '../../api/_members/index';
import { newId } from '../../shared/ids';

/**
 * One member everywhere (#17): binding a phone another member of the merchant
 * has makes the two one member, for every pair of origins (a counter member
 * made by phone, a WeChat shopper, an Alipay shopper), with nothing counted
 * twice and everything theirs following them.
 */

const levels = [
  { name: '普通会员', minSpendFen: 0, minVisits: 0 },
  { name: '银卡', minSpendFen: 900_000_000, minVisits: 0, discountBp: 500 },
  { name: '金卡', minSpendFen: 990_000_000, minVisits: 0, discountBp: 1000 },
];

type Origin = 'counter' | 'wechat' | 'alipay';
const pairs: { first: Origin; second: 'wechat' | 'alipay'; firstLevel: string; secondLevel: string; expectedLevel: string }[] = [
  { first: 'counter', second: 'wechat', firstLevel: '普通会员', secondLevel: '银卡', expectedLevel: '银卡' },
  { first: 'counter', second: 'alipay', firstLevel: '金卡', secondLevel: '银卡', expectedLevel: '金卡' },
  { first: 'wechat', second: 'alipay', firstLevel: '银卡', secondLevel: '金卡', expectedLevel: '金卡' },
  { first: 'alipay', second: 'wechat', firstLevel: '银卡', secondLevel: '普通会员', expectedLevel: '银卡' },
];

let users = 0;
function userId(platform: 'wechat' | 'alipay'): string {
  users++;
  return platform === 'wechat' ? `o_merge_${process.pid}_${users}` : `2088${String(700000000000 + users)}`;
}

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`merging members by phone, on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let assistant: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      [owner, assistant] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_assistant_1')]);
      expect((await api.call('PUT', '/api/settings/selling', { token: owner, body: { pointsPerYuan: 1, memberLevels: levels } })).status).toBe(200);
    });
    afterAll(async () => api?.stop());

    async function bind(token: string, consent: Awaited<ReturnType<typeof phoneConsent>>) {
      return api.call('POST', '/api/me/phone', { token, body: consent });
    }

    /** A member of the given origin holding `phone` (shoppers bind it first, with no one to merge with). */
    async function memberOf(origin: Origin, phone: string): Promise<{ id: string; token?: string; userId?: string }> {
      if (origin === 'counter') return { id: await counterMember(api, assistant, phone) };
      const uid = userId(origin);
      const s = await shopperToken(api, origin, uid);
      const res = await bind(s.token, await phoneConsent(api, origin, uid, phone));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(bindPhoneResponse.parse(res.body)).toMatchObject({ merged: false, member: { id: s.memberId } });
      return { id: s.memberId, token: s.token, userId: uid };
    }

    for (const [i, pair] of pairs.entries()) {
      it(`a ${pair.second} shopper binding the phone of a ${pair.first} member becomes that member, with points, level, orders and ids`, async () => {
        const phone = `1370000${String(100 + i).padStart(4, '0')}`;
        const first = await memberOf(pair.first, phone);
        const firstSale = await sellTo(api, assistant, first.id);
        const secondUser = userId(pair.second);
        const second = await shopperToken(api, pair.second, secondUser);
        const secondSale = await sellTo(api, assistant, second.memberId);
        await api.deps.db.updateTable('members').set({ level: pair.firstLevel }).where('id', '=', first.id).execute();
        await api.deps.db.updateTable('members').set({ level: pair.secondLevel }).where('id', '=', second.memberId).execute();
        const before = { first: (await api.call('GET', '/api/me/points', { token: second.token })).body.balance as number, sum: await ledgerSum(api, [first.id, second.memberId]) };
        const firstBalance = (await api.call('GET', `/api/members/lookup?memberId=${first.id}`, { token: assistant })).body.member.points as number;
        expect(firstBalance).toBeGreaterThanOrEqual(firstSale.pointsEarned);
        expect(before.first).toBe(secondSale.pointsEarned);

        const res = await bind(second.token, await phoneConsent(api, pair.second, secondUser, phone));
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const bound = bindPhoneResponse.parse(res.body);
        expect(bound).toMatchObject({ merged: true, replayed: false, member: { id: first.id, level: pair.expectedLevel, points: firstBalance + secondSale.pointsEarned } });

        // Nothing counted twice: the two members' ledgers sum to what they did, and each balance agrees with its ledger.
        expect(await ledgerSum(api, [first.id, second.memberId])).toBe(before.sum);
        expect(await ledgerSum(api, [second.memberId])).toBe(0);
        const moves = await sql<{ reason: string; delta: number; member_id: string }>`select reason, delta::int, member_id from points_ledger where reason in ('merge_out', 'merge_in') and member_id in (${first.id}, ${second.memberId}) order by seq`.execute(api.deps.db);
        expect(moves.rows).toEqual([
          { reason: 'merge_out', delta: -secondSale.pointsEarned, member_id: second.memberId },
          { reason: 'merge_in', delta: secondSale.pointsEarned, member_id: first.id },
        ]);

        // The survivor keeps the phone and takes the platform id; the absorbed member stays, marked.
        const survivor = await memberRow(api, first.id);
        const absorbed = await memberRow(api, second.memberId);
        expect(survivor.phone).toBe(phone);
        expect(pair.second === 'wechat' ? survivor.wechat_openid : survivor.alipay_user_id).toBe(secondUser);
        expect(absorbed).toMatchObject({ merged_into: first.id, phone: null, wechat_openid: null, alipay_user_id: null });

        // Orders follow the person; the new session and the old one both see both orders.
        const orders = await api.deps.db.selectFrom('orders').select(['id', 'member_id']).where('id', 'in', [firstSale.orderId, secondSale.orderId]).execute();
        expect(orders.every((o) => o.member_id === first.id)).toBe(true);
        for (const token of [bound.token, second.token]) {
          const mine = memberOrdersResponse.parse((await api.call('GET', '/api/me/orders', { token })).body).items.map((o) => o.id);
          expect(mine).toEqual(expect.arrayContaining([firstSale.orderId, secondSale.orderId]));
        }
        const me = await api.call('GET', '/api/me', { token: second.token });
        expect(me.body.member).toMatchObject({ id: first.id, points: firstBalance + secondSale.pointsEarned });
        // Signing in again on the absorbed platform account finds the survivor.
        expect((await shopperToken(api, pair.second, secondUser)).memberId).toBe(first.id);

        const merges = await api.deps.db.selectFrom('member_merges').selectAll().where('from_member_id', '=', second.memberId).execute();
        expect(merges).toHaveLength(1);
        expect(merges[0]).toMatchObject({ to_member_id: first.id, points_moved: secondSale.pointsEarned, level_after: pair.expectedLevel });
        const audits = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'member.merged' and subject_id = ${first.id}`.execute(api.deps.db);
        expect(audits.rows[0]!.n).toBe(1);
        expect(await checkInvariants(api)).toEqual(invariantsHold);
      });
    }

    it('a repeated binding replays its answer, and binding the phone again with a new code changes nothing', async () => {
      const phone = '13700009001';
      const counterId = await counterMember(api, assistant, phone);
      const uid = userId('wechat');
      const s = await shopperToken(api, 'wechat', uid);
      await sellTo(api, assistant, s.memberId);
      const consent = await phoneConsent(api, 'wechat', uid, phone);
      const firstAnswer = bindPhoneResponse.parse((await bind(s.token, consent)).body);
      const sum = await ledgerSum(api, [counterId, s.memberId]);
      // The same code again (a retry after a lost answer): WeChat would refuse a used code, so the answer comes from the binding record.
      const again = await bind(s.token, consent);
      expect(again.status).toBe(200);
      expect(bindPhoneResponse.parse(again.body)).toMatchObject({ merged: true, replayed: true, member: { id: counterId, points: firstAnswer.member.points } });
      const fresh = await bind(firstAnswer.token, await phoneConsent(api, 'wechat', uid, phone));
      expect(bindPhoneResponse.parse(fresh.body)).toMatchObject({ merged: false, replayed: false, member: { id: counterId, points: firstAnswer.member.points } });
      // Alipay's answer for one phone is the same bytes every time (AES-CBC with a zero IV, PKCS#1 v1.5 signature): it replays too.
      const alipayUser = userId('alipay');
      const ali = await shopperToken(api, 'alipay', alipayUser);
      const aliConsent = await phoneConsent(api, 'alipay', alipayUser, phone);
      expect(bindPhoneResponse.parse((await bind(ali.token, aliConsent)).body)).toMatchObject({ merged: true, replayed: false, member: { id: counterId } });
      expect(bindPhoneResponse.parse((await bind(ali.token, aliConsent)).body)).toMatchObject({ merged: true, replayed: true, member: { id: counterId } });
      expect(await ledgerSum(api, [counterId, s.memberId, ali.memberId])).toBe(sum);
      expect(await api.deps.db.selectFrom('member_merges').select('id').where('to_member_id', '=', counterId).execute()).toHaveLength(2);
    });

    it('two bindings of one phone at once by the same shopper make one merge', async () => {
      const phone = '13700009002';
      const counterId = await counterMember(api, assistant, phone);
      const uid = userId('wechat');
      const s = await shopperToken(api, 'wechat', uid);
      await sellTo(api, assistant, s.memberId);
      const sum = await ledgerSum(api, [counterId, s.memberId]);
      const [a, b] = await Promise.all([bind(s.token, await phoneConsent(api, 'wechat', uid, phone)), bind(s.token, await phoneConsent(api, 'wechat', uid, phone))]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(a.body.member.id).toBe(counterId);
      expect(b.body.member.id).toBe(counterId);
      expect(await api.deps.db.selectFrom('member_merges').select('id').where('from_member_id', '=', s.memberId).execute()).toHaveLength(1);
      expect(await ledgerSum(api, [counterId, s.memberId])).toBe(sum);
      expect(await ledgerSum(api, [s.memberId])).toBe(0);
    });

    it('two merges of the same pair in concurrent transactions: one merges, the other finds it done', async () => {
      const a = await counterMember(api, assistant, '13700009003');
      const b = (await shopperToken(api, 'wechat', userId('wechat'))).memberId;
      await sellTo(api, assistant, b);
      const sum = await ledgerSum(api, [a, b]);
      const merge = () =>
        api.deps.db.transaction().execute((trx) => mergeMembers(trx, { merchantId: api.seed.merchantId, fromMemberId: b, toMemberId: a, levels, movers: [], now: new Date(), actorId: 'test' }));
      const results = await Promise.all([merge(), merge()]);
      expect(results.map((r) => r.created).sort()).toEqual([false, true]);
      expect(results[0]!.mergeId).toBe(results[1]!.mergeId);
      expect(await ledgerSum(api, [a, b])).toBe(sum);
      expect(await ledgerSum(api, [b])).toBe(0);
    });

    it("another merchant's member with the same phone is untouched, and merges never cross merchants", async () => {
      const phone = '13700009004';
      const other = await seedOtherMerchant(api.deps.db);
      const theirs = newId('member');
      await api.deps.db.insertInto('members').values({ id: theirs, merchant_id: other.merchantId, phone }).execute();
      const counterId = await counterMember(api, assistant, phone);
      const uid = userId('wechat');
      const s = await shopperToken(api, 'wechat', uid);
      const res = await bind(s.token, await phoneConsent(api, 'wechat', uid, phone));
      expect(bindPhoneResponse.parse(res.body).member.id).toBe(counterId);
      expect(await memberRow(api, theirs)).toMatchObject({ phone, merged_into: null });
      const crossing = api.deps.db.transaction().execute((trx) => mergeMembers(trx, { merchantId: api.seed.merchantId, fromMemberId: theirs, toMemberId: counterId, levels, movers: [], now: new Date(), actorId: 'test' }));
      await expect(crossing).rejects.toMatchObject({ code: 'not_found' });
      expect(await memberRow(api, theirs)).toMatchObject({ phone, merged_into: null });
    });
  });
}
