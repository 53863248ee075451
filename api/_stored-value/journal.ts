import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { postEntry, type AccountCode, type PostLine } from '../_ledger/index.js';
import { businessDate } from '../_kernel/clock.js';

/** Where the money paid in for a top-up (or paid out for a refund) sits. */
const moneyAccounts: Readonly<Record<'cash' | 'card' | 'wechat' | 'alipay' | 'bank', AccountCode>> = {
  cash: 'cash',
  card: 'clearing_other',
  wechat: 'clearing_wechat',
  alipay: 'clearing_alipay',
  bank: 'bank',
};

interface EntryBase {
  merchantId: string;
  storeId: string;
  at: Date;
}

async function post(trx: Transaction<DB>, e: EntryBase & { eventKey: string; memo: string; lines: PostLine[] }): Promise<void> {
  const lines = e.lines.filter((l) => (l.debitFen ?? 0) > 0 || (l.creditFen ?? 0) > 0);
  if (lines.length < 2) return;
  await postEntry(trx, { merchantId: e.merchantId, storeId: e.storeId, eventKey: e.eventKey, businessDate: businessDate(e.at), occurredAt: e.at, memo: e.memo, lines });
}

/**
 * A top-up: the money paid in is owed to the member (预收账款) until spent.
 * The bonus is not booked here: it is neither money received nor revenue,
 * only a promise of a discount, which the journal records when it is spent.
 */
export function postTopUp(trx: Transaction<DB>, e: EntryBase & { topUpId: string; method: keyof typeof moneyAccounts; payFen: number }): Promise<void> {
  return post(trx, {
    ...e,
    eventKey: `stored_value_top_up:${e.topUpId}`,
    memo: '会员储值充值',
    lines: [
      { account: moneyAccounts[e.method], debitFen: e.payFen },
      { account: 'stored_value_liability', creditFen: e.payFen, memo: '储值本金' },
    ],
  });
}

/**
 * A sale paid from stored value. The sale's own entry debits the stored-value
 * clearing account with the whole tender (as any tender's money); this entry
 * empties it: the principal part settles the liability (预收账款), and the
 * bonus part is booked as a sales discount (contra-revenue, 销售折扣), since
 * the goods it paid for were given away at the shop's expense, exactly like a
 * price cut, and were never paid for by anyone.
 */
export function postSpend(trx: Transaction<DB>, e: EntryBase & { orderId: string; principalFen: number; bonusFen: number }): Promise<void> {
  return post(trx, {
    ...e,
    eventKey: `stored_value_spend:${e.orderId}`,
    memo: '储值消费',
    lines: [
      { account: 'stored_value_liability', debitFen: e.principalFen, memo: '储值本金' },
      { account: 'sales_discounts', debitFen: e.bonusFen, memo: '储值赠送额抵扣' },
      { account: 'clearing_stored_value', creditFen: e.principalFen + e.bonusFen },
    ],
  });
}

/**
 * A return of a sale paid from stored value: the reverse of its spend, in the
 * parts given back. A shop order cancelled unpaid gives its draw back the
 * same way, under its own event (the order id, as it has no return).
 */
export function postRestore(trx: Transaction<DB>, e: EntryBase & ({ returnId: string } | { cancelledOrderId: string }) & { principalFen: number; bonusFen: number }): Promise<void> {
  const cancelled = 'cancelledOrderId' in e;
  return post(trx, {
    ...e,
    eventKey: cancelled ? `stored_value_cancel:${e.cancelledOrderId}` : `stored_value_return:${e.returnId}`,
    memo: cancelled ? '储值支付的订单取消，退回储值' : '储值消费退货退回储值',
    lines: [
      { account: 'clearing_stored_value', debitFen: e.principalFen + e.bonusFen },
      { account: 'stored_value_liability', creditFen: e.principalFen, memo: '储值本金' },
      { account: 'sales_discounts', creditFen: e.bonusFen, memo: '储值赠送额退回' },
    ],
  });
}

/** Unused principal paid back to the member. The bonus they forfeit was never booked, so it needs no entry. */
export function postRefund(trx: Transaction<DB>, e: EntryBase & { refundId: string; method: 'cash' | 'bank'; principalFen: number }): Promise<void> {
  return post(trx, {
    ...e,
    eventKey: `stored_value_refund:${e.refundId}`,
    memo: '会员储值退款',
    lines: [
      { account: 'stored_value_liability', debitFen: e.principalFen, memo: '储值本金' },
      { account: moneyAccounts[e.method], creditFen: e.principalFen },
    ],
  });
}
