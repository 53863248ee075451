import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { checkInvariants, invariantsHold } from '../_support/selling';
import { sellTo } from '../_support/members';
import { referralsResponse, referralTokenResponse } from '../../shared/api/referrals';
import { moveReferralsToMember } from '../../api/_referrals/index';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`referral (老带新) and its abuse cases, on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let assistant: string;
    let otherMerchantToken: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      await seedOtherMerchant(api.deps.db);
      [owner, assistant] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_assistant_1')]);
      const saved = await api.call('PUT', '/api/referrals/settings', {
        token: owner,
        body: { enabled: true, referrerPoints: 100, refereePoints: 50, referrerCouponTemplateId: null, refereeCouponTemplateId: null, dailyCap: 2 },
      });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      const code = await api.loginCode('wechat', 'o_ref_other_merchant');
      otherMerchantToken = (await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code, storeCode: 'OTHER1' } })).body.token;
    });
    afterAll(async () => api?.stop());

    async function shopper(openId: string, platform: 'wechat' | 'alipay' = 'wechat'): Promise<{ token: string; memberId: string }> {
      const code = await api.loginCode(platform, openId);
      const res = await api.call('POST', '/api/auth/shopper/login', { body: { platform, code, storeCode: 'DEMO01' } });
      expect(res.status).toBe(200);
      return { token: res.body.token as string, memberId: res.body.member.id as string };
    }

    async function shareToken(token: string): Promise<string> {
      const res = await api.call('GET', '/api/shop/referral/token', { token });
      expect(res.status).toBe(200);
      const t = referralTokenResponse.parse(res.body);
      expect(t.path).toContain(encodeURIComponent(t.token));
      expect(t.token).not.toContain('mbr_');
      return t.token;
    }

    const arrive = (token: string, ref: string) => api.call('POST', '/api/shop/referral/arrivals', { token, body: { token: ref } });

    async function balance(memberId: string): Promise<number> {
      const r = await sql<{ b: number }>`select coalesce((select balance_after from points_ledger where member_id = ${memberId} order by seq desc limit 1), 0)::int as b`.execute(api.deps.db);
      return r.rows[0]!.b;
    }

    async function rewards(memberId: string): Promise<number[]> {
      const r = await api.deps.db.selectFrom('points_ledger').select('delta').where('member_id', '=', memberId).where('reason', '=', 'referral_reward').orderBy('seq').execute();
      return r.map((x) => Number(x.delta));
    }

    async function referral(refereeId: string) {
      return api.deps.db.selectFrom('referrals').selectAll().where('referee_member_id', '=', refereeId).where('status', '<>', 'void').executeTakeFirst();
    }

    /** A paid counter sale to the member, priced as the counter prices it. */
    async function buy(memberId: string): Promise<{ id: string; pointsEarned: number }> {
      const sold = await sellTo(api, assistant, memberId);
      return { id: sold.orderId, pointsEarned: sold.pointsEarned };
    }

    it('a forged, edited or foreign token is a 400 and records nothing', async () => {
      const a = await shopper('o_ref_forge_a');
      const b = await shopper('o_ref_forge_b');
      const good = await shareToken(a.token);
      const [v, iv, body, tag] = good.split('.');
      const flipped = `${v}.${iv}.${body!.slice(0, -2)}${body!.at(-2) === 'A' ? 'B' : 'A'}${body!.slice(-1)}.${tag}`;
      for (const bad of ['v1.AAAA.BBBB.CCCC', flipped, a.memberId, 'x']) {
        const res = await arrive(b.token, bad);
        expect(res.status, bad).toBe(400);
        expect(res.body.error.message).toContain('邀请链接无效');
      }
      // A token made at another merchant does not open here.
      const foreign = await shareToken(otherMerchantToken);
      expect((await arrive(b.token, foreign)).status).toBe(400);
      expect(await referral(b.memberId)).toBeUndefined();
    });

    it('no self-referral, and only a new member on their first visit is recorded', async () => {
      const a = await shopper('o_ref_self');
      const mine = await shareToken(a.token);
      expect((await arrive(a.token, mine)).body).toEqual({ recorded: false, reason: '不能邀请自己' });
      expect(await referral(a.memberId)).toBeUndefined();

      // A member who has bought already is not new.
      const old = await shopper('o_ref_old');
      await buy(old.memberId);
      expect((await arrive(old.token, mine)).body).toEqual({ recorded: false, reason: '仅新会员首次到访可接受邀请' });

      // Nor one made longer ago than the first-visit window.
      const late = await shopper('o_ref_late');
      api.setNow(new Date(Date.now() + 31 * 60_000));
      try {
        expect((await arrive(late.token, mine)).body).toEqual({ recorded: false, reason: '仅新会员首次到访可接受邀请' });
      } finally {
        api.setNow(null);
      }
      expect(await referral(old.memberId)).toBeUndefined();
      expect(await referral(late.memberId)).toBeUndefined();
    });

    it('the first paid purchase rewards both once; later purchases and a second referrer give nothing', async () => {
      const a = await shopper('o_ref_a');
      const c = await shopper('o_ref_c');
      const b = await shopper('o_ref_b');
      expect((await arrive(b.token, await shareToken(a.token))).body).toEqual({ recorded: true, reason: null });
      // The same link again answers the same; another member's link afterwards is refused.
      expect((await arrive(b.token, await shareToken(a.token))).body).toEqual({ recorded: true, reason: null });
      expect((await arrive(b.token, await shareToken(c.token))).body).toEqual({ recorded: false, reason: '你已接受过其他会员的邀请' });
      expect((await referral(b.memberId))?.status).toBe('pending');

      const first = await buy(b.memberId);
      const r = await referral(b.memberId);
      expect(r).toMatchObject({ status: 'rewarded', order_id: first.id, referrer_points: 100, referee_points: 50 });
      expect(await rewards(a.memberId)).toEqual([100]);
      expect(await rewards(b.memberId)).toEqual([50]);
      expect(await balance(a.memberId)).toBe(100);

      await buy(b.memberId);
      expect(await rewards(a.memberId)).toEqual([100]);
      expect(await rewards(b.memberId)).toEqual([50]);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('the daily cap per referrer: past it a referral is refused, with the reason, and gives nothing', async () => {
      const a = await shopper('o_ref_cap_a');
      const ref = await shareToken(a.token);
      const people = [];
      for (const id of ['o_ref_cap_1', 'o_ref_cap_2', 'o_ref_cap_3']) {
        const m = await shopper(id);
        expect((await arrive(m.token, ref)).body.recorded).toBe(true);
        people.push(m);
      }
      // Bought at once: the cap holds however the rewards race.
      await Promise.all(people.map((m) => buy(m.memberId)));
      const decided = await Promise.all(people.map((m) => referral(m.memberId)));
      expect(decided.map((d) => d!.status).sort()).toEqual(['refused', 'rewarded', 'rewarded']);
      expect(decided.find((d) => d!.status === 'refused')!.refused_reason).toBe('邀请人当日奖励已达上限');
      expect(await rewards(a.memberId)).toEqual([100, 100]);
    });

    it('one reward per phone: a referee whose phone was rewarded before is refused', async () => {
      const a = await shopper('o_ref_phone_a');
      const ref = await shareToken(a.token);
      const first = await shopper('o_ref_phone_1');
      await sql`update members set phone = '13900000777' where id = ${first.memberId}`.execute(api.deps.db);
      await arrive(first.token, ref);
      await buy(first.memberId);
      expect((await referral(first.memberId))!.status).toBe('rewarded');
      // The same person later comes back as a new member on the phone they had (the old record let it go).
      await sql`update members set phone = null where id = ${first.memberId}`.execute(api.deps.db);
      const again = await shopper('2088000000000102', 'alipay');
      await arrive(again.token, ref);
      await sql`update members set phone = '13900000777' where id = ${again.memberId}`.execute(api.deps.db);
      await buy(again.memberId);
      const r = await referral(again.memberId);
      expect(r).toMatchObject({ status: 'refused', refused_reason: '这个手机号已领过邀请奖励', referee_points: 0 });
      expect(await rewards(again.memberId)).toEqual([]);
      expect(await rewards(a.memberId)).toEqual([100]);
    });

    it('one person on two platforms referring themself: the merge voids the referral, and no reward follows', async () => {
      const wechat = await shopper('o_ref_twin', 'wechat');
      const alipay = await shopper('2088000000000777', 'alipay');
      expect((await arrive(alipay.token, await shareToken(wechat.token))).body.recorded).toBe(true);
      await api.deps.db.transaction().execute((trx) => moveReferralsToMember(trx, { merchantId: api.seed.merchantId, fromMemberId: alipay.memberId, toMemberId: wechat.memberId, mergeId: 'merge-test' }));
      const rows = await api.deps.db.selectFrom('referrals').select(['status', 'referee_member_id', 'referrer_member_id']).where('referrer_member_id', '=', wechat.memberId).execute();
      expect(rows).toEqual([{ status: 'void', referee_member_id: wechat.memberId, referrer_member_id: wechat.memberId }]);
      await buy(wechat.memberId);
      expect(await rewards(wechat.memberId)).toEqual([]);
    });

    it('coupon rewards: each side gets the template the owner chose, once; a refused issue leaves the sale and the points', async () => {
      const tpl = async (name: string) => {
        const body = { name, kind: 'amount_off', minSpendFen: 0, offFen: 300, validity: { kind: 'days', days: 30 }, perMemberMax: 5, returnPolicy: 'never' };
        const res = await api.call('POST', '/api/coupons/templates', { token: owner, body });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return res.body.template.id as string;
      };
      const forReferrer = await tpl('邀请人券');
      const forReferee = await tpl('新会员券');
      const settings = (over: object) => api.call('PUT', '/api/referrals/settings', { token: owner, body: { enabled: true, referrerPoints: 100, refereePoints: 50, referrerCouponTemplateId: forReferrer, refereeCouponTemplateId: forReferee, dailyCap: 2, ...over } });
      // A template that is not this shop's active one is refused when saved, naming the field.
      const unknown = await settings({ refereeCouponTemplateId: 'cpt_nope' });
      expect(unknown.status).toBe(400);
      expect(JSON.stringify(unknown.body)).toContain('refereeCouponTemplateId');
      expect((await settings({})).status).toBe(200);
      expect((await api.call('GET', '/api/referrals/settings', { token: owner })).body).toMatchObject({ referrerCouponTemplateId: forReferrer, refereeCouponTemplateId: forReferee });

      const held = (memberId: string) => api.deps.db.selectFrom('coupons').select(['template_id', 'source', 'idempotency_key']).where('member_id', '=', memberId).where('source', '=', 'referral').execute();
      const a = await shopper('o_ref_coupon_a');
      const b = await shopper('o_ref_coupon_b');
      await arrive(b.token, await shareToken(a.token));
      await buy(b.memberId);
      const r = (await referral(b.memberId))!;
      expect(r.status).toBe('rewarded');
      expect(await held(a.memberId)).toEqual([{ template_id: forReferrer, source: 'referral', idempotency_key: `referral_coupon:${r.id}:referrer` }]);
      expect(await held(b.memberId)).toEqual([{ template_id: forReferee, source: 'referral', idempotency_key: `referral_coupon:${r.id}:referee` }]);
      await buy(b.memberId);
      expect(await held(b.memberId)).toHaveLength(1);

      // The owner stops the referee's template after saving: the next reward still pays points and sells; only that coupon is not given.
      expect((await api.call('POST', `/api/coupons/templates/${forReferee}/stop`, { token: owner })).status).toBe(200);
      const c = await shopper('o_ref_coupon_c');
      await arrive(c.token, await shareToken(a.token));
      await buy(c.memberId);
      expect((await referral(c.memberId))!.status).toBe('rewarded');
      expect(await rewards(c.memberId)).toEqual([50]);
      expect(await held(c.memberId)).toEqual([]);
      expect(await held(a.memberId)).toHaveLength(2);
      expect((await settings({ referrerCouponTemplateId: null, refereeCouponTemplateId: null })).status).toBe(200);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('the owner sees referrals, their rewards and the totals; an assistant may not; settings are validated', async () => {
      const res = await api.call('GET', '/api/referrals', { token: owner });
      expect(res.status).toBe(200);
      const list = referralsResponse.parse(res.body);
      expect(list.totals.rewarded).toBe(list.items.filter((i) => i.status === 'rewarded').length);
      expect(list.totals.pointsGiven).toBe(list.items.filter((i) => i.status === 'rewarded').reduce((s, i) => s + i.referrerPoints + i.refereePoints, 0));
      expect(list.items.some((i) => i.refusedReason === '邀请人当日奖励已达上限')).toBe(true);
      expect((await api.call('GET', '/api/referrals', { token: assistant })).status).toBe(403);
      const bad = await api.call('PUT', '/api/referrals/settings', { token: owner, body: { enabled: true, referrerPoints: -1, refereePoints: 0, referrerCouponTemplateId: null, refereeCouponTemplateId: null, dailyCap: 0 } });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('dailyCap');
      const kept = await api.call('GET', '/api/referrals/settings', { token: owner });
      expect(kept.body).toMatchObject({ referrerPoints: 100, dailyCap: 2 });
    });
  });
}
