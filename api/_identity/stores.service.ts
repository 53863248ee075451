import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import type { Deps } from '../_kernel/deps.js';
import { AppError } from '../_kernel/errors.js';
import { audit } from '../_audit/index.js';
import type { CreateStoreRequest, StoreDetail, UpdateStoreRequest } from '../../shared/api/staff-admin.js';
import { insertStore } from './merchant-records.js';

const storeColumns = ['id', 'code', 'name', 'address', 'phone', 'business_hours', 'active', 'receipt_header', 'receipt_footer'] as const;

type StoreRow = { id: string; code: string; name: string; address: string; phone: string; business_hours: string; active: boolean; receipt_header: string; receipt_footer: string };

function view(row: StoreRow): StoreDetail {
  return { id: row.id, code: row.code, name: row.name, address: row.address, phone: row.phone, businessHours: row.business_hours, active: row.active, receiptHeader: row.receipt_header, receiptFooter: row.receipt_footer };
}

/** The stores a viewer manages: all of the merchant's for an owner, their own for a manager. */
export async function manageableStores(db: Kysely<DB>, viewer: StaffPrincipal): Promise<StoreDetail[]> {
  let q = db.selectFrom('stores').select(storeColumns).where('merchant_id', '=', viewer.merchantId);
  if (viewer.role !== 'owner') q = q.where('id', 'in', viewer.storeIds.length > 0 ? viewer.storeIds : ['']);
  return (await q.orderBy('created_at').orderBy('id').execute()).map(view);
}

export async function createStore(deps: Deps, owner: StaffPrincipal, input: CreateStoreRequest): Promise<StoreDetail> {
  return deps.db.transaction().execute(async (trx) => {
    const { id } = await insertStore(trx, owner.merchantId, input, deps.clock());
    await audit(trx, { merchantId: owner.merchantId, actorId: owner.staffId, action: 'store.created', subjectId: id, detail: { ...input } });
    return view(await trx.selectFrom('stores').select(storeColumns).where('id', '=', id).executeTakeFirstOrThrow());
  });
}

/**
 * Edits a store. Closing one is refused while a shift is open in it: the
 * drawer must be counted first, or its cash would belong to no open store.
 */
export async function updateStore(deps: Deps, owner: StaffPrincipal, storeId: string, input: UpdateStoreRequest): Promise<StoreDetail> {
  return deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('stores').select(storeColumns).where('id', '=', storeId).where('merchant_id', '=', owner.merchantId).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found', `找不到门店 ${storeId}`);
    if (input.active === false && before.active) {
      const open = await trx.selectFrom('shifts').select('id').where('merchant_id', '=', owner.merchantId).where('store_id', '=', storeId).where('status', '=', 'open').executeTakeFirst();
      if (open) throw new AppError('invalid_state', '该门店还有未交班的班次，请先交班再停用门店');
    }
    const row = await trx
      .updateTable('stores')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.address !== undefined ? { address: input.address } : {}),
        ...(input.phone !== undefined ? { phone: input.phone } : {}),
        ...(input.businessHours !== undefined ? { business_hours: input.businessHours } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        ...(input.receiptHeader !== undefined ? { receipt_header: input.receiptHeader } : {}),
        ...(input.receiptFooter !== undefined ? { receipt_footer: input.receiptFooter } : {}),
      })
      .where('id', '=', storeId)
      .where('merchant_id', '=', owner.merchantId)
      .returning(storeColumns)
      .executeTakeFirstOrThrow();
    await audit(trx, { merchantId: owner.merchantId, actorId: owner.staffId, action: 'store.updated', subjectId: storeId, detail: { before: view(before), change: input } });
    return view(row);
  });
}
