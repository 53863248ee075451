import { z } from 'zod';
import { fen, idOf } from './common.js';
import { discountInput } from '../pricing/schema.js';
import { coupons_per_order_max } from '../pricing/limits.js';

/** Limits of one order; the pricing engine checks the same numbers. */
export const checkout_lines_max = 200;
export const checkout_line_qty_max = 9999;
export const checkout_tenders_max = 5;
export const tender_reference_length_max = 64;
export const device_id_length_max = 64;

/** One shape for a hand-entered discount, the engine's own (`shared/pricing/schema.ts`). */
export { discountInput } from '../pricing/schema.js';
export { discount_reason_length_max } from '../pricing/limits.js';

/**
 * Money the counter takes now, or `account` (赊账): billed to a trade
 * customer's account and collected later. Platform payments (WeChat Pay,
 * Alipay) go through their own routes.
 */
export const counterTenderMethod = z.enum(['cash', 'card', 'ecny', 'account', 'stored_value']);
export type CounterTenderMethod = z.infer<typeof counterTenderMethod>;

export const tenderInput = z
  .strictObject({
    method: counterTenderMethod,
    /** For cash: what the customer handed over (change comes back); otherwise the amount charged. */
    amountFen: fen.min(1),
    reference: z.string().trim().min(1).max(tender_reference_length_max).optional(),
  })
  .refine((t) => t.method === 'cash' || t.method === 'account' || t.method === 'stored_value' || t.reference !== undefined, { message: '刷卡和数字人民币须填写交易参考号', path: ['reference'] });

export const checkoutRequest = z.strictObject({
  /** Made on the device; repeating a checkout with the same id returns the first result. */
  clientOrderId: idOf('ord'),
  storeId: idOf('sto'),
  memberId: idOf('mbr').optional(),
  /** A customer reservation being picked up: its holds end in the same transaction as the sale. */
  reservationId: idOf('rsv').optional(),
  lines: z
    .array(z.strictObject({ skuId: idOf('sku'), qty: z.number().int().min(1).max(checkout_line_qty_max), discount: discountInput.optional() }))
    .min(1)
    .max(checkout_lines_max),
  orderDiscount: discountInput.optional(),
  pointsToRedeem: z.number().int().min(0).max(100_000_000).optional(),
  /** The member's coupons to use (优惠券); the server prices them itself and uses each once. */
  couponIds: z.array(idOf('cpn')).min(1).max(coupons_per_order_max).optional(),
  // Empty only when nothing is left to pay (points or discounts cover it all).
  tenders: z.array(tenderInput).max(checkout_tenders_max),
  /** The total the counter showed the customer; the server prices again and refuses a difference. */
  expectedTotalFen: fen.min(0),
  deviceId: z.string().trim().min(1).max(device_id_length_max).optional(),
  /** The customer pays with WeChat Pay or Alipay: the order is created open, its stock held, and paid through /payments. */
  awaitPayment: z.literal(true).optional(),
  /** Set by the offline outbox: the sale already happened at the counter. */
  offline: z.strictObject({ receiptNo: z.string().regex(/^[A-Z0-9-]{6,40}$/), billedAt: z.iso.datetime() }).optional(),
  /** A trade customer (商贸客户): the order is priced with their price list, and may go on their account. */
  tradeCustomerId: idOf('tcu').optional(),
  /** A manager's approval to go above the customer's credit limit (`POST /api/credit/customers/:id/approvals`). */
  creditApprovalId: idOf('cap').optional(),
  /** A manager's one-time code for a hand discount above the assistant's limit (shared/api/discounts.ts). */
  discountApprovalCode: z.string().regex(/^\d{6}$/, '审批码是 6 位数字').optional(),
})
  .refine((o) => !o.tenders.some((t) => t.method === 'account') || o.tradeCustomerId !== undefined, { message: '赊账须选择商贸客户', path: ['tradeCustomerId'] })
  .refine((o) => !(o.tradeCustomerId && o.memberId), { message: '商贸客户按客户价结算，不能同时使用会员', path: ['memberId'] })
  .refine((o) => !(o.offline && o.tenders.some((t) => t.method === 'account')), { message: '赊账须在线开单，以便核对信用额度', path: ['tenders'] })
  .refine((o) => o.tenders.filter((t) => t.method === 'account').length <= 1, { message: '赊账只能一笔', path: ['tenders'] })
  .refine((o) => !(o.couponIds && !o.memberId), { message: '使用优惠券须先选会员', path: ['couponIds'] })
  // A coupon is used by compare-and-set on the server; offline the device cannot know it is still unused.
  .refine((o) => !(o.couponIds && o.offline), { message: '优惠券须联网使用', path: ['couponIds'] })
  // Stored value (储值, #17): the member's own balance, drawn under a lock on the server, so only online and only once per sale.
  .refine((o) => !o.tenders.some((t) => t.method === 'stored_value') || o.memberId !== undefined, { message: '储值支付须先选会员', path: ['memberId'] })
  .refine((o) => !(o.offline && o.tenders.some((t) => t.method === 'stored_value')), { message: '储值支付须在线开单，以便核对余额', path: ['tenders'] })
  .refine((o) => o.tenders.filter((t) => t.method === 'stored_value').length <= 1, { message: '储值只能一笔', path: ['tenders'] });
