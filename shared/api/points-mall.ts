import { z } from 'zod';
import { fen, idOf, name_length_max } from './common.js';

/**
 * The points mall (积分商城): gifts a member takes for points, or points plus
 * a cash part paid at the counter when the gift is handed over. Every limit
 * has a name, and the messages name them.
 */

/** The highest price in points a gift may have: far past any real gift, and well inside an integer. */
export const mall_gift_points_max = 10_000_000;
/** The cash part of a gift's price, at most 10 000 yuan: a gift, not a sale. */
export const mall_gift_cash_fen_max = 1_000_000;
/** How many of one gift a member may ever take, at most, whatever the owner sets (每人限兑). */
export const mall_gift_per_member_max = 99;
/** How many units one redemption may take at once. */
export const mall_redemption_qty_max = 10;
/** Gifts a merchant may have on offer or stopped: a list the owner can scroll. */
export const mall_gifts_max = 200;
/** Rows of a redemption list. */
export const mall_redemptions_list_max = 100;
/** Digits of a gift's pickup code (兑换码): more than an order's 6, as a code waits days, not minutes, to be picked up. */
export const mall_pickup_code_digits = 8;

export const mallPickupCode = z
  .string()
  .trim()
  .regex(new RegExp(`^[0-9]{${mall_pickup_code_digits}}$`), `兑换码是 ${mall_pickup_code_digits} 位数字`);

/** Idempotency keys the client makes: one per tap of 兑换, so a retry finds the first redemption. */
export const mallIdempotencyKey = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '请求编号须为 8–64 位字母、数字、- 或 _');

export const giftRequest = z.strictObject({
  name: z.string().trim().min(1, '礼品名称不能为空').max(name_length_max, `礼品名称最多 ${name_length_max} 字`),
  skuId: idOf('sku'),
  pointsPrice: z.number().int().min(1, '所需积分至少 1').max(mall_gift_points_max, `所需积分最多 ${mall_gift_points_max}`),
  cashFen: fen.min(0, '加价不能为负').max(mall_gift_cash_fen_max, `加价最多 ${mall_gift_cash_fen_max / 100} 元`),
  perMemberMax: z.number().int().min(1, '每人限兑至少 1').max(mall_gift_per_member_max, `每人限兑最多 ${mall_gift_per_member_max}`),
  active: z.boolean(),
});
export type GiftRequest = z.infer<typeof giftRequest>;

export const giftView = z.object({
  id: idOf('gft'),
  name: z.string(),
  skuId: z.string(),
  skuLabel: z.string(),
  pointsPrice: z.number().int(),
  cashFen: fen,
  perMemberMax: z.number().int(),
  active: z.boolean(),
  /** Units on the shelf and not held, at the store asked about (the shop's list) or in all stores (the owner's list). */
  available: z.number().int(),
  /** How many the member asking has taken already (redeemed and not cancelled); 0 in the owner's list. */
  takenByMember: z.number().int(),
});
export type GiftView = z.infer<typeof giftView>;
export const giftsResponse = z.object({ items: z.array(giftView) });
export const giftResponse = z.object({ gift: giftView });

export const shopGiftsQuery = z.strictObject({ storeId: idOf('sto') });

export const redemptionStatus = z.enum(['awaiting_pickup', 'picked_up', 'cancelled']);
export type RedemptionStatus = z.infer<typeof redemptionStatus>;

export const redemptionView = z.object({
  id: idOf('mrd'),
  giftId: z.string(),
  giftName: z.string(),
  memberId: z.string(),
  storeId: z.string(),
  storeName: z.string(),
  qty: z.number().int(),
  points: z.number().int(),
  /** The cash part, paid at the counter when the gift is handed over. */
  cashFen: fen,
  channel: z.enum(['shop', 'counter']),
  status: redemptionStatus,
  /** Shown to the member while the gift waits; the staff type it or scan it. */
  pickupCode: z.string().nullable(),
  createdAt: z.string(),
  pickedUpAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
});
export type RedemptionView = z.infer<typeof redemptionView>;
export const redemptionResponse = z.object({ redemption: redemptionView, replayed: z.boolean() });
export const redemptionsResponse = z.object({ items: z.array(redemptionView) });

/** A member redeems in the shop, for pickup at a store of the merchant. */
export const shopRedeemRequest = z.strictObject({
  giftId: idOf('gft'),
  storeId: idOf('sto'),
  qty: z.number().int().min(1, '数量至少 1').max(mall_redemption_qty_max, `一次最多兑换 ${mall_redemption_qty_max} 件`),
  idempotencyKey: mallIdempotencyKey,
});
export type ShopRedeemRequest = z.infer<typeof shopRedeemRequest>;

/** The counter redeems for a member standing there: points off and the gift handed over at once. */
export const counterRedeemRequest = z.strictObject({
  giftId: idOf('gft'),
  memberId: idOf('mbr'),
  qty: z.number().int().min(1, '数量至少 1').max(mall_redemption_qty_max, `一次最多兑换 ${mall_redemption_qty_max} 件`),
  idempotencyKey: mallIdempotencyKey,
});
export type CounterRedeemRequest = z.infer<typeof counterRedeemRequest>;

export const handOverRequest = z.strictObject({ code: mallPickupCode });
