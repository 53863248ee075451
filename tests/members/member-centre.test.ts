import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { sellTo, shopperToken } from '../_support/members';
import { seedOtherMerchant } from '../_support/other-merchant';
import { memberCentreResponse, memberOrdersResponse, pointsPageResponse } from '../../shared/api/members';
import { receiptModel } from '../../shared/receipt/model';
import { signSession } from '../../api/_identity/index';

/** The member centre's API (#17): the member's own points, level, orders and receipts, through their own token and nothing else. */
for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`the member centre API, on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let assistant: string;
    beforeAll(async () => {
      api = await startTestApi(target);
      [owner, assistant] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_assistant_1')]);
      const levels = [
        { name: '普通会员', minSpendFen: 0, minVisits: 0 },
        { name: '金卡', minSpendFen: 900_000_000, minVisits: 0, discountBp: 1000, pointsMultiplierBp: 20_000 },
      ];
      expect((await api.call('PUT', '/api/settings/selling', { token: owner, body: { pointsPerYuan: 1, memberLevels: levels } })).status).toBe(200);
    });
    afterAll(async () => api?.stop());

    it('shows the live balance and its ledger, the level and the next, and the orders with their receipts', async () => {
      const me = await shopperToken(api, 'wechat', 'o_centre_1');
      const sale = await sellTo(api, assistant, me.memberId);
      const centre = memberCentreResponse.parse((await api.call('GET', '/api/me/centre', { token: me.token })).body);
      expect(centre.member).toMatchObject({ id: me.memberId, points: sale.pointsEarned, phoneBound: false, level: '普通会员' });
      expect(centre.level).toMatchObject({ name: '普通会员', discountBp: 0 });
      expect(centre.nextLevel).toMatchObject({ name: '金卡', discountBp: 1000, pointsMultiplierBp: 20_000 });
      const points = pointsPageResponse.parse((await api.call('GET', '/api/me/points', { token: me.token })).body);
      expect(points.balance).toBe(sale.pointsEarned);
      expect(points.items).toEqual([expect.objectContaining({ delta: sale.pointsEarned, reason: 'earn', label: '消费获得', refId: sale.orderId })]);
      expect(points.next).toBeNull();
      const orders = memberOrdersResponse.parse((await api.call('GET', '/api/me/orders', { token: me.token })).body);
      expect(orders.items.map((o) => o.id)).toEqual([sale.orderId]);
      expect(orders.items[0]).toMatchObject({ channel: 'counter', pointsEarned: sale.pointsEarned });
      const receipt = await api.call('GET', `/api/me/orders/${sale.orderId}/receipt`, { token: me.token });
      expect(receipt.status).toBe(200);
      expect(receiptModel.parse(receipt.body.receipt).orderId).toBe(sale.orderId);
    });

    it("another member's order is not found; staff and another merchant's member get nothing of this member", async () => {
      const mine = await shopperToken(api, 'wechat', 'o_centre_2');
      const theirs = await shopperToken(api, 'wechat', 'o_centre_3');
      const sale = await sellTo(api, assistant, mine.memberId);
      expect((await api.call('GET', `/api/me/orders/${sale.orderId}/receipt`, { token: theirs.token })).status).toBe(404);
      expect(memberOrdersResponse.parse((await api.call('GET', '/api/me/orders', { token: theirs.token })).body).items).toEqual([]);
      expect((await api.call('GET', `/api/me/orders/not-an-id/receipt`, { token: mine.token })).status).toBe(404);
      for (const path of ['/api/me/centre', '/api/me/points', '/api/me/orders', `/api/me/orders/${sale.orderId}/receipt`]) {
        expect((await api.call('GET', path, { token: assistant })).status).toBe(403);
        expect((await api.call('GET', path)).status).toBe(401);
      }
      // A member token of another merchant naming this member's id: no such member there.
      const other = await seedOtherMerchant(api.deps.db);
      const forged = await signSession(api.deps.config.sessionSecret, { kind: 'member', subject: mine.memberId, merchantId: other.merchantId }, new Date(), 600);
      expect((await api.call('GET', '/api/me/orders', { token: forged.token })).status).toBe(401);
      expect((await api.call('GET', `/api/me/orders/${sale.orderId}/receipt`, { token: forged.token })).status).toBe(401);
      expect((await api.call('GET', '/api/me/points?before=abc', { token: mine.token })).status).toBe(400);
    });
  });
}
