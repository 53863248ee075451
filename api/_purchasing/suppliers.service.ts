import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import type { Deps } from '../_kernel/deps.js';
import { audit } from '../_audit/index.js';
import { newId } from '../../shared/ids.js';
import type { SupplierView } from '../../shared/api/purchasing.js';
import type { createSupplierRequest, updateSupplierRequest } from '../../shared/api/purchasing.js';
import type { z } from 'zod';
import type { SuppliersTable } from './tables.js';

type Row = { id: string; name: string; contact: string; phone: string; payment_terms_days: number; lead_time_days: number; active: boolean };

export function supplierView(r: Row): SupplierView {
  return { id: r.id, name: r.name, contact: r.contact, phone: r.phone, paymentTermsDays: r.payment_terms_days, leadTimeDays: r.lead_time_days, active: r.active };
}

const columns = ['id', 'name', 'contact', 'phone', 'payment_terms_days', 'lead_time_days', 'active'] as const;

export async function listSuppliers(db: Kysely<DB>, merchantId: string): Promise<SupplierView[]> {
  const rows = await db.selectFrom('suppliers').select([...columns]).where('merchant_id', '=', merchantId).orderBy('active', 'desc').orderBy('name').execute();
  return rows.map(supplierView);
}

/** The merchant's supplier, or a 404: another merchant's supplier does not exist for this caller. */
export async function supplierOf(db: Kysely<DB> | Transaction<DB>, merchantId: string, supplierId: string): Promise<SupplierView> {
  const row = await db.selectFrom('suppliers').select([...columns]).where('merchant_id', '=', merchantId).where('id', '=', supplierId).executeTakeFirst();
  if (!row) throw new AppError('not_found', `找不到供应商 ${supplierId}`);
  return supplierView(row);
}

async function assertNameFree(db: Kysely<DB>, merchantId: string, name: string, exceptId: string | null): Promise<void> {
  let q = db.selectFrom('suppliers').select('id').where('merchant_id', '=', merchantId).where('name', '=', name);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw new AppError('conflict', `已有名为「${name}」的供应商`);
}

export async function createSupplier(deps: Deps, staff: StaffPrincipal, input: z.output<typeof createSupplierRequest>): Promise<SupplierView> {
  await assertNameFree(deps.db, staff.merchantId, input.name, null);
  const id = newId('supplier', deps.clock().getTime());
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('suppliers')
      .values({ id, merchant_id: staff.merchantId, name: input.name, contact: input.contact, phone: input.phone, payment_terms_days: input.paymentTermsDays, lead_time_days: input.leadTimeDays, active: input.active })
      .execute();
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'supplier.created', subjectId: id, detail: { ...input } });
  });
  return supplierOf(deps.db, staff.merchantId, id);
}

export async function updateSupplier(deps: Deps, staff: StaffPrincipal, supplierId: string, input: z.output<typeof updateSupplierRequest>): Promise<SupplierView> {
  const before = await supplierOf(deps.db, staff.merchantId, supplierId);
  if (input.name !== undefined) await assertNameFree(deps.db, staff.merchantId, input.name, supplierId);
  const set: Partial<{ [K in keyof SuppliersTable]: unknown }> = {};
  if (input.name !== undefined) set.name = input.name;
  if (input.contact !== undefined) set.contact = input.contact;
  if (input.phone !== undefined) set.phone = input.phone;
  if (input.paymentTermsDays !== undefined) set.payment_terms_days = input.paymentTermsDays;
  if (input.leadTimeDays !== undefined) set.lead_time_days = input.leadTimeDays;
  if (input.active !== undefined) set.active = input.active;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('suppliers')
      .set({ ...(set as object), updated_at: deps.clock() })
      .where('merchant_id', '=', staff.merchantId)
      .where('id', '=', supplierId)
      .execute();
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'supplier.updated', subjectId: supplierId, detail: { before, change: input } });
  });
  return supplierOf(deps.db, staff.merchantId, supplierId);
}
