import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { MemberPrincipal, StaffPrincipal } from '../_kernel/context.js';
import type { Deps } from '../_kernel/deps.js';

/**
 * The member a session names, or the member it became: a member absorbed by
 * a merge (#17) keeps its row, marked with the survivor (merges keep that one
 * hop deep), so a token issued before the merge acts for the survivor.
 */
export async function loadMemberPrincipal(db: Kysely<DB>, merchantId: string, memberId: string): Promise<MemberPrincipal | null> {
  const member = await db
    .selectFrom('members')
    .select(['id', 'merchant_id', 'merged_into'])
    .where('id', '=', memberId)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  return member ? { kind: 'member', memberId: member.merged_into ?? member.id, merchantId: member.merchant_id } : null;
}

const staff_principal_sql = `select s.id, s.name, s.role, s.merchant_id,
  case when s.role = 'owner'
    then array(select id from stores where stores.merchant_id = s.merchant_id order by id)
    else array(select store_id from staff_stores where staff_stores.staff_id = s.id order by store_id) end as store_ids
  from staff s where s.id = $1 and s.merchant_id = $2 and s.active`;

/**
 * The caller's role and stores, read fresh on every request so a disabled
 * account or a changed assignment takes effect at once; a prepared statement,
 * since it runs on every staff request.
 */
export async function loadStaffPrincipal(prepared: Deps['prepared'], merchantId: string, staffId: string): Promise<StaffPrincipal | null> {
  const [row] = await prepared<{ id: string; name: string; role: StaffPrincipal['role']; merchant_id: string; store_ids: string[] }>('staff_principal_v1', staff_principal_sql, [staffId, merchantId]);
  return row ? { kind: 'staff', staffId: row.id, merchantId: row.merchant_id, name: row.name, role: row.role, storeIds: row.store_ids } : null;
}
