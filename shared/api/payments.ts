import { z } from 'zod';
import { tableNo } from './pickup.js';
import { fen, idOf, pageQuery, search_query_length_max } from './common.js';
import { orderView } from './orders.js';
import { coupons_per_order_max } from '../pricing/limits.js';

/** A payment code (付款码) as the scanner reads it: 16–24 digits. */
export const authCode = z.string().regex(/^\d{16,24}$/, '付款码应为 16–24 位数字');
export const paymentChannel = z.enum(['wechat', 'alipay']);

/** The counter takes a platform payment for an open order: the customer's code, or a QR the customer scans. */
export const counterPaymentRequest = z.discriminatedUnion('mode', [
  z.strictObject({ clientPaymentId: idOf('pay'), mode: z.literal('code'), authCode }),
  z.strictObject({ clientPaymentId: idOf('pay'), mode: z.literal('qr'), channel: paymentChannel }),
]);
export type CounterPaymentRequest = z.infer<typeof counterPaymentRequest>;

/** A shopper pays their own order in the mini-program of the platform they are in. */
export const shopPaymentRequest = z.strictObject({ clientPaymentId: idOf('pay'), channel: paymentChannel });
export type ShopPaymentRequest = z.infer<typeof shopPaymentRequest>;

export const jsapiParams = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('wechat'), timeStamp: z.string(), nonceStr: z.string(), package: z.string(), signType: z.literal('RSA'), paySign: z.string() }),
  z.object({ channel: z.literal('alipay'), tradeNO: z.string() }),
]);

export const paymentView = z.object({
  id: idOf('pay'),
  /** Null for the payment of a stored-value top-up (#17). */
  orderId: idOf('ord').nullable(),
  channel: paymentChannel,
  mode: z.enum(['jsapi', 'qr', 'code']),
  status: z.enum(['pending', 'succeeded', 'failed', 'closed']),
  amountFen: fen,
  codeUrl: z.string().nullable(),
  jsapi: jsapiParams.nullable(),
  failure: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** How long the counter has waited on a code the customer is confirming, and the most it will wait. */
  waitedMs: z.number().int(),
  waitMaxMs: z.number().int(),
  createdAt: z.string(),
});
export type PaymentView = z.infer<typeof paymentView>;

export const paymentResponse = z.object({ payment: paymentView, order: orderView, replayed: z.boolean() });
export type PaymentResponse = z.infer<typeof paymentResponse>;

export const shopOrderRequest = z.strictObject({
  clientOrderId: idOf('ord'),
  storeId: idOf('sto'),
  lines: z.array(z.strictObject({ skuId: idOf('sku'), qty: z.number().int().min(1).max(99) })).min(1).max(50),
  pointsToRedeem: z.number().int().min(0).max(100_000_000).optional(),
  /** The shopper's own coupons to use (优惠券); priced and used once on the server. */
  couponIds: z.array(idOf('cpn')).min(1).max(coupons_per_order_max).optional(),
  /** What the shopper pays from their stored value (储值); the platform is asked for the rest, or nothing when it covers all. */
  storedValueFen: fen.min(1).optional(),
  expectedTotalFen: fen.min(1),
  /** The table of the store QR the shopper scanned (`/q/<store>/<table>`), carried to the counter. */
  tableNo: tableNo.optional(),
});
export type ShopOrderRequest = z.infer<typeof shopOrderRequest>;

