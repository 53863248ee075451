import { z } from 'zod';
import { fen, idOf } from './common.js';
import { device_id_length_max } from './orders.js';
import { denomination_count_max, denominations_fen } from '../shifts/cash.js';

/** A float of more than ¥10,000 is a slip of the finger, not change for a till. */
export const shift_opening_float_fen_max = 1_000_000;
/** One cash move in or out of a drawer; a bank deposit of a busy day stays under it. */
export const shift_cash_move_fen_max = 10_000_000;
export const shift_reason_length_max = 100;
export const shift_note_length_max = 200;

const businessDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const deviceId = z.string().trim().min(1).max(device_id_length_max);

export const openShiftRequest = z.strictObject({
  /** Made on the device, so a repeated tap or a retry opens one shift. */
  clientShiftId: idOf('sft'),
  storeId: idOf('sto'),
  deviceId,
  openingFloatFen: fen.min(0).max(shift_opening_float_fen_max),
});

export const cashMoveKind = z.enum(['change_fund_in', 'change_fund_out', 'petty_cash', 'bank_deposit']);
export type CashMoveKindName = z.infer<typeof cashMoveKind>;

export const cashMoveRequest = z.strictObject({
  clientMoveId: idOf('csm'),
  kind: cashMoveKind,
  amountFen: fen.min(1).max(shift_cash_move_fen_max),
  reason: z.string().trim().min(1, '请写明原因').max(shift_reason_length_max),
});

const denomination = z.literal(denominations_fen, { message: '不是人民币面额' });

export const closeShiftRequest = z.strictObject({
  counts: z
    .array(z.strictObject({ denominationFen: denomination, count: z.number().int().min(0).max(denomination_count_max) }))
    .max(denominations_fen.length)
    .refine((cs) => new Set(cs.map((c) => c.denominationFen)).size === cs.length, '每种面额只填一次'),
  note: z.string().trim().max(shift_note_length_max).optional(),
});

export const confirmShiftRequest = z.strictObject({
  note: z.string().trim().max(shift_note_length_max).optional(),
});

export const currentShiftQuery = z.strictObject({ storeId: idOf('sto'), deviceId });
export const shiftsQuery = z.strictObject({ storeId: idOf('sto'), date: businessDate });
export const dayCloseQuery = shiftsQuery;
export const dayCloseRequest = z.strictObject({ storeId: idOf('sto'), businessDate });

export const cashMoveView = z.object({
  id: z.string(),
  kind: cashMoveKind,
  amountFen: fen,
  reason: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export const shiftView = z.object({
  id: z.string(),
  storeId: z.string(),
  deviceId: z.string(),
  businessDate: z.string(),
  status: z.enum(['open', 'closed', 'confirmed']),
  openedBy: z.object({ id: z.string(), name: z.string() }),
  openedAt: z.string(),
  openingFloatFen: fen,
  /** memberFen: stored-value top-ups and gift cash taken, less stored-value refunds paid, in cash (#17); may be negative. */
  cash: z.object({ salesFen: fen, refundsFen: fen, inFen: fen, outFen: fen, memberFen: fen, expectedFen: fen }),
  /** Sales by tender in this shift, net of change; cash is also in `cash.salesFen`. */
  tenders: z.array(z.object({ method: z.string(), amountFen: fen, count: z.number().int() })),
  orderCount: z.number().int(),
  /** Sales synced after their own shift had closed, or with none open, that landed here. */
  lateOrderCount: z.number().int(),
  moves: z.array(cashMoveView),
  counts: z.array(z.object({ denominationFen: z.number().int(), count: z.number().int() })).nullable(),
  countedFen: fen.nullable(),
  varianceFen: fen.nullable(),
  closedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  closedAt: z.string().nullable(),
  closeNote: z.string().nullable(),
  confirmedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  confirmedAt: z.string().nullable(),
  /** Still open after the store's closing time on its business day. */
  overdue: z.boolean(),
});
export type ShiftView = z.infer<typeof shiftView>;

export const shiftResponse = z.object({ shift: shiftView });
export const currentShiftResponse = z.object({ shift: shiftView.nullable() });
export const shiftsResponse = z.object({ items: z.array(shiftView) });

export const dayCloseView = z.object({
  storeId: z.string(),
  storeName: z.string(),
  businessDate: z.string(),
  shifts: z.array(shiftView),
  /** Shifts of the day not yet closed: the day cannot close while any is. */
  openShiftCount: z.number().int(),
  tenders: z.array(z.object({ method: z.string(), amountFen: fen, count: z.number().int() })),
  salesFen: fen,
  orderCount: z.number().int(),
  returns: z.object({ count: z.number().int(), amountFen: fen }),
  roundingFen: fen,
  varianceFen: fen,
  /** Platform payments of the day still waiting for the platform's answer. */
  pendingPayments: z.object({ count: z.number().int(), amountFen: fen }),
  /** Sales of the day that went through no shift (billed with none open). */
  unshifted: z.object({ count: z.number().int(), cashFen: fen }),
  closed: z.object({ by: z.object({ id: z.string(), name: z.string() }), at: z.string() }).nullable(),
});
export type DayCloseView = z.infer<typeof dayCloseView>;
export const dayCloseResponse = z.object({ dayClose: dayCloseView });
export const dayCloseSlipResponse = z.object({ lines: z.array(z.string()), escposBase64: z.string() });

export const shiftSettingsRequest = z.strictObject({
  /** 'HH:MM' in Beijing time. */
  closesAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '请用 HH:MM 格式，如 22:00'),
});
export const shiftSettingsResponse = z.object({ closesAt: z.string() });
