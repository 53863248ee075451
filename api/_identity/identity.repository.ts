import { AppError } from '../_kernel/errors.js';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { StoreSummary } from '../../shared/api/identity.js';

export async function storesByIds(db: Kysely<DB>, merchantId: string, ids: string[]): Promise<StoreSummary[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('stores')
    .select(['id', 'code', 'name', 'address'])
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', ids)
    .orderBy('code')
    .execute();
}

export async function storeByCode(db: Kysely<DB>, code: string) {
  return db
    .selectFrom('stores')
    .innerJoin('merchants', 'merchants.id', 'stores.merchant_id')
    .select(['stores.id', 'stores.code', 'stores.name', 'stores.address', 'stores.merchant_id', 'stores.active', 'merchants.name as merchant_name'])
    .where('stores.code', '=', code)
    .executeTakeFirst();
}

/**
 * A store a shopper reaches by its code, refused once the owner has closed it:
 * the QR code may still hang on a wall, but nobody should order from a shop
 * that will not hand the goods over.
 */
export async function openStoreByCode(db: Kysely<DB>, code: string) {
  const store = await storeByCode(db, code);
  if (!store) throw new AppError('not_found', `找不到门店 ${code}`);
  if (!store.active) throw new AppError('invalid_state', `门店「${store.name}」已停业，暂不接受下单`);
  return store;
}

/**
 * A live sale needs an open store. Offline sales are let through: they were
 * billed while the store was open (closing waits for every shift to be handed
 * over) and only reach the server now, and refusing them would lose a sale.
 */
export async function assertStoreOpenForSale(db: Kysely<DB>, merchantId: string, storeId: string, offline: boolean): Promise<void> {
  if (offline) return;
  const store = await db.selectFrom('stores').select(['name', 'active']).where('id', '=', storeId).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (store && !store.active) throw new AppError('invalid_state', `门店「${store.name}」已停业，不能再开单；请老板在门店管理里重新启用`);
}

export async function merchantById(db: Kysely<DB>, id: string) {
  return db.selectFrom('merchants').select(['id', 'name']).where('id', '=', id).executeTakeFirstOrThrow();
}

export async function staffIdForIdentity(db: Kysely<DB>, platform: 'wechat' | 'alipay', openId: string): Promise<{ staffId: string; merchantId: string } | undefined> {
  const row = await db
    .selectFrom('staff_identities')
    .innerJoin('staff', 'staff.id', 'staff_identities.staff_id')
    .select(['staff.id', 'staff.merchant_id'])
    .where('staff_identities.platform', '=', platform)
    .where('staff_identities.open_id', '=', openId)
    .executeTakeFirst();
  return row ? { staffId: row.id, merchantId: row.merchant_id } : undefined;
}

/** Locks the invitation row so two people cannot redeem one code. */
export async function inviteForUpdate(trx: Transaction<DB>, code: string) {
  return trx.selectFrom('staff_invites').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
}
