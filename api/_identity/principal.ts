import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema';
import type { MemberPrincipal, StaffPrincipal } from '../_http/context';

export async function loadStaffPrincipal(db: Kysely<DB>, merchantId: string, staffId: string): Promise<StaffPrincipal | null> {
  const staff = await db
    .selectFrom('staff')
    .select(['id', 'name', 'role', 'merchant_id'])
    .where('id', '=', staffId)
    .where('merchant_id', '=', merchantId)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!staff) return null;
  const stores =
    staff.role === 'owner'
      ? await db.selectFrom('stores').select('id').where('merchant_id', '=', merchantId).orderBy('id').execute()
      : await db
          .selectFrom('staff_stores')
          .select('store_id as id')
          .where('staff_id', '=', staffId)
          .where('merchant_id', '=', merchantId)
          .orderBy('store_id')
          .execute();
  return {
    kind: 'staff',
    staffId: staff.id,
    merchantId: staff.merchant_id,
    name: staff.name,
    role: staff.role,
    storeIds: stores.map((s) => s.id),
  };
}

export async function loadMemberPrincipal(db: Kysely<DB>, merchantId: string, memberId: string): Promise<MemberPrincipal | null> {
  const member = await db
    .selectFrom('members')
    .select(['id', 'merchant_id'])
    .where('id', '=', memberId)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  return member ? { kind: 'member', memberId: member.id, merchantId: member.merchant_id } : null;
}
