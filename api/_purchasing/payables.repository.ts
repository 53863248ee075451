import type { Transaction } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';

export interface OpenPayable {
  id: string;
  receiptId: string;
  balanceFen: number;
}

/** The supplier's payables with a balance, locked, oldest due first. */
export async function lockOpenPayables(trx: Transaction<DB>, merchantId: string, supplierId: string): Promise<(OpenPayable & { poId: string })[]> {
  const rows = await trx
    .selectFrom('supplier_payables as p')
    .innerJoin('purchase_receipts as r', 'r.id', 'p.receipt_id')
    .select(['p.id', 'p.receipt_id', 'r.po_id', 'p.amount_fen', 'p.settled_fen'])
    .where('p.merchant_id', '=', merchantId)
    .where('p.supplier_id', '=', supplierId)
    .where(sql<boolean>`p.settled_fen < p.amount_fen`)
    .orderBy('p.due_date')
    .orderBy('p.business_date')
    .orderBy('p.id')
    .forUpdate()
    .execute();
  return rows.map((r) => ({ id: r.id, receiptId: r.receipt_id, poId: r.po_id, balanceFen: r.amount_fen - r.settled_fen }));
}

/** Spreads an amount over payables in the order given, each up to its balance. The caller has checked the total is enough. */
export function allocateInOrder(amountFen: number, payables: readonly OpenPayable[]): { payableId: string; amountFen: number }[] {
  const result: { payableId: string; amountFen: number }[] = [];
  let left = amountFen;
  for (const p of payables) {
    if (left === 0) break;
    const take = Math.min(left, p.balanceFen);
    if (take > 0) result.push({ payableId: p.id, amountFen: take });
    left -= take;
  }
  if (left !== 0) throw new RangeError(`allocateInOrder: ${left} fen left over`);
  return result;
}

/** Records the allocations and adds them to the payables, each only while it stays within the payable's amount. */
export async function settlePayables(
  trx: Transaction<DB>,
  merchantId: string,
  source: { kind: 'payment' | 'return'; id: string },
  allocations: readonly { payableId: string; amountFen: number }[],
): Promise<void> {
  if (allocations.length === 0) return;
  await trx
    .insertInto('payable_allocations')
    .values(allocations.map((a) => ({ payable_id: a.payableId, source_kind: source.kind, source_id: source.id, merchant_id: merchantId, amount_fen: a.amountFen })))
    .execute();
  for (const a of allocations) {
    const done = await trx
      .updateTable('supplier_payables')
      .set({ settled_fen: sql`settled_fen + ${a.amountFen}` })
      .where('id', '=', a.payableId)
      .where(sql<boolean>`settled_fen + ${a.amountFen} <= amount_fen`)
      .executeTakeFirst();
    if (done.numUpdatedRows !== 1n) throw new AppError('conflict', `应付款 ${a.payableId} 的余额已变化，请刷新后重试`);
  }
}