export const refundView = z.object({
  id: idOf('rfd'),
  paymentId: z.string(),
  orderId: z.string(),
  returnId: z.string().nullable(),
  channel: paymentChannel,
  amountFen: fen,
  reason: z.string(),
  status: z.enum(['pending', 'processing', 'succeeded', 'failed', 'abnormal', 'closed', 'to_cash']),
  failure: z.object({ code: z.string(), message: z.string() }).nullable(),
  attempts: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const refundsResponse = z.object({ items: z.array(refundView) });
export const refundsQuery = z.strictObject({ status: z.enum(['attention', 'open', 'all']).optional(), orderId: idOf('ord').optional() });
export const refundToCashRequest = z.strictObject({ note: z.string().trim().min(1).max(200) });

export const alertView = z.object({ id: z.string(), kind: z.string(), storeId: z.string().nullable(), subjectId: z.string().nullable(), message: z.string(), createdAt: z.string(), resolvedAt: z.string().nullable() });
export const alertsResponse = z.object({ items: z.array(alertView) });

/**
 * The owner's list of platform payments: one business day (Beijing) of the
 * caller's stores, or one store, narrowed by channel and status, or found by an
 * order's receipt number, order id or out_trade_no. Newest first, paged.
 */
export const paymentsListQuery = pageQuery.extend({
  storeId: idOf('sto').optional(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD').optional(),
  channel: paymentChannel.optional(),
  status: z.enum(['pending', 'succeeded', 'failed', 'closed']).optional(),
  q: z.string().trim().min(1).max(search_query_length_max).optional(),
});
export type PaymentsListQuery = z.infer<typeof paymentsListQuery>;

export const paymentListItem = z.object({
  id: idOf('pay'),
  orderId: idOf('ord'),
  /** The number printed on the receipt, which is what a person searches by; null before the order is paid. */
  receiptNo: z.string().nullable(),
  storeId: z.string(),
  channel: paymentChannel,
  mode: z.enum(['jsapi', 'qr', 'code']),
  status: z.enum(['pending', 'succeeded', 'failed', 'closed']),
  amountFen: fen,
  refundedFen: fen,
  createdAt: z.string(),
  succeededAt: z.string().nullable(),
});
export type PaymentListItem = z.infer<typeof paymentListItem>;
export const paymentsListResponse = z.object({ items: z.array(paymentListItem), nextCursor: z.string().nullable() });

/** Everything that happened to one payment: its state changes and every notification, for the owner's drill-down. */
export const paymentTrailResponse = z.object({
  payment: paymentView.extend({ outTradeNo: z.string(), platformTradeNo: z.string().nullable(), settledBy: z.string().nullable(), refundedFen: fen, surplus: z.boolean() }),
  events: z.array(z.object({ event: z.string(), source: z.string(), actorId: z.string().nullable(), detail: z.unknown(), at: z.string() })),
  notifications: z.array(z.object({ id: z.number(), kind: z.string(), outcome: z.string(), amountFen: fen.nullable(), receivedAt: z.string(), detail: z.string().nullable() })),
  refunds: z.array(refundView),
  /** WeChat mini-program payments: each upload of shipping information (发货信息) with its outcome, and WeChat's trade-management pushes. */
  shipping: z.object({
    uploads: z.array(z.object({ attempt: z.number().int(), outcome: z.string(), errcode: z.number().int().nullable(), errmsg: z.string().nullable(), trigger: z.string(), logisticsType: z.number().int(), at: z.string() })),
    events: z.array(z.object({ id: z.number(), event: z.string(), confirmReceiveTime: z.string().nullable(), settlementTime: z.string().nullable(), receivedAt: z.string() })),
  }),
});

/** Why the counter gives up on a platform payment: the customer pays cash after all, leaves, or something else. */
export const orderCancelReason = z.enum(['switch_to_cash', 'customer_left', 'other']);
export type OrderCancelReason = z.infer<typeof orderCancelReason>;

/** The counter cancels an order that waits for WeChat/Alipay; the key makes a retried tap the same cancellation. */
export const orderCancelRequest = z.strictObject({ clientCancelId: idOf('ocn'), reason: orderCancelReason });
export type OrderCancelRequest = z.infer<typeof orderCancelRequest>;

/**
 * `cancelled`: every attempt was closed at the platform unpaid, and the held stock and points are back.
 * `already_paid`: the platform said one attempt was paid, so the order was settled as a sale instead.
 */
export const orderCancelResponse = z.object({ outcome: z.enum(['cancelled', 'already_paid']), order: orderView, replayed: z.boolean() });
export type OrderCancelResponse = z.infer<typeof orderCancelResponse>;
