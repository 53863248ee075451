import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { requestHash } from '../_kernel/idempotency.js';
import type { Deps } from '../_kernel/deps.js';
import { businessDate } from '../_kernel/clock.js';
import { audit } from '../_audit/index.js';
import { postEntry } from '../_ledger/index.js';
import { formatFen } from '../../shared/money.js';
import type { supplierPaymentRequest } from '../../shared/api/purchasing.js';
import { allocateInOrder, lockOpenPayables, settlePayables } from './payables.repository.js';
import { supplierOf } from './suppliers.service.js';

type PaymentInput = z.output<typeof supplierPaymentRequest>;

export async function supplierPaymentView(db: Kysely<DB>, merchantId: string, paymentId: string) {
  const p = await db.selectFrom('supplier_payments').selectAll().where('merchant_id', '=', merchantId).where('id', '=', paymentId).executeTakeFirstOrThrow();
  const allocations = await db.selectFrom('payable_allocations').select(['payable_id', 'amount_fen']).where('source_id', '=', paymentId).orderBy('payable_id').execute();
  return {
    id: p.id,
    supplierId: p.supplier_id,
    amountFen: p.amount_fen,
    method: p.method,
    note: p.note,
    businessDate: p.business_date,
    allocations: allocations.map((a) => ({ payableId: a.payable_id, amountFen: a.amount_fen })),
  };
}

/**
 * Pays a supplier, in full or in part, under the id the phone made. The
 * money settles the payables named, or the oldest due first; more than the
 * supplier is owed is refused and nothing is written. Books Dr payables,
 * Cr bank or cash, merchant-wide.
 */
export async function paySupplier(deps: Deps, staff: StaffPrincipal, input: PaymentInput) {
  const hash = requestHash(input);
  const replay = async () => {
    const existing = await deps.db.selectFrom('supplier_payments').select(['merchant_id', 'request_hash']).where('id', '=', input.id).executeTakeFirst();
    if (!existing) return null;
    if (existing.merchant_id !== staff.merchantId || existing.request_hash !== hash) throw new AppError('idempotency_mismatch', `付款单号 ${input.id} 已用于另一笔付款`);
    return { payment: await supplierPaymentView(deps.db, staff.merchantId, input.id), replayed: true };
  };
  const first = await replay();
  if (first) return first;
  const supplier = await supplierOf(deps.db, staff.merchantId, input.supplierId);

  const now = deps.clock();
  const day = businessDate(now);
  const created = await deps.db.transaction().execute(async (trx) => {
    const open = await lockOpenPayables(trx, staff.merchantId, supplier.id);
    // The payables' row locks serialise payments to one supplier, so a retry now sees the first one.
    if (await trx.selectFrom('supplier_payments').select('id').where('id', '=', input.id).executeTakeFirst()) return false;
    const owed = open.reduce((s, p) => s + p.balanceFen, 0);
    if (input.amountFen > owed) throw new AppError('validation_failed', `付款 ${formatFen(input.amountFen)} 超过欠「${supplier.name}」的应付余额 ${formatFen(owed)}`, [{ path: 'amountFen', message: `${input.amountFen} > balance due ${owed}` }]);
    let allocations: { payableId: string; amountFen: number }[];
    if (input.allocations) {
      const named = input.allocations;
      const sum = named.reduce((s, a) => s + a.amountFen, 0);
      if (sum !== input.amountFen) throw new AppError('validation_failed', `分配合计 ${formatFen(sum)} 不等于付款金额 ${formatFen(input.amountFen)}`, [{ path: 'allocations', message: `sum ${sum} <> amountFen ${input.amountFen}` }]);
      const ids = named.map((a) => a.payableId);
      if (new Set(ids).size !== ids.length) throw new AppError('validation_failed', '同一笔应付款只能分配一次', [{ path: 'allocations.payableId', message: 'duplicate payable' }]);
      for (const a of named) {
        const p = open.find((o) => o.id === a.payableId);
        if (!p) throw new AppError('validation_failed', `应付款 ${a.payableId} 不是该供应商未结清的应付款`, [{ path: 'allocations.payableId', message: `not an open payable of ${supplier.id}` }]);
        if (a.amountFen > p.balanceFen) throw new AppError('validation_failed', `应付款 ${a.payableId} 只欠 ${formatFen(p.balanceFen)}，不能付 ${formatFen(a.amountFen)}`, [{ path: 'allocations.amountFen', message: `${a.amountFen} > balance ${p.balanceFen}` }]);
      }
      allocations = named.map((a) => ({ payableId: a.payableId, amountFen: a.amountFen }));
    } else {
      allocations = allocateInOrder(input.amountFen, open);
    }
    await trx
      .insertInto('supplier_payments')
      .values({ id: input.id, merchant_id: staff.merchantId, supplier_id: supplier.id, amount_fen: input.amountFen, method: input.method, note: input.note, request_hash: hash, business_date: day, paid_at: now, created_by: staff.staffId })
      .execute();
    await settlePayables(trx, staff.merchantId, { kind: 'payment', id: input.id }, allocations);
    await postEntry(trx, {
      merchantId: staff.merchantId,
      storeId: null,
      eventKey: `supplier_payment:${input.id}`,
      businessDate: day,
      occurredAt: now,
      memo: `付款给供应商 ${supplier.name}`.slice(0, 200),
      lines: [
        { account: 'payables', debitFen: input.amountFen },
        { account: input.method, creditFen: input.amountFen },
      ],
    });
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'supplier.paid', subjectId: input.id, detail: { supplierId: supplier.id, amountFen: input.amountFen, method: input.method, allocations } });
    return true;
  });
  if (!created) return (await replay())!;
  return { payment: await supplierPaymentView(deps.db, staff.merchantId, input.id), replayed: false };
}
