import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { newId } from '../../shared/ids';
import { checkoutResponse, pricingContextResponse, type CheckoutRequest } from '../../shared/api/orders';
import { memberLookupResponse } from '../../shared/api/members';
import { shopStoredValueResponse, storedValuePlanResponse, storedValueRefundResponse, storedValueStatement, topUpPaymentResponse, topUpResponse } from '../../shared/api/stored-value';
import { callSandbox, until } from '../_support/sandbox-client';
import { priceOrder } from '../../shared/pricing/index';
import { drawFrom, restoreOf } from '../../shared/stored-value/draw';
import { moveStoredValueToMember } from '../../api/_stored-value/index';
import { prepaid_card_anonymous_cap_fen, prepaid_card_registered_cap_fen, prepaid_card_surrender_cash_max_fen } from '../../api/_stored-value/limits';

/**
 * Stored value (储值, #17) through the API: plans, counter top-ups, the
 * balance as a tender, returns, the owner's refund, caps, merges and
 * tenancy, with the journal checked line by line and the books balanced.
 */

describe('the stored-value draw rule (proportional, bonus rounded down)', () => {
  it('draws both parts in proportion, never more than there is, and whole on the last fen', () => {
    expect(drawFrom({ principalFen: 10_000, bonusFen: 2_000 }, 6_000)).toEqual({ principalFen: 5_000, bonusFen: 1_000 });
    expect(drawFrom({ principalFen: 10_000, bonusFen: 2_000 }, 7)).toEqual({ principalFen: 6, bonusFen: 1 });
    expect(drawFrom({ principalFen: 10_000, bonusFen: 2_000 }, 12_000)).toEqual({ principalFen: 10_000, bonusFen: 2_000 });
    expect(drawFrom({ principalFen: 10_000, bonusFen: 2_000 }, 12_001)).toBeNull();
    expect(drawFrom({ principalFen: 0, bonusFen: 0 }, 1)).toBeNull();
  });

  it('gives back over several returns exactly what the sale drew, part by part', () => {
    const spent = { principalFen: 5_001, bonusFen: 999 };
    let restored = { principalFen: 0, bonusFen: 0 };
    for (const amount of [1, 1_999, 3_000, 1_000]) {
      const back = restoreOf(spent, restored, amount)!;
      expect(back.principalFen + back.bonusFen).toBe(amount);
      restored = { principalFen: restored.principalFen + back.principalFen, bonusFen: restored.bonusFen + back.bonusFen };
    }
    expect(restored).toEqual(spent);
    expect(restoreOf(spent, restored, 1)).toBeNull();
  });
});

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`stored value, on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let manager: string;
    let assistant: string;
    let otherOwner: string;
    let storeId: string;
    let planId: string;
    let phoneSeq = 0;

    beforeAll(async () => {
      api = await startTestApi(target);
      await seedOtherMerchant(api.deps.db);
      [owner, manager, assistant, otherOwner] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_assistant_1'), api.staffToken('o_other_owner')]);
      storeId = api.seed.storeIds.DEMO01!;
      const plan = await api.call('POST', '/api/stored-value/plans', { token: owner, body: { name: '充100送20', payFen: 10_000, bonusFen: 2_000 } });
      expect(plan.status, JSON.stringify(plan.body)).toBe(201);
      planId = storedValuePlanResponse.parse(plan.body).plan.id;
    });
    afterAll(async () => api?.stop());

    async function newMember(): Promise<string> {
      const res = await api.call('POST', '/api/members', { token: assistant, body: { phone: `1370000${String(++phoneSeq).padStart(4, '0')}` } });
      expect(res.status).toBe(201);
      return memberLookupResponse.parse(res.body).member.id;
    }

    function topUp(memberId: string, opts: { id?: string; plan?: string; method?: 'cash' | 'card'; token?: string } = {}) {
      const method = opts.method ?? 'cash';
      return api.call('POST', `/api/stores/${storeId}/stored-value/top-ups`, {
        token: opts.token ?? assistant,
        body: { clientTopUpId: opts.id ?? newId('storedValueTopUp'), memberId, planId: opts.plan ?? planId, method, ...(method === 'card' ? { reference: 'POS123' } : {}) },
      });
    }

    async function statement(memberId: string) {
      const res = await api.call('GET', `/api/members/${memberId}/stored-value`, { token: manager });
      expect(res.status).toBe(200);
      return storedValueStatement.parse(res.body);
    }

    async function entryLines(eventKey: string): Promise<Record<string, number>> {
      const rows = await sql<{ account: string; net: number }>`select l.account, (sum(l.debit_fen) - sum(l.credit_fen))::int as net from journal_lines l join journal_entries e on e.id = l.entry_id
        where e.event_key = ${eventKey} group by l.account`.execute(api.deps.db);
      return Object.fromEntries(rows.rows.map((r) => [r.account, r.net]));
    }

    /** A counter sale of `qty` of one SKU for the member, paid by the given tenders (built from the previewed total). */
    async function preview(memberId: string, qty: number, skuQuery = 'cmyltx') {
      const tee = await findSku(api, assistant, skuQuery);
      const ctx = pricingContextResponse.parse((await api.call('GET', `/api/stores/${storeId}/pricing-context`, { token: assistant })).body);
      const priced = priceOrder({
        lines: [{ skuId: tee.id, qty, retailPriceFen: tee.retailPriceFen, ...(tee.memberPriceFen !== undefined ? { memberPriceFen: tee.memberPriceFen } : {}) }],
        member: { id: memberId, pointsBalance: 0 },
        bundles: ctx.bundles,
        thresholds: ctx.thresholds,
        cashRounding: 'none',
        cashTender: false,
      });
      return { skuId: tee.id, totalFen: priced.totalFen };
    }

    function sell(memberId: string, skuId: string, qty: number, totalFen: number, tenders: CheckoutRequest['tenders']) {
      const body: CheckoutRequest = { clientOrderId: orderId(), storeId, memberId, lines: [{ skuId, qty }], tenders, expectedTotalFen: totalFen };
      return api.call('POST', '/api/orders', { token: assistant, body });
    }

    /** The ledger agrees with itself: each member's balance row equals the sum of their movements and their last row's balances. */
    async function ledgerConsistent(): Promise<number> {
      const off = await sql<{ n: number }>`select count(*)::int as n from stored_value_accounts a
        left join (select member_id, sum(principal_delta_fen) as p, sum(bonus_delta_fen) as b, max(seq) as seq from stored_value_ledger group by member_id) s on s.member_id = a.member_id
        left join stored_value_ledger last on last.member_id = a.member_id and last.seq = a.seq
        where a.principal_fen <> coalesce(s.p, 0) or a.bonus_fen <> coalesce(s.b, 0) or a.seq <> coalesce(s.seq, 0)
          or (a.seq > 0 and (last.principal_after_fen <> a.principal_fen or last.bonus_after_fen <> a.bonus_fen))`.execute(api.deps.db);
      return off.rows[0]!.n;
    }

    it('only the owner makes and stops plans; every member of staff sees them; a stopped plan sells no more', async () => {
      expect((await api.call('POST', '/api/stored-value/plans', { token: manager, body: { name: '充50送5', payFen: 5_000, bonusFen: 500 } })).status).toBe(403);
      const bad = await api.call('POST', '/api/stored-value/plans', { token: owner, body: { name: '充50送5', payFen: 0, bonusFen: 500 } });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('payFen');
      const over = await api.call('POST', '/api/stored-value/plans', { token: owner, body: { name: '巨额', payFen: prepaid_card_registered_cap_fen, bonusFen: 1 } });
      expect(over.status).toBe(400);
      const made = storedValuePlanResponse.parse((await api.call('POST', '/api/stored-value/plans', { token: owner, body: { name: '充50送5', payFen: 5_000, bonusFen: 500 } })).body).plan;
      const listed = await api.call('GET', '/api/stored-value/plans', { token: assistant });
      expect(listed.body.plans.map((p: { id: string }) => p.id)).toContain(made.id);
      expect((await api.call('POST', `/api/stored-value/plans/${made.id}/stop`, { token: owner })).body.plan.status).toBe('stopped');
      const member = await newMember();
      const refused = await topUp(member, { plan: made.id });
      expect(refused.status).toBe(409);
      expect((await statement(member)).balance.totalFen).toBe(0);
    });

    it('a counter top-up of 100 gives 120, principal and bonus apart; the journal owes the 100 and books no bonus; a replay moves nothing', async () => {
      const member = await newMember();
      const id = newId('storedValueTopUp');
      const first = await topUp(member, { id });
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      expect(topUpResponse.parse(first.body).balance).toMatchObject({ principalFen: 10_000, bonusFen: 2_000, totalFen: 12_000 });
      const again = await topUp(member, { id });
      expect(again.status).toBe(200);
      expect(again.body.replayed).toBe(true);
      expect((await topUp(member, { id, method: 'card' })).status).toBe(409);
      const s = await statement(member);
      expect(s.balance).toMatchObject({ principalFen: 10_000, bonusFen: 2_000 });
      expect(s.movements).toHaveLength(1);
      expect(s.movements[0]).toMatchObject({ kind: 'top_up', principalDeltaFen: 10_000, bonusDeltaFen: 2_000, principalAfterFen: 10_000, bonusAfterFen: 2_000 });
      expect(await entryLines(`stored_value_top_up:${id}`)).toEqual({ cash: 10_000, stored_value_liability: -10_000 });
      expect(await checkInvariants(api)).toEqual(invariantsHold);
      expect(await ledgerConsistent()).toBe(0);
    });

    it('pays a sale from stored value split with cash: principal settles the liability, bonus is a discount; a return puts both parts back', async () => {
      const member = await newMember();
      await topUp(member);
      const { skuId, totalFen } = await preview(member, 2);
      const fromCard = Math.min(totalFen - 100, 12_000);
      const sale = await sell(member, skuId, 2, totalFen, [
        { method: 'stored_value', amountFen: fromCard },
        { method: 'cash', amountFen: totalFen - fromCard },
      ]);
      expect(sale.status, JSON.stringify(sale.body)).toBe(201);
      const order = checkoutResponse.parse(sale.body).order;
      const draw = drawFrom({ principalFen: 10_000, bonusFen: 2_000 }, fromCard)!;
      const s = await statement(member);
      expect(s.balance).toMatchObject({ principalFen: 10_000 - draw.principalFen, bonusFen: 2_000 - draw.bonusFen });
      expect(s.movements[0]).toMatchObject({ kind: 'spend', orderId: order.id, principalDeltaFen: -draw.principalFen, bonusDeltaFen: -draw.bonusFen });
      expect(await entryLines(`stored_value_spend:${order.id}`)).toEqual({ stored_value_liability: draw.principalFen, sales_discounts: draw.bonusFen, clearing_stored_value: -fromCard });
      expect((await entryLines(`sale:${order.id}`)).clearing_stored_value).toBe(fromCard);

      // Return one of the two: the refund splits over the tenders in the order taken, stored value first.
      const ret = await api.call('POST', '/api/returns', { token: owner, body: { clientReturnId: newId('return'), orderId: order.id, reason: '尺码不合适', lines: [{ orderLineId: order.lines[0]!.id, qty: 1 }] } });
      expect(ret.status, JSON.stringify(ret.body)).toBe(201);
      const back = (ret.body.return.refunds as { method: string; amountFen: number }[]).find((r) => r.method === 'stored_value')!;
      expect(back.amountFen).toBeGreaterThan(0);
      const parts = restoreOf(draw, { principalFen: 0, bonusFen: 0 }, back.amountFen)!;
      const after = await statement(member);
      expect(after.movements[0]).toMatchObject({ kind: 'return', orderId: order.id, principalDeltaFen: parts.principalFen, bonusDeltaFen: parts.bonusFen });
      expect(await entryLines(`stored_value_return:${ret.body.return.id}`)).toEqual({ clearing_stored_value: back.amountFen, stored_value_liability: -parts.principalFen, sales_discounts: -parts.bonusFen });
      expect(await checkInvariants(api)).toEqual(invariantsHold);
      expect(await ledgerConsistent()).toBe(0);
    });

    it('refuses a sale that asks more than the balance, a stored-value tender without a member, and offline', async () => {
      const member = await newMember();
      await topUp(member);
      const { skuId, totalFen } = await preview(member, 10);
      expect(totalFen).toBeGreaterThan(12_000);
      const short = await sell(member, skuId, 10, totalFen, [{ method: 'stored_value', amountFen: totalFen }]);
      expect(short.status).toBe(409);
      expect((await statement(member)).balance.totalFen).toBe(12_000);
      const noMember = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, lines: [{ skuId, qty: 1 }], tenders: [{ method: 'stored_value', amountFen: 100 }], expectedTotalFen: 100 } });
      expect(noMember.status).toBe(400);
      expect(JSON.stringify(noMember.body)).toContain('memberId');
    });

    it('two sales at once cannot overdraw: of four that each need more than a third of the balance, exactly two go through', async () => {
      const member = await newMember();
      await topUp(member);
      let qty = 1;
      let p = await preview(member, qty);
      while (p.totalFen <= 4_000) p = await preview(member, ++qty);
      expect(p.totalFen).toBeLessThanOrEqual(6_000);
      const results = await Promise.all([0, 1, 2, 3].map(() => sell(member, p.skuId, qty, p.totalFen, [{ method: 'stored_value', amountFen: p.totalFen }])));
      expect(results.map((r) => r.status).sort()).toEqual([201, 201, 409, 409]);
      const s = await statement(member);
      expect(s.balance.totalFen).toBe(12_000 - 2 * p.totalFen);
      expect(s.movements.filter((m) => m.kind === 'spend')).toHaveLength(2);
      expect(await ledgerConsistent()).toBe(0);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('caps each card: a top-up past the merchant cap is a 4xx naming the rule; a member with no phone is an anonymous card capped at 1000 yuan; the cap cannot pass the law', async () => {
      expect((await api.call('PUT', '/api/settings/stored-value', { token: owner, body: { balanceCapFen: prepaid_card_registered_cap_fen + 1 } })).status).toBe(400);
      expect((await api.call('PUT', '/api/settings/stored-value', { token: manager, body: { balanceCapFen: 20_000 } })).status).toBe(403);
      const set = await api.call('PUT', '/api/settings/stored-value', { token: owner, body: { balanceCapFen: 20_000 } });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ balanceCapFen: 20_000, legalCapFen: prepaid_card_registered_cap_fen, anonymousCapFen: prepaid_card_anonymous_cap_fen });
      try {
        const member = await newMember();
        expect((await topUp(member)).status).toBe(201);
        const over = await topUp(member);
        expect(over.status).toBe(409);
        expect(over.body.error.message).toContain('单用途预付卡');
        expect((await statement(member)).balance.totalFen).toBe(12_000);
      } finally {
        await api.call('PUT', '/api/settings/stored-value', { token: owner, body: { balanceCapFen: prepaid_card_registered_cap_fen } });
      }
      const anonymous = newId('member');
      await api.deps.db.insertInto('members').values({ id: anonymous, merchant_id: api.seed.merchantId, name: null, phone: null, wechat_openid: null, alipay_user_id: null }).execute();
      expect((await statement(anonymous)).balance.capFen).toBe(prepaid_card_anonymous_cap_fen);
    });

    it('the owner refunds the unused principal: over 100 yuan not in cash, by bank with a reference; the bonus is forfeited and recorded; staff may not', async () => {
      const member = await newMember();
      // Two top-ups: 200 yuan of principal, over the 100 yuan a surrender may pay in cash.
      await topUp(member);
      await topUp(member);
      const body = (method: 'cash' | 'bank', extra: Record<string, unknown> = {}) => ({ clientRefundId: newId('storedValueRefund'), storeId, method, note: '顾客搬家', ...extra });
      expect((await api.call('POST', `/api/members/${member}/stored-value/refund`, { token: manager, body: body('bank', { reference: 'B1' }) })).status).toBe(403);
      const cash = await api.call('POST', `/api/members/${member}/stored-value/refund`, { token: owner, body: body('cash') });
      expect(cash.status).toBe(400);
      expect(cash.body.error.message).toContain(String(prepaid_card_surrender_cash_max_fen / 100));
      const noRef = await api.call('POST', `/api/members/${member}/stored-value/refund`, { token: owner, body: body('bank') });
      expect(noRef.status).toBe(400);
      expect((await statement(member)).balance.totalFen).toBe(24_000);
      const ok = body('bank', { reference: 'TRANSFER-001' });
      const done = await api.call('POST', `/api/members/${member}/stored-value/refund`, { token: owner, body: ok });
      expect(done.status, JSON.stringify(done.body)).toBe(201);
      expect(storedValueRefundResponse.parse(done.body).refund).toMatchObject({ principalFen: 20_000, bonusForfeitedFen: 4_000, method: 'bank' });
      const replay = await api.call('POST', `/api/members/${member}/stored-value/refund`, { token: owner, body: ok });
      expect(replay.status).toBe(200);
      const s = await statement(member);
      expect(s.balance).toMatchObject({ principalFen: 0, bonusFen: 0 });
      expect(s.movements.slice(0, 2).map((m) => [m.kind, m.principalDeltaFen, m.bonusDeltaFen])).toEqual([
        ['forfeit', 0, -4_000],
        ['refund', -20_000, 0],
      ]);
      expect(await entryLines(`stored_value_refund:${ok.clientRefundId}`)).toEqual({ stored_value_liability: 20_000, bank: -20_000 });
      const nothing = await api.call('POST', `/api/members/${member}/stored-value/refund`, { token: owner, body: body('cash') });
      expect(nothing.status).toBe(409);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('every movement of a balance queues one 储值变动 message in its transaction: top-up, spend, return, refund; a replay adds none', async () => {
      const member = await newMember();
      const messages = async () => {
        const rows = await api.deps.db.selectFrom('member_messages').select(['idempotency_key', 'topic', 'data']).where('member_id', '=', member).where('topic', '=', 'stored_value_changed').orderBy('created_at').orderBy('id').execute();
        return rows.map((r) => ({ key: r.idempotency_key, data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, string> }));
      };
      const topUpId = newId('storedValueTopUp');
      expect((await topUp(member, { id: topUpId })).status).toBe(201);
      expect((await topUp(member, { id: topUpId })).status).toBe(200);
      expect(await messages()).toMatchObject([{ key: `stored_value_changed:top_up:${topUpId}`, data: { reason: '充值', amount: '120.00元', balance: '120.00元' } }]);

      // Another SKU than the other tests sell, so this test does not run the store out of their tee.
      const { skuId, totalFen } = await preview(member, 2, 'wlj');
      const sale = await sell(member, skuId, 2, totalFen, [{ method: 'stored_value', amountFen: totalFen }]);
      expect(sale.status, JSON.stringify(sale.body)).toBe(201);
      const order = checkoutResponse.parse(sale.body).order;
      const ret = await api.call('POST', '/api/returns', { token: owner, body: { clientReturnId: newId('return'), orderId: order.id, reason: '不想要了', lines: [{ orderLineId: order.lines[0]!.id, qty: 1 }] } });
      expect(ret.status, JSON.stringify(ret.body)).toBe(201);
      const refund = { clientRefundId: newId('storedValueRefund'), storeId, method: 'bank', reference: 'TRANSFER-MSG', note: '退卡' };
      expect((await api.call('POST', `/api/members/${member}/stored-value/refund`, { token: owner, body: refund })).status).toBe(201);
      expect((await api.call('POST', `/api/members/${member}/stored-value/refund`, { token: owner, body: refund })).status).toBe(200);

      const s = await statement(member);
      const balanceAfter = (kind: string) => {
        const m = s.movements.find((x) => x.kind === kind)!;
        return `${((m.principalAfterFen + m.bonusAfterFen) / 100).toFixed(2)}元`;
      };
      const got = await messages();
      expect(got.map((m) => m.key)).toEqual([
        `stored_value_changed:top_up:${topUpId}`,
        `stored_value_changed:spend:${order.id}`,
        `stored_value_changed:return:${ret.body.return.id}`,
        `stored_value_changed:refund:${refund.clientRefundId}`,
      ]);
      expect(got[1]!.data).toMatchObject({ reason: '消费', amount: `${(totalFen / 100).toFixed(2)}元`, balance: balanceAfter('spend') });
      expect(got[2]!.data).toMatchObject({ reason: '退货退回', balance: balanceAfter('return') });
      // The surrender is one message: the principal paid back and the bonus forfeited, to a balance of nothing.
      expect(got[3]!.data).toMatchObject({ reason: '退卡退款', balance: '0.00元' });
      // The sale's earned points are told the same way as a shop order's (complete-order.ts).
      expect(order.pointsEarned).toBeGreaterThan(0);
      const points = await api.deps.db.selectFrom('member_messages').select(['topic', 'data']).where('idempotency_key', '=', `points_changed:earn:${order.id}`).execute();
      expect(points.map((p) => p.topic)).toEqual(['points_changed']);
      expect(JSON.stringify(points[0]!.data)).toContain(`消费获得 ${order.pointsEarned} 积分`);
    });

    it('a merge moves the balance once, out of one card and into the other, part by part', async () => {
      const from = await newMember();
      const to = await newMember();
      await topUp(from);
      await topUp(to);
      const mergeId = 'mrg_test_1';
      for (let i = 0; i < 2; i++) {
        await api.deps.db.transaction().execute((trx) => moveStoredValueToMember(trx, { merchantId: api.seed.merchantId, fromMemberId: from, toMemberId: to, mergeId }));
      }
      expect((await statement(from)).balance).toMatchObject({ principalFen: 0, bonusFen: 0 });
      const s = await statement(to);
      expect(s.balance).toMatchObject({ principalFen: 20_000, bonusFen: 4_000 });
      expect(s.movements.filter((m) => m.kind === 'move_in')).toHaveLength(1);
      expect(await ledgerConsistent()).toBe(0);
    });

    it("keeps merchants apart and members to their own: another merchant's owner gets 404; a shopper sees only their own 储值", async () => {
      const member = await newMember();
      await topUp(member);
      expect((await api.call('GET', `/api/members/${member}/stored-value`, { token: otherOwner })).status).toBe(404);
      expect((await api.call('POST', `/api/members/${member}/stored-value/refund`, { token: otherOwner, body: { clientRefundId: newId('storedValueRefund'), storeId, method: 'bank', reference: 'X', note: 'x' } })).status).toBe(404);
      expect((await api.call('POST', `/api/stored-value/plans/${planId}/stop`, { token: otherOwner })).status).toBe(404);
      expect((await topUp(member, { token: otherOwner })).status).toBe(404);
      const otherPlans = await api.call('GET', '/api/stored-value/plans', { token: otherOwner });
      expect(otherPlans.body.plans).toEqual([]);

      const code = await api.loginCode('wechat', 'o_stored_value_shopper');
      const login = await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code, storeCode: 'DEMO01' } });
      const mine = await api.call('GET', '/api/shop/stored-value', { token: login.body.token });
      expect(mine.status).toBe(200);
      const view = shopStoredValueResponse.parse(mine.body);
      expect(view.balance.totalFen).toBe(0);
      expect(view.plans.map((p) => p.id)).toContain(planId);
      expect(view.plans.every((p) => p.status === 'active')).toBe(true);
    });
  });
}

const shoppers = { wechat: { platform: 'wechat', userId: 'o_sv_member_wx' }, alipay: { platform: 'alipay', userId: '2088000000000917' } } as const;

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`stored value topped up in the shop through the platform's payment, on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let storeId: string;
    let planId: string;
    const sandbox = (path: string, body?: unknown) => callSandbox(api.sandbox.url, path, body);

    beforeAll(async () => {
      api = await startTestApi(target, { http: true });
      owner = await api.staffToken('o_demo_owner');
      storeId = api.seed.storeIds.DEMO01!;
      await sandbox('/sandbox/notifications/control', { mode: 'normal', retryScale: 0.0001 });
      planId = storedValuePlanResponse.parse((await api.call('POST', '/api/stored-value/plans', { token: owner, body: { name: '充100送20', payFen: 10_000, bonusFen: 2_000 } })).body).plan.id;
    });
    afterAll(async () => api?.stop());

    for (const channel of ['wechat', 'alipay'] as const) {
      it(`${channel}: tops up 100 and gets 120 once, however many times the signed notification comes; the amount is the plan's`, async () => {
        const who = shoppers[channel];
        const code = await api.loginCode(who.platform, who.userId);
        const token = (await api.call('POST', '/api/auth/shopper/login', { body: { platform: who.platform, code, storeCode: 'DEMO01' } })).body.token as string;
        const opened = await api.call('POST', '/api/shop/stored-value/top-ups', { token, body: { clientTopUpId: newId('storedValueTopUp'), planId, storeId, channel } });
        expect(opened.status, JSON.stringify(opened.body)).toBe(201);
        const topUp = topUpResponse.parse(opened.body).topUp;
        expect(topUp).toMatchObject({ status: 'pending', payFen: 10_000, bonusFen: 2_000 });
        const paymentId = newId('payment');
        const pay = await api.call('POST', `/api/shop/stored-value/top-ups/${topUp.id}/pay`, { token, body: { clientPaymentId: paymentId } });
        expect(pay.status, JSON.stringify(pay.body)).toBe(201);
        const payment = topUpPaymentResponse.parse(pay.body).payment;
        expect(payment).toMatchObject({ amountFen: 10_000, orderId: null });
        // Three copies of the signed notification: the payment and the top-up change once.
        await sandbox('/sandbox/notifications/control', { mode: 'repeat:3', count: 1, retryScale: 0.0001 });
        const jsapi = payment.jsapi!;
        const played = await sandbox(`/sandbox/${channel}/pay`, jsapi.channel === 'wechat' ? { prepayId: jsapi.package.replace('prepay_id=', '') } : { tradeNo: jsapi.tradeNO });
        expect(played.status).toBeLessThan(300);
        const credited = await until('the top-up credited', async () => {
          const r = topUpResponse.parse((await api.call('GET', `/api/shop/stored-value/top-ups/${topUp.id}`, { token })).body);
          return r.topUp.status === 'credited' ? r : undefined;
        });
        expect(credited.balance).toMatchObject({ principalFen: 10_000, bonusFen: 2_000 });
        await until('all three notifications', async () => {
          const n = await api.deps.db.selectFrom('payment_notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('payment_id', '=', paymentId).executeTakeFirstOrThrow();
          return Number(n.n) >= 3 ? true : undefined;
        });
        const mine = shopStoredValueResponse.parse((await api.call('GET', '/api/shop/stored-value', { token })).body);
        expect(mine.balance).toMatchObject({ principalFen: 10_000, bonusFen: 2_000 });
        expect(mine.movements.filter((m) => m.kind === 'top_up')).toHaveLength(1);
        const account = channel === 'wechat' ? 'clearing_wechat' : 'clearing_alipay';
        const lines = await sql<{ account: string; net: number }>`select l.account, (sum(l.debit_fen) - sum(l.credit_fen))::int as net from journal_lines l join journal_entries e on e.id = l.entry_id
          where e.event_key = ${`stored_value_top_up:${topUp.id}`} group by l.account`.execute(api.deps.db);
        expect(Object.fromEntries(lines.rows.map((r) => [r.account, r.net]))).toEqual({ [account]: 10_000, stored_value_liability: -10_000 });
        // Paying again is refused: the top-up is credited.
        expect((await api.call('POST', `/api/shop/stored-value/top-ups/${topUp.id}/pay`, { token, body: { clientPaymentId: newId('payment') } })).status).toBe(409);
        expect(await checkInvariants(api)).toEqual(invariantsHold);
      });
    }

    it("another shopper cannot pay or see someone's top-up", async () => {
      const a = await api.loginCode('wechat', 'o_sv_member_a');
      const ta = (await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code: a, storeCode: 'DEMO01' } })).body.token as string;
      const b = await api.loginCode('wechat', 'o_sv_member_b');
      const tb = (await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code: b, storeCode: 'DEMO01' } })).body.token as string;
      const topUp = topUpResponse.parse((await api.call('POST', '/api/shop/stored-value/top-ups', { token: ta, body: { clientTopUpId: newId('storedValueTopUp'), planId, storeId, channel: 'wechat' } })).body).topUp;
      expect((await api.call('GET', `/api/shop/stored-value/top-ups/${topUp.id}`, { token: tb })).status).toBe(404);
      expect((await api.call('POST', `/api/shop/stored-value/top-ups/${topUp.id}/pay`, { token: tb, body: { clientPaymentId: newId('payment') } })).status).toBe(404);
    });
  });
}
