import { sql } from 'kysely';
import type { z } from 'zod';
import type { StaffPrincipal } from '../_kernel/context.js';
import type { Deps } from '../_kernel/deps.js';
import { businessDate } from '../_kernel/clock.js';
import type { AgingResponse, PayableView, payablesQuery } from '../../shared/api/purchasing.js';
import { ageBalances, daysOverdue } from './aging.js';

/** Payables of the merchant, oldest due first; `open` keeps only those with a balance. */
export async function listPayables(deps: Deps, staff: StaffPrincipal, q: z.output<typeof payablesQuery>): Promise<PayableView[]> {
  const asOf = businessDate(deps.clock());
  let query = deps.db
    .selectFrom('supplier_payables as p')
    .innerJoin('suppliers as s', 's.id', 'p.supplier_id')
    .innerJoin('purchase_receipts as r', 'r.id', 'p.receipt_id')
    .select(['p.id', 'p.supplier_id', 's.name', 'p.store_id', 'p.receipt_id', 'r.po_id', 'p.amount_fen', 'p.settled_fen', 'p.business_date', 'p.due_date'])
    .where('p.merchant_id', '=', staff.merchantId);
  if (q.supplierId) query = query.where('p.supplier_id', '=', q.supplierId);
  if (q.open !== 'false') query = query.where(sql<boolean>`p.settled_fen < p.amount_fen`);
  const rows = await query.orderBy('p.due_date').orderBy('p.id').execute();
  return rows.map((r) => ({
    id: r.id,
    supplierId: r.supplier_id,
    supplierName: r.name,
    storeId: r.store_id,
    receiptId: r.receipt_id,
    poId: r.po_id,
    amountFen: r.amount_fen,
    settledFen: r.settled_fen,
    balanceFen: r.amount_fen - r.settled_fen,
    businessDate: r.business_date,
    dueDate: r.due_date,
    daysOverdue: Math.max(0, daysOverdue(r.due_date, asOf)),
  }));
}

/** Open balances per supplier in the buckets current, 1–30, 31–60, 61–90 and 90+ days overdue, as of today. */
export async function payablesAging(deps: Deps, staff: StaffPrincipal): Promise<AgingResponse> {
  const asOf = businessDate(deps.clock());
  const open = await listPayables(deps, staff, { open: 'true' });
  const suppliers = new Map<string, { name: string; items: PayableView[] }>();
  for (const p of open) {
    const s = suppliers.get(p.supplierId) ?? { name: p.supplierName, items: [] };
    s.items.push(p);
    suppliers.set(p.supplierId, s);
  }
  const items = [...suppliers.entries()]
    .map(([supplierId, s]) => ({ supplierId, supplierName: s.name, ...ageBalances(s.items, asOf) }))
    .sort((a, b) => b.totalFen - a.totalFen || (a.supplierName < b.supplierName ? -1 : 1));
  return { asOf, items, totals: ageBalances(open, asOf) };
}
