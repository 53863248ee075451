import { z } from 'zod';
import { fen, idOf, role } from './common.js';

export const return_reason_length_max = 80;
export const return_lines_max = 200;

export const returnRequest = z.strictObject({
  /** Made on the device, like an order id: a retry returns the first result. */
  clientReturnId: z.string().regex(/^ret_[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ret_ id'),
  orderId: idOf('ord'),
  /** Leave out for a full return of everything not yet returned. */
  lines: z.array(z.strictObject({ orderLineId: z.string().min(1).max(64), qty: z.number().int().min(1).max(9999) })).min(1).max(return_lines_max).optional(),
  reason: z.string().trim().min(1).max(return_reason_length_max),
  /** The counter's device: the cash refunded comes out of the drawer of the shift open on it. */
  deviceId: z.string().trim().min(1).max(64).optional(),
});
export type ReturnRequest = z.infer<typeof returnRequest>;

export const returnView = z.object({
  id: z.string(),
  orderId: z.string(),
  receiptNo: z.string(),
  storeId: z.string(),
  status: z.enum(['pending_approval', 'completed', 'rejected']),
  amountFen: fen,
  pointsClawback: z.number().int(),
  reason: z.string(),
  requestedBy: z.object({ id: z.string(), name: z.string() }),
  decidedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  decisionNote: z.string().nullable(),
  createdAt: z.string(),
  lines: z.array(z.object({ orderLineId: z.string(), name: z.string(), qty: z.number().int(), amountFen: fen })),
  /** How the money goes back; cash for now, the original methods once platform refunds exist. */
  refunds: z.array(z.object({ method: z.string(), amountFen: fen })),
});
export type ReturnView = z.infer<typeof returnView>;

export const returnResponse = z.object({ return: returnView, replayed: z.boolean() });

export const returnsQuery = z.strictObject({
  storeId: idOf('sto').optional(),
  status: z.enum(['pending_approval', 'completed', 'rejected']).optional(),
});
export const returnsListResponse = z.object({ items: z.array(returnView) });

export const returnDecisionRequest = z.strictObject({ note: z.string().trim().min(1).max(return_reason_length_max) });

export const returnLimit = z.object({ role, perReturnFen: fen.min(0), perDayFen: fen.min(0) });
export const returnLimitsResponse = z.object({ items: z.array(returnLimit) });
export const returnLimitsRequest = z.strictObject({ items: z.array(z.strictObject({ role, perReturnFen: fen.min(0), perDayFen: fen.min(0) })).min(1).max(3) });
