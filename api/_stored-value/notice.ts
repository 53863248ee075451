import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { queueMemberMessage, storedValueChangedData } from '../_messages/index.js';
import type { Balance } from './movements.repository.js';

/** The movements a member hears of, named as their statement names them (src/pages/member/stored-value-labels.ts). */
const notice_reasons = { top_up: '充值', spend: '消费', return: '退货退回', cancel: '订单取消退回', refund: '退卡退款' } as const;

/**
 * Queues the member's 储值变动 message in the transaction that moved their
 * balance, so it exists exactly when the movement commits. Called only when
 * the movement was new (a replay moved nothing and tells nothing), and keyed
 * by the movement's kind and reference, so a retry is the same message. A
 * merge's moves are not news to the member and are not told.
 */
export async function queueBalanceNotice(
  trx: Transaction<DB>,
  n: { merchantId: string; memberId: string; kind: keyof typeof notice_reasons; ref: string; deltaFen: number; balance: Balance; at: Date },
): Promise<void> {
  const data = storedValueChangedData({ deltaFen: n.deltaFen, balanceFen: n.balance.principalFen + n.balance.bonusFen, reason: notice_reasons[n.kind], at: n.at });
  await queueMemberMessage(trx, { merchantId: n.merchantId, memberId: n.memberId, topic: 'stored_value_changed', data, idempotencyKey: `stored_value_changed:${n.kind}:${n.ref}`, now: n.at });
}
