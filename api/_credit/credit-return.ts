import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { newId } from '../../shared/ids.js';

export interface RefundPart {
  method: string;
  amountFen: number;
}

/**
 * A return of goods sold on account (赊账) gives no money back: it credits
 * the invoice, so the customer owes less. Only what is still owed can be
 * credited; if the customer has already paid more of the invoice than is
 * left after the return, that excess comes back in cash, as with any other
 * refund. The customer's row is locked, as for sales and receipts, so the
 * balance read here cannot change before the credit is written.
 */
export async function creditAccountRefunds(trx: Transaction<DB>, r: { merchantId: string; orderId: string; returnId: string; businessDate: string }, split: RefundPart[]): Promise<RefundPart[]> {
  const toAccount = split.filter((s) => s.method === 'account').reduce((sum, s) => sum + s.amountFen, 0);
  if (toAccount === 0) return split;
  const invoice = await trx.selectFrom('receivables').select(['id', 'customer_id', 'amount_fen']).where('order_id', '=', r.orderId).where('merchant_id', '=', r.merchantId).executeTakeFirstOrThrow();
  await trx.selectFrom('trade_customers').select('id').where('id', '=', invoice.customer_id).forUpdate().executeTakeFirstOrThrow();
  const settled = await trx.selectFrom('receivable_settlements').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('fen')).where('receivable_id', '=', invoice.id).executeTakeFirstOrThrow();
  const balance = invoice.amount_fen - Number(settled.fen);
  const credit = Math.min(toAccount, balance);
  const excess = toAccount - credit;
  if (credit > 0) {
    await trx
      .insertInto('receivable_settlements')
      .values({ id: newId('settlement'), merchant_id: r.merchantId, receivable_id: invoice.id, kind: 'return', return_id: r.returnId, amount_fen: credit, business_date: r.businessDate })
      .execute();
  }
  const out: RefundPart[] = [];
  for (const s of split) {
    if (s.method !== 'account') out.push({ ...s });
  }
  if (credit > 0) out.push({ method: 'account', amountFen: credit });
  if (excess > 0) {
    const cash = out.find((s) => s.method === 'cash');
    if (cash) cash.amountFen += excess;
    else out.push({ method: 'cash', amountFen: excess });
  }
  return out;
}
