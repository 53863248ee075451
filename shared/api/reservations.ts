import { z } from 'zod';
import { idOf, name_length_max } from './common.js';

/** Limits of one reservation; the messages name them. */
export const reservation_lines_max = 50;
export const reservation_line_qty_max = 999;
/** How far ahead a pickup date may be, in days from today. */
export const reservation_pickup_days_max = 30;
export const reservation_note_length_max = 200;
export const reservations_list_max = 100;

export const reservationStatus = z.enum(['active', 'picked_up', 'expired', 'cancelled']);
export type ReservationStatus = z.infer<typeof reservationStatus>;

export const mainlandPhone = z.string().regex(/^1[3-9][0-9]{9}$/, '手机号须为 11 位大陆手机号');
const isoDay = z.iso.date();

const reservationLines = z
  .array(z.strictObject({ skuId: idOf('sku'), qty: z.number().int().min(1).max(reservation_line_qty_max) }))
  .min(1)
  .max(reservation_lines_max)
  .refine((lines) => new Set(lines.map((l) => l.skuId)).size === lines.length, { message: '同一商品请合并为一行' });

/**
 * A reservation made at the counter: for a member, or for a walk-in customer
 * by name and phone. The id is made on the device; repeating the request
 * with the same id returns the first reservation.
 */
export const createReservationRequest = z
  .strictObject({
    reservationId: idOf('rsv'),
    storeId: idOf('sto'),
    memberId: idOf('mbr').optional(),
    customerName: z.string().trim().min(1).max(name_length_max).optional(),
    customerPhone: mainlandPhone.optional(),
    pickupBy: isoDay,
    lines: reservationLines,
    note: z.string().trim().max(reservation_note_length_max).optional(),
  })
  .refine((r) => r.memberId !== undefined || (r.customerName !== undefined && r.customerPhone !== undefined), {
    message: '请选择会员，或填写顾客姓名和手机号',
    path: ['customerName'],
  });
export type CreateReservationRequest = z.infer<typeof createReservationRequest>;

/** A reservation a signed-in shopper makes for themself in the shop. */
export const shopReservationRequest = z.strictObject({
  reservationId: idOf('rsv'),
  storeId: idOf('sto'),
  pickupBy: isoDay,
  lines: reservationLines,
  note: z.string().trim().max(reservation_note_length_max).optional(),
});
export type ShopReservationRequest = z.infer<typeof shopReservationRequest>;

export const reservationsQuery = z.strictObject({
  storeId: idOf('sto'),
  status: reservationStatus.optional(),
});

export const reservationView = z.object({
  id: z.string(),
  storeId: z.string(),
  channel: z.enum(['counter', 'shop']),
  memberId: z.string().nullable(),
  customerName: z.string(),
  customerPhone: z.string(),
  pickupBy: z.string(),
  status: reservationStatus,
  note: z.string(),
  orderId: z.string().nullable(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  lines: z.array(
    z.object({
      skuId: z.string(),
      categoryId: z.string(),
      /** Where categoryId sits in the tree, so the counter prices a promotion on the parent as checkout does. */
      parentCategoryId: z.string().nullable(),
      name: z.string(),
      spec: z.string(),
      qty: z.number().int(),
      retailPriceFen: z.number().int(),
      memberPriceFen: z.number().int(),
    }),
  ),
});
export type ReservationView = z.infer<typeof reservationView>;

export const reservationResponse = z.object({ reservation: reservationView, replayed: z.boolean() });
export const reservationsResponse = z.object({ items: z.array(reservationView) });
export const expireReservationsResponse = z.object({ expired: z.number().int() });
