import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { addDays, aging, creditRating, daysBetween, daysSalesOutstanding } from '../../shared/credit/aging.js';
import { statement_days_max, type StatementResponse } from '../../shared/api/credit.js';
import { invoiceAsOf, invoiceRecords, type InvoiceRecord } from './book.js';

/**
 * A customer's statement for [from, to]: what they owed before `from`, each
 * invoice, return credit and receipt in the period with the running balance,
 * and what they owe at the end of `to`, with its aging, the period's days
 * sales outstanding and their rating as of `to`.
 */
export function buildStatement(customerId: string, invoices: readonly InvoiceRecord[], receipts: readonly { id: string; date: string; amountFen: number }[], from: string, to: string): StatementResponse {
  const before = addDays(from, -1);
  let openingFen = 0;
  for (const inv of invoices) openingFen += invoiceAsOf(inv, before).balanceFen;
  type Line = StatementResponse['lines'][number];
  const lines: Omit<Line, 'balanceFen'>[] = [];
  for (const inv of invoices) {
    if (inv.issuedDate >= from && inv.issuedDate <= to) lines.push({ date: inv.issuedDate, kind: 'invoice', ref: inv.receiptNo ?? inv.orderId, debitFen: inv.amountFen, creditFen: 0 });
    for (const s of inv.settlements) {
      if (s.kind === 'return' && s.date >= from && s.date <= to) lines.push({ date: s.date, kind: 'return', ref: s.refId, debitFen: 0, creditFen: s.amountFen });
    }
  }
  // A receipt is one line however many invoices it paid.
  for (const r of receipts) {
    if (r.date >= from && r.date <= to) lines.push({ date: r.date, kind: 'receipt', ref: r.id, debitFen: 0, creditFen: r.amountFen });
  }
  const order = { invoice: 0, return: 1, receipt: 2 } as const;
  lines.sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : order[a.kind] - order[b.kind] || (a.ref < b.ref ? -1 : 1)));
  let running = openingFen;
  const withBalance = lines.map((l) => {
    running += l.debitFen - l.creditFen;
    return { ...l, balanceFen: running };
  });
  const sum = (kind: Line['kind'], side: 'debitFen' | 'creditFen') => lines.filter((l) => l.kind === kind).reduce((s, l) => s + l[side], 0);
  const invoicedFen = sum('invoice', 'debitFen');
  const returnedFen = sum('return', 'creditFen');
  const receivedFen = sum('receipt', 'creditFen');
  const figures = invoices.map((inv) => ({ inv, f: invoiceAsOf(inv, to) }));
  const owed = aging(figures.map(({ inv, f }) => ({ dueDate: inv.dueDate, balanceFen: f.balanceFen })), to);
  return {
    customerId,
    from,
    to,
    openingFen,
    lines: withBalance,
    invoicedFen,
    returnedFen,
    receivedFen,
    closingFen: openingFen + invoicedFen - returnedFen - receivedFen,
    aging: owed,
    dsoDays: daysSalesOutstanding(owed.totalFen, invoicedFen, daysBetween(from, to) + 1),
    rating: creditRating(
      figures.filter(({ inv }) => inv.issuedDate <= to).map(({ inv, f }) => ({ dueDate: inv.dueDate, settledDate: f.settledDate })),
      to,
    ),
  };
}

export async function customerStatement(db: Kysely<DB>, merchantId: string, customerId: string, from: string, to: string): Promise<StatementResponse> {
  const days = daysBetween(from, to) + 1;
  if (days < 1) throw new AppError('validation_failed', `起始日 ${from} 晚于结束日 ${to}`);
  if (days > statement_days_max) throw new AppError('validation_failed', `对账期最长 ${statement_days_max} 天（statement_days_max）`);
  const customer = await db.selectFrom('trade_customers').select('id').where('id', '=', customerId).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!customer) throw new AppError('not_found', `找不到商贸客户 ${customerId}`);
  const [invoices, receipts] = await Promise.all([
    invoiceRecords(db, merchantId, [customerId]),
    db.selectFrom('customer_receipts').select(['id', 'business_date', 'amount_fen']).where('customer_id', '=', customerId).where('business_date', '<=', to).orderBy('business_date').orderBy('id').execute(),
  ]);
  return buildStatement(customerId, invoices, receipts.map((r) => ({ id: r.id, date: r.business_date, amountFen: r.amount_fen })), from, to);
}

/** Open invoices past their due date, most overdue first: the owner's list of whom to call. */
export async function overdueReminders(db: Kysely<DB>, merchantId: string, asOf: string) {
  const [invoices, customers] = await Promise.all([invoiceRecords(db, merchantId), db.selectFrom('trade_customers').select(['id', 'name', 'phone']).where('merchant_id', '=', merchantId).execute()]);
  const byId = new Map(customers.map((c) => [c.id, c]));
  const items = invoices
    .map((inv) => ({ inv, f: invoiceAsOf(inv, asOf) }))
    .filter(({ f }) => f.balanceFen > 0 && f.daysOverdue > 0)
    .map(({ inv, f }) => ({ customerId: inv.customerId, customerName: byId.get(inv.customerId)?.name ?? '', phone: byId.get(inv.customerId)?.phone ?? '', invoiceId: inv.id, dueDate: inv.dueDate, daysOverdue: f.daysOverdue, balanceFen: f.balanceFen }))
    .sort((a, b) => b.daysOverdue - a.daysOverdue || b.balanceFen - a.balanceFen);
  return { asOf, items, totalFen: items.reduce((s, i) => s + i.balanceFen, 0) };
}

export async function customerInvoices(db: Kysely<DB>, merchantId: string, customerId: string, asOf: string) {
  const customer = await db.selectFrom('trade_customers').select('id').where('id', '=', customerId).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!customer) throw new AppError('not_found', `找不到商贸客户 ${customerId}`);
  const invoices = await invoiceRecords(db, merchantId, [customerId]);
  return invoices.map((inv) => {
    const f = invoiceAsOf(inv, asOf);
    return { id: inv.id, orderId: inv.orderId, receiptNo: inv.receiptNo, issuedDate: inv.issuedDate, dueDate: inv.dueDate, amountFen: inv.amountFen, paidFen: f.paidFen, returnedFen: f.returnedFen, balanceFen: f.balanceFen, daysOverdue: f.daysOverdue };
  });
}
