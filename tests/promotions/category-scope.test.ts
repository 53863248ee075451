import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { fakeChannels } from '../_support/fake-channel';
import { checkInvariants, invariantsHold, orderId } from '../_support/selling';
import { barcodeLookupResponse, productPage, type ProductSummary } from '../../shared/api/catalog';
import { checkoutResponse, pricingContextResponse, type CheckoutRequest, type PricingContext } from '../../shared/api/orders';
import { couponsResponse, couponTemplateResponse, type CouponTemplateRequest } from '../../shared/api/coupons';
import { memberLookupResponse } from '../../shared/api/members';
import { meResponse } from '../../shared/api/identity';
import { reservationResponse } from '../../shared/api/reservations';
import { priceOrder, type CouponRule } from '../../shared/pricing/index';
import { newId } from '../../shared/ids';
import { businessDate } from '../../api/_kernel/clock';
import { addToBill, emptyBill, lineFor, pricingInputFor, type CounterBill } from '../../src/services/counter-cart';
import type { Cart } from '../../src/services/cart';
import { priceShopCart } from '../../src/services/shop-checkout';
import { pickupCheckout, pickupPrice } from '../../src/services/reservations';

let cardRef = 1;

/**
 * Categories are a tree of two levels, and a 满减 or a coupon the owner puts
 * on a top-level category (童装) covers the goods of its children (童装 › 上衣)
 * the same way everywhere: the counter's preview and its checkout, the shop's
 * cart and its order, a reservation's pickup, and a return's give-back of the
 * coupon. A rule on a child reaches neither its parent's own goods nor a sibling's.
 */
