import { z } from 'zod';
import { fen, idOf } from './common.js';
import { receiptModel } from '../receipt/model.js';

/** A table as the store QR names it (`/q/<store>/<table>`); the link, the launch and the order all hold to it. */
export const table_no_pattern = /^[A-Za-z0-9_-]{1,16}$/;
export const tableNo = z.string().regex(table_no_pattern, '桌号只能是 1–16 位字母、数字、- 或 _');

/** Digits of a pickup code (取货码): short enough to read out, and a million codes a store day, far past any store's busiest. */
export const pickup_code_digits = 6;
export const pickupCode = z
  .string()
  .trim()
  .regex(new RegExp(`^[0-9]{${pickup_code_digits}}$`), `取货码是 ${pickup_code_digits} 位数字`);

/** A receipt token as the receipt's QR carries it. */
export const receiptToken = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, '小票链接无效');

export const pickupOrder = z.object({
  orderId: idOf('ord'),
  pickupCode: z.string(),
  tableNo: z.string().nullable(),
  receiptNo: z.string(),
  totalFen: fen,
  paidAt: z.string(),
  itemCount: z.number().int(),
  summary: z.string(),
  handedOverAt: z.string().nullable(),
});
export type PickupOrder = z.infer<typeof pickupOrder>;

export const pickupsResponse = z.object({ waiting: z.array(pickupOrder), count: z.number().int() });
export type PickupsResponse = z.infer<typeof pickupsResponse>;

export const handoverRequest = z.strictObject({
  code: pickupCode,
  /** Made on the device for this handover: sending it again returns the first answer. */
  handoverKey: z.string().regex(/^hov_[0-9A-HJKMNP-TV-Z]{26}$/, '交货请求号无效'),
});
export type HandoverRequest = z.infer<typeof handoverRequest>;

export const handoverResponse = z.object({ order: pickupOrder, replayed: z.boolean() });

/** 通知取货 (#17): the counter tells the member their paid shop order is ready, by the member's subscription message. */
export const pickupReadyRequest = z.strictObject({ code: pickupCode });
export const pickupReadyResponse = z.object({
  order: pickupOrder,
  /** What became of the message: null when the order has no member; `skipped_no_consent` when the member did not subscribe. */
  message: z.object({ id: z.string(), status: z.string(), replayed: z.boolean() }).nullable(),
});
export type PickupReadyResponse = z.infer<typeof pickupReadyResponse>;
export type HandoverResponse = z.infer<typeof handoverResponse>;

/** The shopper's receipt, opened by the token its QR carries. */
export const publicReceiptResponse = z.object({
  receipt: receiptModel,
  pickup: z.object({ code: z.string(), tableNo: z.string().nullable(), handedOverAt: z.string().nullable() }).nullable(),
});
export type PublicReceiptResponse = z.infer<typeof publicReceiptResponse>;
