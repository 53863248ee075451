import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { AccountCode } from '../_ledger/index.js';
import { tenderAccount } from './tender-accounts.js';
import { postEntry, type PostLine } from '../_ledger/index.js';


export interface SaleForJournal {
  merchantId: string;
  storeId: string;
  orderId: string;
  businessDate: string;
  occurredAt: Date;
  subtotalListFen: number;
  discountFen: number;
  pointsFen: number;
  roundingFen: number;
  tenders: { method: string; amountFen: number }[];
  costFen: number;
  /** The liability taken on for the points this sale earned, valued at their redemption rate. */
  pointsEarnedValueFen: number;
  /** Offline sales: collected minus priced; a gain or a loss on the rounding account. */
  priceDiffFen: number;
}

function sumBy(lines: PostLine[], side: 'debitFen' | 'creditFen'): number {
  return lines.reduce((s, l) => s + (l[side] ?? 0), 0);
}

/**
 * One balanced entry per sale: revenue at list price on the credit side;
 * the money taken, the discounts, the points paid and the rounding on the
 * debit side; cost of goods out of inventory; and the points earned as a
 * liability. Zero amounts are left out.
 */
export async function postSale(trx: Transaction<DB>, s: SaleForJournal): Promise<void> {
  const byAccount = new Map<AccountCode, number>();
  for (const t of s.tenders) {
    const account = tenderAccount(t.method);
    byAccount.set(account, (byAccount.get(account) ?? 0) + t.amountFen);
  }
  const lines: PostLine[] = [...byAccount].map(([account, fen]) => ({ account, debitFen: fen }));
  lines.push({ account: 'sales_discounts', debitFen: s.discountFen - s.pointsFen - s.roundingFen, memo: '折扣与促销' });
  lines.push({ account: 'points_liability', debitFen: s.pointsFen, memo: '积分抵扣' });
  lines.push({ account: 'rounding', debitFen: s.roundingFen, memo: '抹零' });
  lines.push({ account: 'sales_revenue', creditFen: s.subtotalListFen });
  lines.push({ account: 'cost_of_goods', debitFen: s.costFen }, { account: 'inventory', creditFen: s.costFen });
  lines.push({ account: 'sales_discounts', debitFen: s.pointsEarnedValueFen, memo: '赠送积分' }, { account: 'points_liability', creditFen: s.pointsEarnedValueFen, memo: '赠送积分' });
  if (s.priceDiffFen > 0) lines.push({ account: 'rounding', creditFen: s.priceDiffFen, memo: '离线单价差' });
  if (s.priceDiffFen < 0) lines.push({ account: 'rounding', debitFen: -s.priceDiffFen, memo: '离线单价差' });
  const nonZero = lines.filter((l) => (l.debitFen ?? 0) > 0 || (l.creditFen ?? 0) > 0);
  if (sumBy(nonZero, 'debitFen') !== sumBy(nonZero, 'creditFen')) throw new Error(`sale ${s.orderId} journal does not balance`);
  if (nonZero.length < 2) return;
  await postEntry(trx, {
    merchantId: s.merchantId,
    storeId: s.storeId,
    eventKey: `sale:${s.orderId}`,
    businessDate: s.businessDate,
    occurredAt: s.occurredAt,
    memo: '销售',
    lines: nonZero,
  });
}
