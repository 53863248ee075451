import { describe, expect, it } from 'vitest';
import type { ProductSummary } from '../../shared/api/catalog';
import type { PricingContext } from '../../shared/api/orders';
import { shopOrderRequest } from '../../shared/api/payments';
import type { Cart } from '../../src/services/cart';
import { outcomeOfRequestPaymentError, outcomeOfTradePay, priceShopCart, shopOrderRequestFor } from '../../src/services/shop-checkout';

const u = (n: number) => `01JABCDEFGHJKMNPQRSTVWXY${String(n).padStart(2, '0')}`;
const tea: ProductSummary = {
  photoUrl: null,
  id: `prd_${u(1)}`,
  name: '王老吉凉茶',
  categoryId: `cat_${u(1)}`,
  unit: '罐',
  priceFen: 450,
  skus: [{ id: `sku_${u(1)}`, barcode: '1', spec: {}, retailPriceFen: 450, memberPriceFen: 400, available: 10 }],
};
const bull: ProductSummary = {
  photoUrl: null,
  id: `prd_${u(2)}`,
  name: '红牛',
  categoryId: `cat_${u(2)}`,
  unit: '罐',
  priceFen: 650,
  skus: [{ id: `sku_${u(2)}`, barcode: '2', spec: {}, retailPriceFen: 650, memberPriceFen: 650, available: 10 }],
};
const products = new Map([tea, bull].map((p) => [p.id, p]));
const cart: Cart = {
  storeCode: 'DEMO01',
  lines: [
    // The cart remembers the retail price it showed; the shop prices with today's catalogue.
    { skuId: `sku_${u(1)}`, productId: tea.id, name: tea.name, spec: '', priceFen: 500, qty: 3 },
    { skuId: `sku_${u(2)}`, productId: bull.id, name: bull.name, spec: '', priceFen: 650, qty: 1 },
  ],
};
const context = (over: Partial<PricingContext> = {}): PricingContext => ({
  bundles: [],
  thresholds: [],
  cashRounding: 'yuan',
  redeemPointsPerFen: 100,
  redeemCapBp: 0,
  earnPointsPerYuan: 1,
  ...over,
});

const member = { id: `mbr_${u(1)}`, level: '普通会员' };
const levels = [
  { name: '银卡', discountBp: 0, pointsMultiplierBp: 15_000 },
  { name: '金卡', discountBp: 1000, pointsMultiplierBp: 20_000 },
];

describe('the shop cart priced as the server prices a self-service order', () => {
  it.each([
    // 3 × 4.50 + 6.50 = 20.00 for a guest; 抹零 is for cash only, so a set 'yuan' rounding changes nothing.
    ['a guest, retail prices', null, context(), 2000],
    // 3 × 4.00 member price + 6.50 = 18.50.
    ['a member, member prices', member, context(), 1850],
    // 满 15 减 3 on the member total 18.50 → 15.50.
    ['a member with 满15减3', member, context({ thresholds: [{ id: `prm_${u(1)}`, name: '满15减3', minSpendFen: 1500, offFen: 300, repeat: false }] }), 1550],
    // 金卡 takes 10% off the member total (1200 + 650 → 1080 + 585), as the server prices a shop order for a 金卡 member.
    ['a 金卡 member, the level discount', { ...member, level: '金卡' }, context({ memberLevels: levels }), 1665],
    // A level that gives no discount, or one the shop no longer has, prices as a plain member.
    ['a member of a level without discount', { ...member, level: '银卡' }, context({ memberLevels: levels }), 1850],
    ['a member of a level since removed', { ...member, level: '钻石' }, context({ memberLevels: levels }), 1850],
  ])('%s', (_name, who, ctx, total) => {
    const priced = priceShopCart(cart, products, ctx, who);
    expect(priced).toMatchObject({ ok: true, totalFen: total });
  });

  it('refuses a line whose product is gone', () => {
    expect(priceShopCart(cart, new Map([[tea.id, tea]]), context(), null)).toEqual({ ok: false, message: '红牛 已下架，请从购物车删除后再结算' });
  });

  it('builds a valid shop order request', () => {
    const request = shopOrderRequestFor(cart, { clientOrderId: `ord_${u(1)}`, storeId: `sto_${u(1)}`, expectedTotalFen: 1850 });
    expect(shopOrderRequest.safeParse(request).success).toBe(true);
    // The part paid from stored value goes with the order when there is one, and only then.
    expect(shopOrderRequestFor(cart, { clientOrderId: `ord_${u(1)}`, storeId: `sto_${u(1)}`, expectedTotalFen: 1850, storedValueFen: 1850 }).storedValueFen).toBe(1850);
    expect('storedValueFen' in shopOrderRequestFor(cart, { clientOrderId: `ord_${u(1)}`, storeId: `sto_${u(1)}`, expectedTotalFen: 1850, storedValueFen: 0 })).toBe(false);
    expect(request.lines).toEqual([
      { skuId: `sku_${u(1)}`, qty: 3 },
      { skuId: `sku_${u(2)}`, qty: 1 },
    ]);
  });
});

describe('what the payment sheet said', () => {
  it.each([
    ['9000', 'paid'],
    [9000, 'paid'],
    ['8000', 'unknown'],
    ['6004', 'unknown'],
    ['6001', 'cancelled'],
    ['6002', 'failed'],
    ['4000', 'failed'],
    [undefined, 'failed'],
  ] as const)('tradePay %s → %s', (code, outcome) => {
    expect(outcomeOfTradePay(code)).toBe(outcome);
  });

  it.each([
    ['requestPayment:fail cancel', 'cancelled'],
    ['requestPayment:fail (detail message)', 'failed'],
    [undefined, 'failed'],
  ] as const)('requestPayment %s → %s', (msg, outcome) => {
    expect(outcomeOfRequestPaymentError(msg)).toBe(outcome);
  });
});