export type CheckoutRequest = z.infer<typeof checkoutRequest>;

export const orderAdjustmentView = z.object({ kind: z.string(), label: z.string(), fen });

export const orderView = z.object({
  id: idOf('ord'),
  clientOrderId: z.string(),
  receiptNo: z.string(),
  storeId: z.string(),
  status: z.string(),
  businessDate: z.string(),
  memberId: z.string().nullable(),
  staffId: z.string().nullable(),
  subtotalListFen: fen,
  discountFen: fen,
  pointsRedeemed: z.number().int(),
  pointsFen: fen,
  roundingFen: fen,
  totalFen: fen,
  /** A shop order's part paid from stored value, drawn when it was made: the platform payment is for the rest. */
  storedValueFen: fen,
  refundedFen: fen,
  pointsEarned: z.number().int(),
  cashReceivedFen: fen.nullable(),
  changeFen: fen.nullable(),
  offline: z.boolean(),
  stockFlagged: z.boolean(),
  priceDiffFen: z.number().int(),
  createdAt: z.string(),
  /** Self-service: the table of the store QR the shopper scanned. */
  tableNo: z.string().nullable(),
  /** Self-service, once paid: the 取货码 the counter hands the goods over against. */
  pickupCode: z.string().nullable(),
  handedOverAt: z.string().nullable(),
  /** Opens the public receipt page (the receipt's QR); set once the order is paid. */
  receiptToken: z.string().nullable(),
  lines: z.array(
    z.object({
      id: z.string(),
      lineIndex: z.number().int(),
      skuId: z.string(),
      name: z.string(),
      spec: z.string(),
      qty: z.number().int(),
      unitListFen: fen,
      listFen: fen,
      netFen: fen,
      returnedQty: z.number().int(),
      returnedFen: fen,
      adjustments: z.array(orderAdjustmentView),
    }),
  ),
  adjustments: z.array(orderAdjustmentView),
  tenders: z.array(z.object({ method: z.string(), amountFen: fen, reference: z.string().nullable() })),
});
export type OrderView = z.infer<typeof orderView>;

export const checkoutResponse = z.object({ order: orderView, replayed: z.boolean() });
export type CheckoutResponse = z.infer<typeof checkoutResponse>;

/** What the counter needs to preview prices with the shared engine exactly as the server will price them. */
export const pricingContextResponse = z.object({
  bundles: z.array(z.object({ id: z.string(), name: z.string().optional(), items: z.array(z.object({ skuId: z.string(), qty: z.number().int() })), priceFen: fen })),
  /** 限时折扣; absent from contexts cached before discounts existed, which had none. */
  discounts: z.array(z.object({ id: z.string(), name: z.string().optional(), bp: z.number().int(), scope: z.object({ skuIds: z.array(z.string()).optional(), categoryIds: z.array(z.string()).optional() }).optional() })).optional(),
  thresholds: z.array(
    z.object({
      id: z.string(),
      name: z.string().optional(),
      minSpendFen: fen,
      offFen: fen,
      repeat: z.boolean(),
      capFen: fen.optional(),
      scope: z.object({ skuIds: z.array(z.string()).optional(), categoryIds: z.array(z.string()).optional() }).optional(),
    }),
  ),
  cashRounding: z.enum(['none', 'jiao', 'yuan']),
  redeemPointsPerFen: z.number().int(),
  redeemCapBp: z.number().int(),
  earnPointsPerYuan: z.number().int(),
  /** What each member level gives, so the counter's preview takes a gold member's level discount as checkout will. */
  memberLevels: z.array(z.object({ name: z.string(), discountBp: z.number().int(), pointsMultiplierBp: z.number().int() })).optional(),
});
export type PricingContext = z.infer<typeof pricingContextResponse>;

export const ordersQuery = z.strictObject({
  storeId: idOf('sto'),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  q: z.string().trim().max(40).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const orderSummary = z.object({
  id: z.string(),
  receiptNo: z.string(),
  status: z.string(),
  totalFen: fen,
  refundedFen: fen,
  itemCount: z.number().int(),
  staffName: z.string().nullable(),
  memberName: z.string().nullable(),
  offline: z.boolean(),
  createdAt: z.string(),
  /** The tender methods the order was paid with, in order (cash, card, ecny, wechat, …). */
  tenders: z.array(z.string()),
  /** A self-service order's 取货码 and table. */
  pickupCode: z.string().nullable(),
  tableNo: z.string().nullable(),
});
export const ordersListResponse = z.object({ items: z.array(orderSummary), nextCursor: z.string().nullable() });
