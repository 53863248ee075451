import { z } from 'zod';
import { fen, idOf } from './common.js';
import { paymentView } from './payments.js';

/** Stored value (储值, #17): plans, balances, statements, top-ups and refunds. */

export const storedValuePlanRequest = z.object({
  name: z.string().trim().min(1, '请填写方案名称').max(40, '方案名称最多 40 字'),
  payFen: fen.positive('充值金额须大于 0'),
  bonusFen: fen.min(0, '赠送金额不能为负'),
});
export type StoredValuePlanRequest = z.infer<typeof storedValuePlanRequest>;

export const storedValuePlanView = z.object({
  id: z.string(),
  name: z.string(),
  payFen: fen,
  bonusFen: fen,
  status: z.enum(['active', 'stopped']),
  createdAt: z.string(),
});
export type StoredValuePlanView = z.infer<typeof storedValuePlanView>;
export const storedValuePlansResponse = z.object({ plans: z.array(storedValuePlanView) });
export const storedValuePlanResponse = z.object({ plan: storedValuePlanView });

export const storedValueBalance = z.object({
  principalFen: fen,
  bonusFen: fen,
  totalFen: fen,
  /** The most this member's card may hold (the merchant's cap, and the anonymous card's legal cap without a phone). */
  capFen: fen,
});
export type StoredValueBalance = z.infer<typeof storedValueBalance>;

export const storedValueKind = z.enum(['top_up', 'spend', 'return', 'refund', 'forfeit', 'move_out', 'move_in']);
export const storedValueMovementView = z.object({
  id: z.string(),
  kind: storedValueKind,
  principalDeltaFen: fen,
  bonusDeltaFen: fen,
  principalAfterFen: fen,
  bonusAfterFen: fen,
  orderId: z.string().nullable(),
  refId: z.string(),
  createdAt: z.string(),
});
export type StoredValueMovementView = z.infer<typeof storedValueMovementView>;

export const storedValueStatement = z.object({ balance: storedValueBalance, movements: z.array(storedValueMovementView) });
export type StoredValueStatement = z.infer<typeof storedValueStatement>;
/** The shopper's 储值 page: what they can buy and what they have. */
export const shopStoredValueResponse = storedValueStatement.extend({ plans: z.array(storedValuePlanView) });
export type ShopStoredValueResponse = z.infer<typeof shopStoredValueResponse>;

export const counterTopUpRequest = z.object({
  clientTopUpId: idOf('svt'),
  memberId: idOf('mbr'),
  planId: idOf('svp'),
  method: z.enum(['cash', 'card']),
  reference: z.string().trim().min(1).max(64).optional(),
});
export type CounterTopUpRequest = z.infer<typeof counterTopUpRequest>;

export const topUpView = z.object({
  id: z.string(),
  memberId: z.string(),
  planId: z.string(),
  payFen: fen,
  bonusFen: fen,
  method: z.enum(['cash', 'card', 'wechat', 'alipay']),
  status: z.enum(['pending', 'credited', 'failed']),
  createdAt: z.string(),
});
export const topUpResponse = z.object({ topUp: topUpView, balance: storedValueBalance, replayed: z.boolean() });
export type TopUpResponse = z.infer<typeof topUpResponse>;

export const storedValueRefundRequest = z.object({
  clientRefundId: idOf('svr'),
  storeId: idOf('sto'),
  /** Cash only up to the surrender rule's 100 yuan; above it, to the holder's own bank account. */
  method: z.enum(['cash', 'bank']),
  reference: z.string().trim().min(1).max(64).optional(),
  note: z.string().trim().min(1, '请填写退款原因').max(200),
});
export type StoredValueRefundRequest = z.infer<typeof storedValueRefundRequest>;
export const storedValueRefundResponse = z.object({
  refund: z.object({ id: z.string(), principalFen: fen, bonusForfeitedFen: fen, method: z.enum(['cash', 'bank']), createdAt: z.string() }),
  balance: storedValueBalance,
  replayed: z.boolean(),
});
export type StoredValueRefundResponse = z.infer<typeof storedValueRefundResponse>;

export const storedValueSettings = z.object({ balanceCapFen: fen.positive('上限须大于 0') });
export type StoredValueSettings = z.infer<typeof storedValueSettings>;
export const storedValueSettingsResponse = storedValueSettings.extend({ legalCapFen: fen, anonymousCapFen: fen });

export const shopTopUpRequest = z.object({
  clientTopUpId: idOf('svt'),
  planId: idOf('svp'),
  storeId: idOf('sto'),
  channel: z.enum(['wechat', 'alipay']),
});
export type ShopTopUpRequest = z.infer<typeof shopTopUpRequest>;

export const topUpPaymentRequest = z.object({ clientPaymentId: idOf('pay') });
export const topUpPaymentResponse = topUpResponse.extend({ payment: paymentView });
export type TopUpPaymentResponse = z.infer<typeof topUpPaymentResponse>;
