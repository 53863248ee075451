import { z } from 'zod';
import { fen_amount_max } from '../money.js';
import { idOf } from '../api/common.js';
import { points_amount_max } from '../points/rules.js';
import { discount_bp_max, discount_reason_length_max, line_quantity_max, order_lines_max } from './limits.js';

/**
 * What a client sends to have an order priced or placed. It carries no
 * prices and no rules: the server reads those from the database and runs
 * priceOrder itself. expectedTotalFen is the total the client showed; the
 * server refuses the order when its own total differs, so the customer never
 * pays an amount they were not shown.
 */
const reason = z.string().trim().min(1).max(discount_reason_length_max);

export const discountInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('percent_off'), bp: z.number().int().min(0).max(discount_bp_max), reason }),
  z.strictObject({ kind: z.literal('amount_off'), fen: z.number().int().min(0).max(fen_amount_max), reason }),
]);
export type DiscountInput = z.infer<typeof discountInput>;

export const tenderKind = z.enum(['cash', 'wechat', 'alipay', 'card', 'other']);
export type TenderKind = z.infer<typeof tenderKind>;

export const pricingLineRequest = z.strictObject({
  skuId: idOf('sku'),
  qty: z.number().int().min(1).max(line_quantity_max),
  discount: discountInput.optional(),
});

export const pricingRequest = z.strictObject({
  lines: z.array(pricingLineRequest).min(1).max(order_lines_max),
  memberId: idOf('mbr').optional(),
  orderDiscount: discountInput.optional(),
  pointsToRedeem: z.number().int().min(0).max(points_amount_max).optional(),
  tender: tenderKind,
  expectedTotalFen: z.number().int().min(0).max(fen_amount_max).optional(),
});
export type PricingRequest = z.infer<typeof pricingRequest>;
