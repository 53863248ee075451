import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { checkoutResponse, pricingContextResponse } from '../../shared/api/orders';
import { memberLookupResponse } from '../../shared/api/members';
import { priceOrder } from '../../shared/pricing/index';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`promotions, points and 抹零 through checkout on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let manager: string;
    let assistant: string;
    let storeId: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      [owner, manager, assistant] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_assistant_1')]);
      storeId = api.seed.storeIds.DEMO01!;
    });
    afterAll(async () => api?.stop());

    it('prices on the server exactly as the counter previews with the shared engine, rule by rule', async () => {
      const tee = await findSku(api, assistant, 'cmyltx');
      const socks = await findSku(api, assistant, 'ydmw');
      const cola = await findSku(api, assistant, 'kkkl');
      expect((await api.call('POST', '/api/promotions', { token: owner, body: { kind: 'threshold', name: '每满100减10', minSpendFen: 10000, offFen: 1000, repeat: true, capFen: 3000 } })).status).toBe(201);
      expect((await api.call('POST', '/api/promotions', { token: manager, body: { kind: 'bundle', name: 'T恤配袜', storeId, items: [{ skuId: tee.id, qty: 1 }, { skuId: socks.id, qty: 1 }], priceFen: 6000 } })).status).toBe(201);
      expect((await api.call('PUT', `/api/stores/${storeId}/settings`, { token: owner, body: { cashRounding: 'jiao' } })).status).toBe(200);
      expect((await api.call('PUT', '/api/settings/selling', { token: owner, body: { pointsPerYuan: 2, redeemPointsPerFen: 1, pointsRedeemCapBp: 1000 } })).status).toBe(200);

      const ctx = pricingContextResponse.parse((await api.call('GET', `/api/stores/${storeId}/pricing-context`, { token: assistant })).body);
      expect(ctx).toMatchObject({ cashRounding: 'jiao', earnPointsPerYuan: 2, redeemCapBp: 1000 });
      const member = memberLookupResponse.parse((await api.call('GET', '/api/members/lookup?phone=13800000001', { token: assistant })).body).member;
      const lines = [
        { skuId: tee.id, qty: 2 },
        { skuId: socks.id, qty: 1 },
        { skuId: cola.id, qty: 3, discount: { kind: 'percent_off' as const, bp: 1000, reason: '临期' } },
      ];
      const skuById = new Map([tee, socks, cola].map((s) => [s.id, s]));
      const preview = priceOrder({
        lines: lines.map((l) => ({ skuId: l.skuId, qty: l.qty, retailPriceFen: skuById.get(l.skuId)!.retailPriceFen, memberPriceFen: skuById.get(l.skuId)!.memberPriceFen, ...(l.discount ? { discount: l.discount } : {}) })),
        member: { id: member.id, pointsBalance: member.points },
        bundles: ctx.bundles,
        thresholds: ctx.thresholds,
        points: { requested: 500, rules: { redeemPointsPerFen: ctx.redeemPointsPerFen, redeemCapBp: ctx.redeemCapBp } },
        cashRounding: ctx.cashRounding,
        cashTender: true,
      });
      const kinds = new Set(preview.adjustments.map((a) => a.source.kind));
      for (const k of ['bundle', 'threshold', 'points']) expect(kinds).toContain(k);

      const res = await api.call('POST', '/api/orders', {
        token: assistant,
        body: { clientOrderId: orderId(), storeId, memberId: member.id, lines, pointsToRedeem: 500, tenders: [{ method: 'cash', amountFen: preview.totalFen + 10000 }], expectedTotalFen: preview.totalFen },
      });
      expect(res.status).toBe(201);
      const order = checkoutResponse.parse(res.body).order;
      expect(order).toMatchObject({ totalFen: preview.totalFen, discountFen: preview.discountFen, pointsRedeemed: preview.pointsRedeemed, roundingFen: preview.roundingFen, changeFen: 10000 });
      expect(order.lines.map((l) => l.netFen)).toEqual(preview.lines.map((l) => l.netFen));
      expect(order.adjustments.map((a) => a.label)).toEqual(expect.arrayContaining(['套餐·T恤配袜', '满减·每满100减10', '积分抵扣']));
      expect(order.pointsEarned).toBe(Math.floor((preview.totalFen * 2) / 100));
      const after = memberLookupResponse.parse((await api.call('GET', `/api/members/lookup?memberId=${member.id}`, { token: assistant })).body).member;
      expect(after.points).toBe(member.points - preview.pointsRedeemed + order.pointsEarned);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('refuses rules that could not price, and settings from the wrong role', async () => {
      const before = (await api.call('GET', '/api/promotions', { token: owner })).body.items.length;
      const bad = [
        { kind: 'threshold', name: '减太多', minSpendFen: 100, offFen: 200, repeat: false },
        { kind: 'threshold', name: '封顶不重复', minSpendFen: 100, offFen: 10, repeat: false, capFen: 50 },
        { kind: 'bundle', name: '一件套', items: [{ skuId: 'sku_01JZZZZZZZZZZZZZZZZZZZZZZZ', qty: 1 }], priceFen: 100 },
        { kind: 'bundle', name: '不存在', items: [{ skuId: 'sku_01JZZZZZZZZZZZZZZZZZZZZZZZ', qty: 1 }, { skuId: 'sku_01JZZZZZZZZZZZZZZZZZZZZZZY', qty: 1 }], priceFen: 100 },
        { kind: 'threshold', name: '倒着的时间', minSpendFen: 100, offFen: 10, repeat: false, startsAt: '2026-12-02T00:00:00+08:00', endsAt: '2026-12-01T00:00:00+08:00' },
      ];
      for (const body of bad) expect((await api.call('POST', '/api/promotions', { token: owner, body })).status).toBe(400);
      // A 满减 limited to a category that is not the merchant's is refused by the position of that category.
      const ownCategory = (await api.deps.db.selectFrom('categories').select('id').where('merchant_id', '=', api.seed.merchantId).executeTakeFirstOrThrow()).id;
      const unknown = await api.call('POST', '/api/promotions', { token: owner, body: { kind: 'threshold', name: '外店分类', minSpendFen: 100, offFen: 10, repeat: false, scope: { categoryIds: [ownCategory, 'cat_01JZZZZZZZZZZZZZZZZZZZZZZZ'] } } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.fields).toEqual([{ path: 'scope.categoryIds.1', message: '第 2 个分类不存在或不属于本店' }]);
      expect((await api.call('POST', '/api/promotions', { token: manager, body: { kind: 'threshold', name: '全店', minSpendFen: 100, offFen: 10, repeat: false } })).status).toBe(403);
      expect((await api.call('POST', '/api/promotions', { token: assistant, body: { kind: 'threshold', name: 'x', minSpendFen: 100, offFen: 10, repeat: false, storeId } })).status).toBe(403);
      expect((await api.call('PUT', '/api/settings/selling', { token: manager, body: { pointsPerYuan: 5 } })).status).toBe(403);
      expect((await api.call('PUT', `/api/stores/${storeId}/settings`, { token: owner, body: { cashRounding: 'fen' } })).status).toBe(400);
      expect((await api.call('GET', '/api/promotions', { token: owner })).body.items.length).toBe(before);
    });

    it('stops applying a promotion once it is deactivated', async () => {
      const list = (await api.call('GET', '/api/promotions', { token: owner })).body.items as { id: string; kind: string }[];
      for (const p of list) expect((await api.call('POST', `/api/promotions/${p.id}/deactivate`, { token: owner })).status).toBe(200);
      const ctx = pricingContextResponse.parse((await api.call('GET', `/api/stores/${storeId}/pricing-context`, { token: assistant })).body);
      expect(ctx.bundles).toEqual([]);
      expect(ctx.thresholds).toEqual([]);
    });
  });
}
