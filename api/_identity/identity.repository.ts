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
    .select(['stores.id', 'stores.code', 'stores.name', 'stores.address', 'stores.merchant_id', 'merchants.name as merchant_name'])
    .where('stores.code', '=', code)
    .executeTakeFirst();
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
