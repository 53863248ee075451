import { z } from 'zod';
import { fen, idOf, role } from './common.js';
import { fen_amount_max } from '../money.js';
import type { HandDiscountLimit } from '../pricing/hand-discount.js';

/** A manager's approval of one discounted sale lasts this long, as a credit approval does. */
export const discount_approval_minutes = 15;
export const discount_approval_note_length_max = 100;

/**
 * What each role may take off by hand without asking, until the owner sets
 * otherwise: an assistant 九折 on a line or the order and ¥50 in all, a
 * manager 七折 and ¥500, the owner anything.
 */
export const discount_limits_default: Record<'owner' | 'manager' | 'assistant', HandDiscountLimit> = {
  assistant: { lineBpMax: 1000, orderBpMax: 1000, totalFenMax: 5_000 },
  manager: { lineBpMax: 3000, orderBpMax: 3000, totalFenMax: 50_000 },
  owner: { lineBpMax: 10_000, orderBpMax: 10_000, totalFenMax: fen_amount_max },
};

export const discountLimitView = z.object({ role, lineBpMax: z.number().int().min(0).max(10_000), orderBpMax: z.number().int().min(0).max(10_000), totalFenMax: fen.min(0).max(fen_amount_max) });
export const discountLimitsResponse = z.object({ items: z.array(discountLimitView) });
export const discountLimitsRequest = z.strictObject({
  limits: z
    .array(z.strictObject({ role, lineBpMax: z.number().int().min(0).max(10_000), orderBpMax: z.number().int().min(0).max(10_000), totalFenMax: fen.min(0).max(fen_amount_max) }))
    .min(1)
    .max(3)
    .refine((ls) => new Set(ls.map((l) => l.role)).size === ls.length, '每个角色只设一次'),
});

export const discountApprovalRequest = z.strictObject({
  storeId: idOf('sto'),
  /** The most this approval lets one sale take off by hand. */
  maxFen: fen.min(1).max(fen_amount_max),
  note: z.string().trim().min(1, '请写明原因').max(discount_approval_note_length_max),
});
export const discountApprovalResponse = z.object({ code: z.string(), maxFen: fen, expiresAt: z.string(), approvedBy: z.string() });
