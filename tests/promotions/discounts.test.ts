import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { checkInvariants, invariantsHold, orderId } from '../_support/selling';
import { productPage, type ProductSummary } from '../../shared/api/catalog';
import { checkoutResponse, pricingContextResponse, type CheckoutRequest, type PricingContext } from '../../shared/api/orders';
import { discountPromotion, type PromotionRequest } from '../../shared/api/promotions';
import { promotionRuleProblem } from '../../shared/pricing/promotion-check';
import { priceOrder } from '../../shared/pricing/index';
import { addToBill, emptyBill, lineFor, pricingInputFor, type CounterBill } from '../../src/services/counter-cart';

let cardRef = 1;

/** The path the owner's 限时折扣 form shows a reason at, from the checks it runs before sending; null when it sends. */
function formCheck(body: unknown): string | null {
  const parsed = discountPromotion.safeParse(body);
  if (!parsed.success) return parsed.error.issues[0]!.path.map(String).join('.');
  return promotionRuleProblem(parsed.data as PromotionRequest)?.path ?? null;
}

/**
 * 限时折扣 set up from the app: who may set one up where, what is refused,
 * and a counter sale with a discount on a parent category and a 满减 after it
 * that checkout prices exactly as the counter's preview did, until stopped.
 */
for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`限时折扣 (discount promotions) on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let manager: string;
    let assistant: string;
    let demo01: string;
    let demo02: string;
    let clothes: string;
    let foreignCategory: string;
    let foreignSku: string;
    const products: Record<'shirt' | 'tea', ProductSummary> = {} as never;

    beforeAll(async () => {
      api = await startTestApi(target);
      const other = await seedOtherMerchant(api.deps.db);
      foreignSku = (await api.deps.db.selectFrom('skus').select('id').where('merchant_id', '=', other.merchantId).executeTakeFirstOrThrow()).id;
      [owner, manager, assistant] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_assistant_1')]);
      demo01 = api.seed.storeIds.DEMO01!;
      demo02 = api.seed.storeIds.DEMO02!;
      const category = async (token: string, name: string, parentId?: string) => {
        const res = await api.call('POST', '/api/categories', { token, body: { name, ...(parentId ? { parentId } : {}) } });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return res.body.id as string;
      };
      clothes = await category(owner, '折扣服装');
      const tops = await category(owner, '折扣上衣', clothes);
      foreignCategory = await category(await api.staffToken('o_other_owner'), '别家服装');
      const product = async (name: string, categoryId: string, priceFen: number) => {
        const body = { name, categoryId, unit: '件', skus: [{ retailPriceFen: priceFen, memberPriceFen: priceFen, costFen: Math.floor(priceFen / 2), openingQty: 50 }], openingStoreId: demo01 };
        const res = await api.call('POST', '/api/products', { token: owner, body });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return productPage.parse((await api.call('GET', `/api/stores/${demo01}/products?q=${encodeURIComponent(name)}`, { token: assistant })).body).items[0]!;
      };
      products.shirt = await product('折扣衬衫', tops, 9999);
      products.tea = await product('折扣茶叶', await category(owner, '折扣食品'), 1999);
    });
    afterAll(async () => api?.stop());

    const context = async (storeId = demo01): Promise<PricingContext> => pricingContextResponse.parse((await api.call('GET', `/api/stores/${storeId}/pricing-context`, { token: storeId === demo01 ? assistant : owner })).body);
    const bill = (...lines: [ProductSummary, number][]): CounterBill => lines.reduce((b, [p, qty]) => addToBill(b, lineFor(p, p.skus[0]!), qty), emptyBill);
    const create = (token: string, body: Record<string, unknown>) => api.call('POST', '/api/promotions', { token, body: { kind: 'discount', ...body } });
    const stop = async (id: string) => expect((await api.call('POST', `/api/promotions/${id}/deactivate`, { token: owner })).status).toBe(200);

    /** Prices a bill as the counter previews it, then bills it by card at that total. */
    async function counterSale(b: CounterBill) {
      const preview = priceOrder(pricingInputFor(b, await context(), { member: null, pointsToRedeem: 0, cashTender: false }));
      const body: CheckoutRequest = {
        clientOrderId: orderId(),
        storeId: demo01,
        lines: b.lines.map((l) => ({ skuId: l.skuId, qty: l.qty })),
        tenders: [{ method: 'card', amountFen: preview.totalFen, reference: `DSC${cardRef++}` }],
        expectedTotalFen: preview.totalFen,
      };
      const res = await api.call('POST', '/api/orders', { token: assistant, body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return { preview, order: checkoutResponse.parse(res.body).order };
    }

    it('refuses what the form refuses at the same field, and another merchant’s category or SKU by its place', async () => {
      const base = { kind: 'discount', name: '服装8折', offBp: 2000, scope: { categoryIds: [clothes] } };
      const bad: [unknown, string][] = [
        [{ ...base, offBp: 9001 }, 'offBp'],
        [{ ...base, offBp: 0 }, 'offBp'],
        [{ ...base, offBp: 12.5 }, 'offBp'],
        [{ ...base, name: ' ' }, 'name'],
        [{ ...base, scope: { categoryIds: [] } }, 'scope'],
        [{ ...base, startsAt: '2026-12-20T00:00:00+08:00', endsAt: '2026-12-10T00:00:00+08:00' }, 'endsAt'],
      ];
      const before = (await api.call('GET', '/api/promotions', { token: owner })).body.items.length;
      for (const [body, path] of bad) {
        expect(formCheck(body), JSON.stringify(body)).toBe(path);
        const res = await api.call('POST', '/api/promotions', { token: owner, body });
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.fields.map((f: { path: string }) => f.path), JSON.stringify(res.body)).toContain(path);
      }
      const category = await create(owner, { ...base, scope: { categoryIds: [clothes, foreignCategory] } });
      expect(category.status).toBe(400);
      expect(category.body.error.fields).toEqual([{ path: 'scope.categoryIds.1', message: expect.stringContaining('第 2 个分类') }]);
      const sku = await create(owner, { ...base, scope: { skuIds: [foreignSku] } });
      expect(sku.status).toBe(400);
      expect(sku.body.error.fields).toEqual([{ path: 'scope.skuIds.0', message: expect.stringContaining('第 1 个商品') }]);
      expect((await api.call('GET', '/api/promotions', { token: owner })).body.items.length).toBe(before);
    });

    it('the owner sets one up for every store, a manager for their own store only, an assistant not at all', async () => {
      const body = { name: '店长折扣', offBp: 1000, startsAt: '2099-01-01T00:00:00+08:00' };
      expect((await create(assistant, { ...body, storeId: demo01 })).status).toBe(403);
      expect((await create(manager, body)).status).toBe(403);
      expect((await create(manager, { ...body, storeId: demo02 })).status).toBe(403);
      const own = await create(manager, { ...body, storeId: demo01 });
      expect(own.status, JSON.stringify(own.body)).toBe(201);
      const all = await create(owner, body);
      expect(all.status).toBe(201);
      expect((await api.call('POST', `/api/promotions/${all.body.id}/deactivate`, { token: manager })).status).toBe(403);
      await stop(all.body.id);
      await stop(own.body.id);
      const listed = (await api.call('GET', '/api/promotions', { token: owner })).body.items.find((p: { id: string }) => p.id === own.body.id);
      expect(listed).toMatchObject({ kind: 'discount', active: false, storeId: demo01, definition: { offBp: 1000 } });
    });

    it('a counter sale takes 服装8折 off a child category’s line, 满减 counts the discounted nets, checkout equals the preview, until stopped', async () => {
      const discount = await create(owner, { name: '服装8折', offBp: 2000, scope: { categoryIds: [clothes] }, startsAt: '2020-01-01T00:00:00+08:00', endsAt: '2099-12-31T23:59:59+08:00' });
      expect(discount.status, JSON.stringify(discount.body)).toBe(201);
      const threshold = await api.call('POST', '/api/promotions', { token: owner, body: { kind: 'threshold', name: '满180减20', minSpendFen: 18_000, offFen: 2000, repeat: false } });
      expect(threshold.status).toBe(201);
      try {
        expect((await context()).discounts).toEqual([{ id: discount.body.id, name: '服装8折', bp: 2000, scope: { categoryIds: [clothes] } }]);
        // 2 × 99.99 = 199.98, 八折 takes 39.99 (39.996 down) → 159.99; with the tea 179.98: under 180, no 满减.
        const under = await counterSale(bill([products.shirt, 2], [products.tea, 1]));
        expect(under.order.totalFen).toBe(under.preview.totalFen);
        expect(under.order.totalFen).toBe(19_998 - 3999 + 1999);
        expect(under.order.adjustments.map((a) => [a.kind, a.label, a.fen])).toEqual([['discount', '折扣·服装8折', 3999]]);
        // A second tea reaches 180 on the discounted nets: 满减 20 comes after the discount.
        const { preview, order } = await counterSale(bill([products.shirt, 2], [products.tea, 2]));
        expect(order.totalFen).toBe(preview.totalFen);
        expect(order.totalFen).toBe(19_998 - 3999 + 3998 - 2000);
        expect(order.adjustments.map((a) => [a.kind, a.label])).toEqual([['discount', '折扣·服装8折'], ['threshold', '满减·满180减20']]);
        expect(order.lines[0]!.adjustments[0]).toMatchObject({ kind: 'discount', fen: 3999 });
        const receipt = (await api.call('GET', `/api/orders/${order.id}/receipt`, { token: assistant })).body.receipt;
        expect(JSON.stringify(receipt)).toContain('折扣·服装8折');
        expect(await checkInvariants(api)).toEqual(invariantsHold);
        // The other store has no stock of these, but its context carries the owner's every-store discount all the same.
        expect((await context(demo02)).discounts?.map((d) => d.name)).toEqual(['服装8折']);
      } finally {
        await stop(discount.body.id);
        await stop(threshold.body.id);
      }
      expect((await context()).discounts).toEqual([]);
      const after = await counterSale(bill([products.shirt, 1]));
      expect(after.order.totalFen).toBe(9999);
      expect(after.order.adjustments).toEqual([]);
    });
  });
}
