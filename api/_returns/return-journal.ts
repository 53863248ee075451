import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { tenderAccount } from '../_sales/index.js';
import { postEntry, type PostLine } from '../_ledger/index.js';


export interface ReturnForJournal {
  merchantId: string;
  storeId: string;
  returnId: string;
  businessDate: string;
  occurredAt: Date;
  refunds: { method: string; amountFen: number }[];
  costFen: number;
  /** Value of the points that paid for the returned goods and go back to the member. */
  pointsRestoredValueFen: number;
  /** Value of the points the sale earned that are taken back. */
  pointsClawedBackValueFen: number;
}

/**
 * Reverses a sale's share: revenue down by what the customer gets back (in
 * money and in points), the money out of its tender accounts, the goods back
 * into inventory at cost, and the liability for clawed-back points released.
 */
export async function postReturn(trx: Transaction<DB>, r: ReturnForJournal): Promise<void> {
  const refundFen = r.refunds.reduce((s, x) => s + x.amountFen, 0);
  const lines: PostLine[] = [{ account: 'sales_revenue', debitFen: refundFen + r.pointsRestoredValueFen, memo: '退货冲减收入' }];
  for (const x of r.refunds) {
    const account = tenderAccount(x.method);
    lines.push({ account, creditFen: x.amountFen, memo: '退款' });
  }
  lines.push({ account: 'points_liability', creditFen: r.pointsRestoredValueFen, memo: '退回抵扣积分' });
  lines.push({ account: 'inventory', debitFen: r.costFen }, { account: 'cost_of_goods', creditFen: r.costFen });
  lines.push({ account: 'points_liability', debitFen: r.pointsClawedBackValueFen, memo: '扣回赠送积分' }, { account: 'sales_discounts', creditFen: r.pointsClawedBackValueFen, memo: '扣回赠送积分' });
  const nonZero = lines.filter((l) => (l.debitFen ?? 0) > 0 || (l.creditFen ?? 0) > 0);
  if (nonZero.length < 2) return;
  await postEntry(trx, { merchantId: r.merchantId, storeId: r.storeId, eventKey: `return:${r.returnId}`, businessDate: r.businessDate, occurredAt: r.occurredAt, memo: '退货', lines: nonZero });
}
