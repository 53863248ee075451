import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { formatFen } from '../../shared/money.js';
import { drawFrom, restoreOf } from '../../shared/stored-value/draw.js';
import { orderDraws, postMovement } from './movements.repository.js';
import { postRestore, postSpend } from './journal.js';
import { queueBalanceNotice } from './notice.js';

export interface SpendInput {
  merchantId: string;
  storeId: string;
  memberId: string;
  orderId: string;
  amountFen: number;
  createdBy: string | null;
  at: Date;
}

/**
 * Pays part or all of a sale from the member's stored value, in the sale's
 * transaction: the split between principal and bonus is decided under the
 * member's lock by the rule in shared/stored-value/draw.ts, so two sales at
 * once draw one after the other and the second sees what the first left.
 * Too little left is a 409 and the sale rolls back. The order id is the key:
 * a sale draws once.
 */
export async function spendStoredValue(trx: Transaction<DB>, s: SpendInput): Promise<{ principalFen: number; bonusFen: number }> {
  const moved = await postMovement(trx, {
    merchantId: s.merchantId,
    memberId: s.memberId,
    kind: 'spend',
    storeId: s.storeId,
    orderId: s.orderId,
    refId: s.orderId,
    idempotencyKey: `spend:${s.orderId}`,
    createdBy: s.createdBy,
    at: s.at,
    deltas: (locked) => {
      const draw = drawFrom(locked, s.amountFen);
      if (!draw) throw new AppError('exceeds_balance', `储值余额 ${formatFen(locked.principalFen + locked.bonusFen)} 不足以支付 ${formatFen(s.amountFen)}`, [{ path: 'tenders', message: 'stored value short' }]);
      return { principalFen: -draw.principalFen, bonusFen: -draw.bonusFen };
    },
  });
  const draw = { principalFen: -moved.principalDeltaFen, bonusFen: -moved.bonusDeltaFen };
  if (moved.created) {
    await postSpend(trx, { merchantId: s.merchantId, storeId: s.storeId, at: s.at, orderId: s.orderId, ...draw });
    await queueBalanceNotice(trx, { merchantId: s.merchantId, memberId: s.memberId, kind: 'spend', ref: s.orderId, deltaFen: moved.principalDeltaFen + moved.bonusDeltaFen, balance: moved.balance, at: s.at });
  }
  return draw;
}

/**
 * A return of a sale paid from stored value puts the money back on the card
 * it came from, to the same parts in the proportion the sale drew them
 * (counted over all of the order's returns). The return id is the key.
 */
export async function restoreStoredValue(trx: Transaction<DB>, r: { merchantId: string; storeId: string; orderId: string; returnId: string; amountFen: number; createdBy: string | null; at: Date }): Promise<void> {
  const { memberId, spent, restored } = await orderDraws(trx, r.merchantId, r.orderId);
  if (!memberId) throw new Error(`order ${r.orderId} has a stored-value tender but drew no stored value`);
  const moved = await postMovement(trx, {
    merchantId: r.merchantId,
    memberId,
    kind: 'return',
    storeId: r.storeId,
    orderId: r.orderId,
    refId: r.returnId,
    idempotencyKey: `return:${r.returnId}`,
    createdBy: r.createdBy,
    at: r.at,
    deltas: () => {
      const back = restoreOf(spent, restored, r.amountFen);
      if (!back) throw new Error(`return ${r.returnId} gives back ${r.amountFen} fen of stored value, more than order ${r.orderId} drew`);
      return back;
    },
  });
  if (moved.created) {
    await postRestore(trx, { merchantId: r.merchantId, storeId: r.storeId, at: r.at, returnId: r.returnId, principalFen: moved.principalDeltaFen, bonusFen: moved.bonusDeltaFen });
    await queueBalanceNotice(trx, { merchantId: r.merchantId, memberId, kind: 'return', ref: r.returnId, deltaFen: moved.principalDeltaFen + moved.bonusDeltaFen, balance: moved.balance, at: r.at });
  }
}

/**
 * A shop order that drew stored value and was then cancelled or lapsed
 * unpaid gives back everything it drew and has not had back, to the same
 * parts. The order id is the key: a cancel gives back once.
 */
export async function releaseStoredValueOfOrder(trx: Transaction<DB>, r: { merchantId: string; storeId: string; orderId: string; createdBy: string | null; at: Date }): Promise<void> {
  const { memberId, spent, restored } = await orderDraws(trx, r.merchantId, r.orderId);
  if (!memberId) return;
  const back = { principalFen: spent.principalFen - restored.principalFen, bonusFen: spent.bonusFen - restored.bonusFen };
  if (back.principalFen + back.bonusFen === 0) return;
  const moved = await postMovement(trx, {
    merchantId: r.merchantId,
    memberId,
    kind: 'return',
    storeId: r.storeId,
    orderId: r.orderId,
    refId: r.orderId,
    idempotencyKey: `cancel:${r.orderId}`,
    createdBy: r.createdBy,
    at: r.at,
    deltas: () => back,
  });
  if (moved.created) {
    await postRestore(trx, { merchantId: r.merchantId, storeId: r.storeId, at: r.at, cancelledOrderId: r.orderId, principalFen: moved.principalDeltaFen, bonusFen: moved.bonusDeltaFen });
    await queueBalanceNotice(trx, { merchantId: r.merchantId, memberId, kind: 'cancel', ref: r.orderId, deltaFen: moved.principalDeltaFen + moved.bonusDeltaFen, balance: moved.balance, at: r.at });
  }
}
