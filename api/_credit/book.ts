import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { daysBetween } from '../../shared/credit/aging.js';

export interface Settlement {
  kind: 'receipt' | 'return';
  refId: string;
  amountFen: number;
  date: string;
}

export interface InvoiceRecord {
  id: string;
  customerId: string;
  orderId: string;
  receiptNo: string | null;
  issuedDate: string;
  dueDate: string;
  amountFen: number;
  settlements: Settlement[];
}

/**
 * Every invoice of the given customers with the receipts and returns
 * credited to it: the records all balances are derived from.
 */
export async function invoiceRecords(db: Kysely<DB> | Transaction<DB>, merchantId: string, customerIds?: readonly string[]): Promise<InvoiceRecord[]> {
  if (customerIds && customerIds.length === 0) return [];
  let invoices = db
    .selectFrom('receivables')
    .innerJoin('orders', 'orders.id', 'receivables.order_id')
    .select(['receivables.id', 'receivables.customer_id', 'receivables.order_id', 'orders.receipt_no', 'receivables.issued_date', 'receivables.due_date', 'receivables.amount_fen'])
    .where('receivables.merchant_id', '=', merchantId);
  let settlements = db
    .selectFrom('receivable_settlements')
    .innerJoin('receivables', 'receivables.id', 'receivable_settlements.receivable_id')
    .select(['receivable_settlements.receivable_id', 'receivable_settlements.kind', 'receivable_settlements.receipt_id', 'receivable_settlements.return_id', 'receivable_settlements.amount_fen', 'receivable_settlements.business_date'])
    .where('receivables.merchant_id', '=', merchantId);
  if (customerIds) {
    invoices = invoices.where('receivables.customer_id', 'in', customerIds);
    settlements = settlements.where('receivables.customer_id', 'in', customerIds);
  }
  const [inv, set] = await Promise.all([
    invoices.orderBy('receivables.due_date').orderBy('receivables.issued_date').orderBy('receivables.id').execute(),
    settlements.orderBy('receivable_settlements.business_date').orderBy('receivable_settlements.id').execute(),
  ]);
  const byInvoice = new Map<string, Settlement[]>();
  for (const s of set) {
    const list = byInvoice.get(s.receivable_id) ?? [];
    list.push({ kind: s.kind, refId: (s.receipt_id ?? s.return_id)!, amountFen: s.amount_fen, date: s.business_date });
    byInvoice.set(s.receivable_id, list);
  }
  return inv.map((i) => ({
    id: i.id,
    customerId: i.customer_id,
    orderId: i.order_id,
    receiptNo: i.receipt_no,
    issuedDate: i.issued_date,
    dueDate: i.due_date,
    amountFen: i.amount_fen,
    settlements: byInvoice.get(i.id) ?? [],
  }));
}

/** The invoice's figures on `asOf`, counting only what happened by then. */
export function invoiceAsOf(inv: InvoiceRecord, asOf: string) {
  let paidFen = 0;
  let returnedFen = 0;
  let settledDate: string | null = null;
  for (const s of inv.settlements) {
    if (s.date > asOf) continue;
    if (s.kind === 'receipt') paidFen += s.amountFen;
    else returnedFen += s.amountFen;
    if (paidFen + returnedFen === inv.amountFen) settledDate = s.date;
  }
  const balanceFen = inv.issuedDate > asOf ? 0 : inv.amountFen - paidFen - returnedFen;
  return { paidFen, returnedFen, balanceFen, settledDate: balanceFen === 0 ? settledDate : null, daysOverdue: balanceFen > 0 ? Math.max(0, daysBetween(inv.dueDate, asOf)) : 0 };
}
