import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { assertStoreAccess } from '../_identity/index.js';
import { requestHash } from '../_kernel/idempotency.js';
import type { Deps } from '../_kernel/deps.js';
import { businessDate } from '../_kernel/clock.js';
import { audit } from '../_audit/index.js';
import { postEntry } from '../_ledger/index.js';
import type { ReceiptRequest } from '../../shared/api/credit.js';
import { newId } from '../../shared/ids.js';
import { invoiceAsOf, invoiceRecords } from './book.js';

export interface Allocation {
  invoiceId: string;
  amountFen: number;
}

/**
 * How a receipt pays invoices. Named allocations must add up to the receipt
 * and each stay within its invoice's balance; without them the oldest due
 * invoices are paid first. A receipt larger than what is owed is refused:
 * a shop takes no deposits here, and an overpayment would be a debt of ours.
 */
export function allocateReceipt(amountFen: number, open: readonly { id: string; balanceFen: number }[], named: readonly Allocation[] | undefined): Allocation[] {
  const owed = open.reduce((s, i) => s + i.balanceFen, 0);
  if (amountFen > owed) throw new AppError('exceeds_balance', `收款 ${amountFen} 分超过未收余额 ${owed} 分`);
  if (named) {
    const sum = named.reduce((s, a) => s + a.amountFen, 0);
    if (sum !== amountFen) throw new AppError('validation_failed', `分配合计 ${sum} 分与收款 ${amountFen} 分不符`);
    const balances = new Map(open.map((i) => [i.id, i.balanceFen]));
    const seen = new Set<string>();
    for (const a of named) {
      if (seen.has(a.invoiceId)) throw new AppError('validation_failed', `同一张账单分配了两次：${a.invoiceId}`);
      seen.add(a.invoiceId);
      const balance = balances.get(a.invoiceId);
      if (balance === undefined) throw new AppError('validation_failed', `账单 ${a.invoiceId} 不属于这位客户或已结清`);
      if (a.amountFen > balance) throw new AppError('exceeds_balance', `账单 ${a.invoiceId} 只欠 ${balance} 分，不能收 ${a.amountFen} 分`);
    }
    return named.map((a) => ({ ...a }));
  }
  const out: Allocation[] = [];
  let left = amountFen;
  for (const i of open) {
    if (left === 0) break;
    const take = Math.min(left, i.balanceFen);
    if (take > 0) out.push({ invoiceId: i.id, amountFen: take });
    left -= take;
  }
  return out;
}

export async function receiptView(db: Kysely<DB>, merchantId: string, receiptId: string) {
  const r = await db.selectFrom('customer_receipts').selectAll().where('id', '=', receiptId).where('merchant_id', '=', merchantId).executeTakeFirstOrThrow();
  const alloc = await db.selectFrom('receivable_settlements').select(['receivable_id', 'amount_fen']).where('receipt_id', '=', receiptId).orderBy('id').execute();
  return { id: r.id, customerId: r.customer_id, method: r.method, amountFen: r.amount_fen, businessDate: r.business_date, allocations: alloc.map((a) => ({ invoiceId: a.receivable_id, amountFen: a.amount_fen })) };
}

async function findReplay(db: Kysely<DB>, merchantId: string, clientId: string, hash: string) {
  const existing = await db.selectFrom('customer_receipts').select(['id', 'request_hash']).where('merchant_id', '=', merchantId).where('client_receipt_id', '=', clientId).executeTakeFirst();
  if (!existing) return null;
  if (existing.request_hash !== hash) throw new AppError('idempotency_mismatch', `收款单号 ${clientId} 已用于另一笔不同的收款`);
  return { receipt: await receiptView(db, merchantId, existing.id), replayed: true };
}

/**
 * Records money received from a trade customer against their invoices, in
 * one transaction under the customer's row lock: the receipt, one
 * settlement per invoice paid, and the journal (Dr cash or bank, Cr
 * receivables). The client's receipt id makes a retry return the first one.
 */
export async function recordReceipt(deps: Deps, staff: StaffPrincipal, customerId: string, input: ReceiptRequest) {
  await assertStoreAccess(deps.db, staff, input.storeId);
  const hash = requestHash({ customerId, ...input });
  const replay = await findReplay(deps.db, staff.merchantId, input.clientReceiptId, hash);
  if (replay) return replay;
  const now = deps.clock();
  const day = businessDate(now);
  const id = newId('customerReceipt');
  try {
    await deps.db.transaction().execute(async (trx) => {
      const customer = await trx.selectFrom('trade_customers').select(['id', 'name']).where('id', '=', customerId).where('merchant_id', '=', staff.merchantId).forUpdate().executeTakeFirst();
      if (!customer) throw new AppError('not_found', `找不到商贸客户 ${customerId}`);
      const open = (await invoiceRecords(trx, staff.merchantId, [customerId]))
        .map((i) => ({ id: i.id, balanceFen: invoiceAsOf(i, '9999-12-31').balanceFen }))
        .filter((i) => i.balanceFen > 0);
      const allocations = allocateReceipt(input.amountFen, open, input.allocations);
      await trx
        .insertInto('customer_receipts')
        .values({
          id,
          merchant_id: staff.merchantId,
          store_id: input.storeId,
          customer_id: customerId,
          client_receipt_id: input.clientReceiptId,
          request_hash: hash,
          method: input.method,
          amount_fen: input.amountFen,
          reference: input.reference ?? null,
          business_date: day,
          received_by: staff.staffId,
        })
        .execute();
      await trx
        .insertInto('receivable_settlements')
        .values(allocations.map((a) => ({ id: newId('settlement'), merchant_id: staff.merchantId, receivable_id: a.invoiceId, kind: 'receipt' as const, receipt_id: id, amount_fen: a.amountFen, business_date: day })))
        .execute();
      await postEntry(trx, {
        merchantId: staff.merchantId,
        storeId: input.storeId,
        eventKey: `receipt:${id}`,
        businessDate: day,
        occurredAt: now,
        memo: `收回货款 ${customer.name}`.slice(0, 200),
        lines: [
          { account: input.method === 'bank' ? 'bank' : 'cash', debitFen: input.amountFen },
          { account: 'receivables', creditFen: input.amountFen },
        ],
      });
      await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'credit.receipt', subjectId: id, detail: { customerId, amountFen: input.amountFen, method: input.method, allocations } });
    });
  } catch (e) {
    if (typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505') {
      const again = await findReplay(deps.db, staff.merchantId, input.clientReceiptId, hash);
      if (again) return again;
    }
    throw e;
  }
  return { receipt: await receiptView(deps.db, staff.merchantId, id), replayed: false };
}
