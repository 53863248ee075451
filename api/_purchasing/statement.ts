import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { purchasing_period_days_max, type StatementResponse } from '../../shared/api/purchasing.js';
import { daysBetween } from './aging.js';
import { supplierOf } from './suppliers.service.js';

export function assertPeriod(from: string, to: string): void {
  const days = daysBetween(from, to);
  if (days < 0) throw new AppError('validation_failed', '开始日期不能晚于结束日期');
  if (days + 1 > purchasing_period_days_max) throw new AppError('validation_failed', `查询期间最长 ${purchasing_period_days_max} 天（purchasing_period_days_max）`);
}

/**
 * A supplier's statement (对账单) for [from, to] business days: what was owed
 * before the period, each receipt, return and payment in it in date order
 * with the running balance, and what is owed at its end. Every figure is a
 * sum of those records; nothing is read from the payables' running totals.
 */
export async function supplierStatement(db: Kysely<DB>, merchantId: string, supplierId: string, from: string, to: string): Promise<StatementResponse> {
  assertPeriod(from, to);
  const supplier = await supplierOf(db, merchantId, supplierId);
  const events = await sql<{ kind: 'receipt' | 'return' | 'payment'; ref_id: string; po_id: string | null; business_date: string; amount_fen: number }>`
    select 'receipt' as kind, id as ref_id, po_id, business_date, value_fen as amount_fen
      from purchase_receipts where merchant_id = ${merchantId} and supplier_id = ${supplierId} and business_date <= ${to}
    union all
    select 'return', id, po_id, business_date, -value_fen
      from purchase_returns where merchant_id = ${merchantId} and supplier_id = ${supplierId} and business_date <= ${to}
    union all
    select 'payment', id, null, business_date, -amount_fen
      from supplier_payments where merchant_id = ${merchantId} and supplier_id = ${supplierId} and business_date <= ${to}
    order by business_date, ref_id`.execute(db);
  let openingFen = 0;
  let balance = 0;
  const totals = { receipt: 0, return: 0, payment: 0 };
  const rows: StatementResponse['rows'] = [];
  for (const e of events.rows) {
    const amount = Number(e.amount_fen);
    if (e.business_date < from) {
      openingFen += amount;
      balance = openingFen;
      continue;
    }
    balance += amount;
    totals[e.kind] += amount;
    rows.push({ kind: e.kind, refId: e.ref_id, poId: e.po_id, businessDate: e.business_date, amountFen: amount, balanceFen: balance });
  }
  return {
    supplier,
    from,
    to,
    openingFen,
    receiptsFen: totals.receipt,
    returnsFen: -totals.return,
    paymentsFen: -totals.payment,
    closingFen: openingFen + totals.receipt + totals.return + totals.payment,
    rows,
  };
}
