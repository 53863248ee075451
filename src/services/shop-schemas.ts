import * as z from 'zod/mini';

/**
 * The schemas the mini-program's main package parses with, written with
 * `zod/mini`. The API's schemas (shared/api) use zod's classic interface,
 * whose method-per-schema design cannot be tree-shaken: it alone is about
 * 100 KB of the main package that shoppers download first, where zod/mini
 * with these schemas is about a fifth of that. Each schema here copies one
 * in shared/api check for check, so it accepts and outputs exactly the same;
 * tests/ui/shop-schemas.test.ts compares their JSON Schemas, so a change to
 * one side without the other fails the tests.
 */

// shared/api/common.ts
export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  }),
});
const idOf = (prefix: string) => z.string().check(z.regex(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`), `must be a ${prefix}_ id`));
// Classic `z.number().int().safe()` adds the safe-integer check twice; so does this.
export const fen = z.number().check(z.int(), z.int());
const role = z.enum(['owner', 'manager', 'assistant']);
export const storeCode = z.string().check(z.regex(/^[A-Z0-9]{4,16}$/, 'must be 4–16 upper-case letters or digits'));

// shared/api/catalog.ts
const category = z.object({ id: idOf('cat'), name: z.string(), sort: z.number().check(z.int()), parentId: z.nullable(idOf('cat')) });
const categoriesResponse = z.object({ items: z.array(category) });
const skuSummary = z.object({
  id: idOf('sku'),
  barcode: z.string(),
  spec: z.record(z.string(), z.string()),
  retailPriceFen: fen,
  memberPriceFen: fen,
  available: z.number().check(z.int()),
});
const productSummary = z.object({
  id: idOf('prd'),
  name: z.string(),
  categoryId: idOf('cat'),
  parentCategoryId: z.optional(idOf('cat')),
  unit: z.string(),
  priceFen: fen,
  skus: z.array(skuSummary),
  photoUrl: z.nullable(z.string()),
  photos: z.optional(z.array(z.object({ id: idOf('pho'), url: z.string(), width: z.number().check(z.int()), height: z.number().check(z.int()) }))),
});
const productPage = z.object({ items: z.array(productSummary), nextCursor: z.nullable(z.string()) });

// shared/api/identity.ts
const storeSummary = z.object({ id: idOf('sto'), code: storeCode, name: z.string(), address: z.string() });
const merchantSummary = z.object({ id: idOf('mch'), name: z.string() });
const staffProfile = z.object({ id: idOf('stf'), name: z.string(), role });
export const staffSession = z.object({
  token: z.string(),
  expiresAt: z.string(),
  staff: staffProfile,
  merchant: merchantSummary,
  stores: z.array(storeSummary),
});
const memberProfile = z.object({ id: idOf('mbr'), name: z.nullable(z.string()), level: z.string(), points: z.number().check(z.int()) });
export const shopperSession = z.object({
  token: z.string(),
  expiresAt: z.string(),
  member: memberProfile,
  merchant: merchantSummary,
  store: storeSummary,
});

// shared/api/identity.ts: meResponse
const meResponse = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('staff'), staff: staffProfile, merchant: merchantSummary, stores: z.array(storeSummary) }),
  z.object({ kind: z.literal('member'), member: memberProfile, merchant: merchantSummary, storedValueFen: fen }),
]);

// shared/api/orders.ts
const orderAdjustmentView = z.object({ kind: z.string(), label: z.string(), fen });
const orderView = z.object({
  id: idOf('ord'),
  clientOrderId: z.string(),
  receiptNo: z.string(),
  storeId: z.string(),
  status: z.string(),
  businessDate: z.string(),
  memberId: z.nullable(z.string()),
  staffId: z.nullable(z.string()),
  subtotalListFen: fen,
  discountFen: fen,
  pointsRedeemed: z.number().check(z.int()),
  pointsFen: fen,
  roundingFen: fen,
  totalFen: fen,
  storedValueFen: fen,
  refundedFen: fen,
  pointsEarned: z.number().check(z.int()),
  cashReceivedFen: z.nullable(fen),
  changeFen: z.nullable(fen),
  offline: z.boolean(),
  stockFlagged: z.boolean(),
  priceDiffFen: z.number().check(z.int()),
  createdAt: z.string(),
  tableNo: z.nullable(z.string()),
  pickupCode: z.nullable(z.string()),
  handedOverAt: z.nullable(z.string()),
  receiptToken: z.nullable(z.string()),
  lines: z.array(
    z.object({
      id: z.string(),
      lineIndex: z.number().check(z.int()),
      skuId: z.string(),
      name: z.string(),
      spec: z.string(),
      qty: z.number().check(z.int()),
      unitListFen: fen,
      listFen: fen,
      netFen: fen,
      returnedQty: z.number().check(z.int()),
      returnedFen: fen,
      adjustments: z.array(orderAdjustmentView),
    }),
  ),
  adjustments: z.array(orderAdjustmentView),
  tenders: z.array(z.object({ method: z.string(), amountFen: fen, reference: z.nullable(z.string()) })),
});
const checkoutResponse = z.object({ order: orderView, replayed: z.boolean() });
// One scope schema for 满减 and 限时折扣: the main package is near its limit.
const ruleScope = z.optional(z.object({ skuIds: z.optional(z.array(z.string())), categoryIds: z.optional(z.array(z.string())) }));
const pricingContextResponse = z.object({
  bundles: z.array(
    z.object({
      id: z.string(),
      name: z.optional(z.string()),
      items: z.array(z.object({ skuId: z.string(), qty: z.number().check(z.int()) })),
      priceFen: fen,
    }),
  ),
  discounts: z.optional(z.array(z.object({ id: z.string(), name: z.optional(z.string()), bp: z.number().check(z.int()), scope: ruleScope }))),
  thresholds: z.array(
    z.object({
      id: z.string(),
      name: z.optional(z.string()),
      minSpendFen: fen,
      offFen: fen,
      repeat: z.boolean(),
      capFen: z.optional(fen),
      scope: ruleScope,
    }),
  ),
  cashRounding: z.enum(['none', 'jiao', 'yuan']),
  redeemPointsPerFen: z.number().check(z.int()),
  redeemCapBp: z.number().check(z.int()),
  earnPointsPerYuan: z.number().check(z.int()),
  memberLevels: z.optional(z.array(z.object({ name: z.string(), discountBp: z.number().check(z.int()), pointsMultiplierBp: z.number().check(z.int()) }))),
});

// shared/api/payments.ts
const paymentChannel = z.enum(['wechat', 'alipay']);
const jsapiParams = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('wechat'), timeStamp: z.string(), nonceStr: z.string(), package: z.string(), signType: z.literal('RSA'), paySign: z.string() }),
  z.object({ channel: z.literal('alipay'), tradeNO: z.string() }),
]);
const paymentView = z.object({
  id: idOf('pay'),
  orderId: z.nullable(idOf('ord')),
  channel: paymentChannel,
  mode: z.enum(['jsapi', 'qr', 'code']),
  status: z.enum(['pending', 'succeeded', 'failed', 'closed']),
  amountFen: fen,
  codeUrl: z.nullable(z.string()),
  jsapi: z.nullable(jsapiParams),
  failure: z.nullable(z.object({ code: z.string(), message: z.string() })),
  waitedMs: z.number().check(z.int()),
  waitMaxMs: z.number().check(z.int()),
  createdAt: z.string(),
});
const paymentResponse = z.object({ payment: paymentView, order: orderView, replayed: z.boolean() });

/** The response schema of each route in shared/api/shop-routes.ts, by route name. */
export const shopResponses = {
  publicStore: z.extend(storeSummary, { merchantName: storeSummary.shape.name }),
  publicCategories: categoriesResponse,
  publicProducts: productPage,
  publicProduct: z.object({ product: productSummary }),
  staffLogin: staffSession,
  staffBind: staffSession,
  shopperLogin: shopperSession,
  me: meResponse,
  pricingContext: pricingContextResponse,
  payment: paymentResponse,
  shopCreateOrder: checkoutResponse,
  shopOrder: z.object({ order: orderView, confirmReceipt: z.nullable(z.object({ transactionId: z.string(), merchantId: z.string(), merchantTradeNo: z.string() })) }),
  shopPay: paymentResponse,
};
