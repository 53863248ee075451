import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { findSku } from '../_support/selling';
import { pricingContextResponse } from '../../shared/api/orders';
import { bundlePromotion, type PromotionRequest } from '../../shared/api/promotions';
import { promotionRuleProblem } from '../../shared/pricing/promotion-check';

/** The path the owner's bundle form shows a reason at, from the same checks it runs before sending; null when it sends. */
function formCheck(body: unknown): string | null {
  const parsed = bundlePromotion.safeParse(body);
  if (!parsed.success) return parsed.error.issues[0]!.path.map(String).join('.');
  return promotionRuleProblem(parsed.data as PromotionRequest)?.path ?? null;
}

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`bundles (组合套餐) set up from the app on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let assistant: string;
    let demo01: string;
    let demo02: string;
    let foreignSku: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      const other = await seedOtherMerchant(api.deps.db);
      foreignSku = (await api.deps.db.selectFrom('skus').select('id').where('merchant_id', '=', other.merchantId).executeTakeFirstOrThrow()).id;
      [owner, assistant] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_assistant_1')]);
      demo01 = api.seed.storeIds.DEMO01!;
      demo02 = api.seed.storeIds.DEMO02!;
    });
    afterAll(async () => api?.stop());

    it('refuses what the form refuses, at the same field, and names a SKU of another merchant by its place', async () => {
      const tee = await findSku(api, assistant, 'cmyltx');
      const socks = await findSku(api, assistant, 'ydmw');
      const base = { kind: 'bundle', name: 'T恤配袜', items: [{ skuId: tee.id, qty: 1 }, { skuId: socks.id, qty: 2 }], priceFen: 6000 };
      const bad: [unknown, string][] = [
        [{ ...base, items: [{ skuId: tee.id, qty: 1 }] }, 'items'],
        [{ ...base, items: [{ skuId: tee.id, qty: 0 }, { skuId: socks.id, qty: 1 }] }, 'items.0.qty'],
        [{ ...base, priceFen: Number.NaN }, 'priceFen'],
        [{ ...base, name: ' ' }, 'name'],
        [{ ...base, startsAt: '2026-12-02T00:00:00+08:00', endsAt: '2026-12-01T23:59:59+08:00' }, 'endsAt'],
      ];
      const before = (await api.call('GET', '/api/promotions', { token: owner })).body.items.length;
      for (const [body, path] of bad) {
        expect(formCheck(body), JSON.stringify(body)).toBe(path);
        // JSON has no NaN: the form never sends it, and the server refuses the null it would become.
        const res = await api.call('POST', '/api/promotions', { token: owner, body });
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.fields.map((f: { path: string }) => f.path), JSON.stringify(res.body)).toContain(path);
      }
      const foreign = { ...base, items: [{ skuId: tee.id, qty: 1 }, { skuId: foreignSku, qty: 1 }] };
      expect(formCheck(foreign)).toBeNull();
      const res = await api.call('POST', '/api/promotions', { token: owner, body: foreign });
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toEqual([{ path: 'items.1.skuId', message: expect.stringContaining('第 2 个商品') }]);
      expect((await api.call('GET', '/api/promotions', { token: owner })).body.items.length).toBe(before);
    });

    it('prices a one-store bundle in that store only, for its dates, and stops when stopped', async () => {
      const tee = await findSku(api, assistant, 'cmyltx');
      const socks = await findSku(api, assistant, 'ydmw');
      const body = { kind: 'bundle', name: '夏日套装', storeId: demo01, items: [{ skuId: tee.id, qty: 1 }, { skuId: socks.id, qty: 2 }], priceFen: 5000, startsAt: '2020-01-01T00:00:00+08:00', endsAt: '2099-12-31T23:59:59+08:00' };
      expect(formCheck(body)).toBeNull();
      const created = await api.call('POST', '/api/promotions', { token: owner, body });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const bundlesIn = async (storeId: string, token: string) => pricingContextResponse.parse((await api.call('GET', `/api/stores/${storeId}/pricing-context`, { token })).body).bundles;
      expect((await bundlesIn(demo01, assistant)).map((b) => [b.name, b.priceFen, b.items])).toEqual([['夏日套装', 5000, body.items]]);
      expect(await bundlesIn(demo02, owner)).toEqual([]);
      const stop = await api.call('POST', `/api/promotions/${created.body.id}/deactivate`, { token: owner });
      expect(stop.status).toBe(200);
      expect(await bundlesIn(demo01, assistant)).toEqual([]);
      const listed = (await api.call('GET', '/api/promotions', { token: owner })).body.items.find((p: { id: string }) => p.id === created.body.id);
      expect(listed).toMatchObject({ kind: 'bundle', active: false, storeId: demo01 });
    });
  });
}
