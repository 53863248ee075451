import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { assertStoreAccess } from '../_identity/index.js';
import { audit } from '../_audit/index.js';
import { credit_approval_minutes } from '../../shared/api/credit.js';
import { newId } from '../../shared/ids.js';

/**
 * A manager (or the owner) allows one sale above a customer's credit limit:
 * the approval names the customer, the store and the most it may cover, and
 * lasts `credit_approval_minutes`. The assistant sends its id with the sale,
 * which uses it up; who approved and why stays in the audit log.
 */
export async function approveOverLimit(db: Kysely<DB>, staff: StaffPrincipal, customerId: string, input: { storeId: string; maxFen: number; note: string }, now: Date) {
  await assertStoreAccess(db, staff, input.storeId);
  const customer = await db.selectFrom('trade_customers').select(['id', 'active']).where('id', '=', customerId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
  if (!customer) throw new AppError('not_found', `找不到商贸客户 ${customerId}`);
  if (!customer.active) throw new AppError('validation_failed', '这位商贸客户已停用');
  const id = newId('creditApproval');
  const expiresAt = new Date(now.getTime() + credit_approval_minutes * 60_000);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('credit_approvals')
      .values({ id, merchant_id: staff.merchantId, store_id: input.storeId, customer_id: customerId, approved_by: staff.staffId, max_fen: input.maxFen, note: input.note, expires_at: expiresAt })
      .execute();
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'credit.approval_created', subjectId: id, detail: { customerId, storeId: input.storeId, maxFen: input.maxFen, note: input.note, expiresAt: expiresAt.toISOString() } });
  });
  return { id, customerId, maxFen: input.maxFen, expiresAt: expiresAt.toISOString(), approvedBy: staff.name };
}