for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`promotions and coupons on a parent category cover its children, on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let assistant: string;
    let storeId: string;
    let kids: string;
    let tops: string;
    const products: Record<'box' | 'shirt' | 'trousers', ProductSummary> = {} as never;

    beforeAll(async () => {
      api = await startTestApi(target, { payments: fakeChannels().registry });
      [owner, assistant] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_assistant_1')]);
      storeId = api.seed.storeIds.DEMO01!;
      const category = async (name: string, parentId?: string) => {
        const res = await api.call('POST', '/api/categories', { token: owner, body: { name, ...(parentId ? { parentId } : {}) } });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return res.body.id as string;
      };
      kids = await category('童装');
      tops = await category('上衣', kids);
      const trousers = await category('裤子', kids);
      const product = async (name: string, categoryId: string, priceFen: number) => {
        const body = { name, categoryId, unit: '件', skus: [{ retailPriceFen: priceFen, memberPriceFen: priceFen, costFen: priceFen / 2, openingQty: 50 }], openingStoreId: storeId };
        const res = await api.call('POST', '/api/products', { token: owner, body });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        // The counter finds it as it finds any product: by name, with its category's parent.
        const page = productPage.parse((await api.call('GET', `/api/stores/${storeId}/products?q=${encodeURIComponent(name)}`, { token: assistant })).body);
        return page.items[0]!;
      };
      products.box = await product('童装礼盒', kids, 10_000);
      products.shirt = await product('儿童T恤', tops, 6000);
      products.trousers = await product('儿童长裤', trousers, 8000);
    });
    afterAll(async () => api?.stop());

    const context = async (token = assistant): Promise<PricingContext> => pricingContextResponse.parse((await api.call('GET', `/api/stores/${storeId}/pricing-context`, { token })).body);
    const sku = (p: ProductSummary) => p.skus[0]!;
    const bill = (...lines: [ProductSummary, number][]): CounterBill => lines.reduce((b, [p, qty]) => addToBill(b, lineFor(p, sku(p)), qty), emptyBill);

    /** Prices a bill as the counter previews it, then bills it by card at that total, as the counter does. */
    async function counterSale(b: CounterBill, extra: { memberId?: string; coupon?: CouponRule } = {}) {
      const member = extra.memberId ? { id: extra.memberId, name: '', phoneMasked: '', level: '普通会员', points: 0 } : null;
      const preview = priceOrder(pricingInputFor(b, await context(), { member, pointsToRedeem: 0, cashTender: false, ...(extra.coupon ? { coupon: extra.coupon } : {}) }));
      const body: CheckoutRequest = {
        clientOrderId: orderId(),
        storeId,
        lines: b.lines.map((l) => ({ skuId: l.skuId, qty: l.qty })),
        tenders: [{ method: 'card', amountFen: preview.totalFen, reference: `CAT${cardRef++}` }],
        expectedTotalFen: preview.totalFen,
        ...(extra.memberId ? { memberId: extra.memberId } : {}),
        ...(extra.coupon ? { couponIds: [extra.coupon.id] } : {}),
      };
      const res = await api.call('POST', '/api/orders', { token: assistant, body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return { preview, order: checkoutResponse.parse(res.body).order };
    }

    async function promotion(name: string, categoryId: string, minSpendFen: number, offFen: number): Promise<string> {
      const res = await api.call('POST', '/api/promotions', { token: owner, body: { kind: 'threshold', name, minSpendFen, offFen, repeat: false, scope: { categoryIds: [categoryId] } } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    }
    const stop = async (id: string) => expect((await api.call('POST', `/api/promotions/${id}/deactivate`, { token: owner })).status).toBe(200);

    it('the catalog tells the counter and the shop where a product’s category sits: listed, scanned and opened', async () => {
      expect([products.box.parentCategoryId, products.shirt.parentCategoryId, products.trousers.parentCategoryId]).toEqual([undefined, kids, kids]);
      const scanned = barcodeLookupResponse.parse((await api.call('GET', `/api/stores/${storeId}/barcodes/${sku(products.shirt).barcode}`, { token: assistant })).body);
      expect(scanned.product.parentCategoryId).toBe(kids);
      const opened = await api.call('GET', `/api/public/stores/DEMO01/products/${products.shirt.id}`);
      expect(opened.body.product.parentCategoryId).toBe(kids);
    });

    it('a 满减 on 童装 takes its saving off 童装 › 上衣 at the counter, as previewed, and the line keeps its parent', async () => {
      const id = await promotion('童装满100减20', kids, 10_000, 2000);
      try {
        const { preview, order } = await counterSale(bill([products.shirt, 2]));
        expect(preview.totalFen).toBe(12_000 - 2000);
        expect(order.totalFen).toBe(12_000 - 2000);
        expect(order.adjustments.find((a) => a.kind === 'threshold')).toMatchObject({ fen: 2000, label: expect.stringContaining('童装满100减20') });
        const row = await api.deps.db.selectFrom('order_lines').select(['category_id', 'parent_category_id']).where('order_id', '=', order.id).executeTakeFirstOrThrow();
        expect(row).toEqual({ category_id: tops, parent_category_id: kids });
        // Two children together reach the parent's threshold; the saving is spread over both.
        const mixed = await counterSale(bill([products.shirt, 1], [products.trousers, 1]));
        expect(mixed.order.totalFen).toBe(14_000 - 2000);
        expect(mixed.order.lines.map((l) => l.adjustments.find((a) => a.kind === 'threshold')?.fen)).toEqual([857, 1143]);
      } finally {
        await stop(id);
      }
    });

    it('a 满减 on 上衣 covers neither 童装’s own goods nor the sibling 裤子', async () => {
      const id = await promotion('上衣满100减30', tops, 10_000, 3000);
      try {
        const { preview, order } = await counterSale(bill([products.box, 1], [products.trousers, 1], [products.shirt, 1]));
        expect(preview.totalFen).toBe(24_000);
        expect(order.adjustments.filter((a) => a.kind === 'threshold')).toEqual([]);
        expect((await counterSale(bill([products.shirt, 2]))).order.totalFen).toBe(12_000 - 3000);
      } finally {
        await stop(id);
      }
    });

    it('the shop’s cart and its order, and a reservation’s pickup, price a parent’s 满减 on a child’s goods as checkout does', async () => {
      const id = await promotion('童装满100减20', kids, 10_000, 2000);
      try {
        const code = await api.loginCode('wechat', 'o_category_scope_shopper');
        const shopper = (await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code, storeCode: 'DEMO01' } })).body.token as string;
        const me = meResponse.parse((await api.call('GET', '/api/me', { token: shopper })).body);
        if (me.kind !== 'member') throw new Error('the shopper is not a member');
        const opened = (await api.call('GET', `/api/public/stores/DEMO01/products/${products.shirt.id}`)).body.product as ProductSummary;
        const cart: Cart = { storeCode: 'DEMO01', lines: [{ skuId: sku(opened).id, productId: opened.id, name: opened.name, spec: '', priceFen: sku(opened).retailPriceFen, qty: 2 }] };
        const priced = priceShopCart(cart, new Map([[opened.id, opened]]), await context(shopper), me.member);
        expect(priced).toMatchObject({ ok: true, totalFen: 10_000, discountFen: 2000 });
        const body = { clientOrderId: orderId(), storeId, lines: [{ skuId: sku(opened).id, qty: 2 }], expectedTotalFen: 10_000 };
        const res = await api.call('POST', '/api/shop/orders', { token: shopper, body });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(checkoutResponse.parse(res.body).order.totalFen).toBe(10_000);

        const reserved = await api.call('POST', '/api/reservations', {
          token: assistant,
          body: { reservationId: newId('reservation'), storeId, pickupBy: businessDate(new Date()), customerName: '刘女士', customerPhone: '13912345678', lines: [{ skuId: sku(products.shirt).id, qty: 2 }] },
        });
        expect(reserved.status, JSON.stringify(reserved.body)).toBe(201);
        const view = reservationResponse.parse(reserved.body).reservation;
        expect(view.lines[0]).toMatchObject({ categoryId: tops, parentCategoryId: kids });
        const price = pickupPrice(view, await context());
        expect(price.totalFen).toBe(10_000);
        const pickup = await api.call('POST', '/api/orders', { token: assistant, body: pickupCheckout(view, price, orderId(), 'GTCATSCOPE') });
        expect(pickup.status, JSON.stringify(pickup.body)).toBe(201);
        expect(checkoutResponse.parse(pickup.body).order.totalFen).toBe(10_000);
      } finally {
        await stop(id);
      }
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('a coupon on 童装 is used on 童装 › 上衣, and a return gives it back only when what is kept there falls below its threshold, by the tree of the sale', async () => {
      const member = memberLookupResponse.parse((await api.call('POST', '/api/members', { token: assistant, body: { phone: '13900009901' } })).body).member;
      const templateBody: CouponTemplateRequest = { name: '童装满100减15', kind: 'amount_off', minSpendFen: 10_000, offFen: 1500, categoryIds: [kids], validity: { kind: 'days', days: 30 }, perMemberMax: 5, returnPolicy: 'below_threshold' };
      const made = await api.call('POST', '/api/coupons/templates', { token: owner, body: templateBody });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const issued = await api.call('POST', '/api/coupons/issue', { token: assistant, body: { memberId: member.id, templateId: couponTemplateResponse.parse(made.body).template.id, idempotencyKey: newId('request') } });
      expect(issued.status, JSON.stringify(issued.body)).toBe(201);
      const couponId = issued.body.couponId as string;
      const listed = couponsResponse.parse((await api.call('GET', `/api/stores/${storeId}/coupons?memberId=${member.id}`, { token: assistant })).body).items;
      const rule = listed.find((c) => c.id === couponId)!.rule as CouponRule;

      // Three 上衣 (18000) and nothing of 童装's own: the coupon's scope is met through the parent.
      const { preview, order } = await counterSale(bill([products.shirt, 3]), { memberId: member.id, coupon: rule });
      expect(preview.totalFen).toBe(18_000 - 1500);
      expect(order.totalFen).toBe(18_000 - 1500);
      const status = async () => (await api.deps.db.selectFrom('coupons').select('status').where('id', '=', couponId).executeTakeFirstOrThrow()).status;
      expect(await status()).toBe('used');

      // The owner moves 上衣 to the top level after the sale; the return still judges by the tree the sale was priced with.
      expect((await api.call('PATCH', `/api/categories/${tops}`, { token: owner, body: { parentId: null } })).status).toBe(200);
      const ret = (qty: number) => api.call('POST', '/api/returns', { token: owner, body: { clientReturnId: newId('return'), orderId: order.id, reason: '尺码不合适', lines: [{ orderLineId: order.lines[0]!.id, qty }] } });
      // Keeping two (12000) still reaches 10000: the coupon stays used.
      expect((await ret(1)).status).toBe(201);
      expect(await status()).toBe('used');
      // Keeping one (6000) does not: it comes back.
      expect((await ret(1)).status).toBe(201);
      expect(await status()).toBe('available');
      expect((await api.call('PATCH', `/api/categories/${tops}`, { token: owner, body: { parentId: kids } })).status).toBe(200);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });
  });
}
