import type { Deps } from '../_kernel/deps.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { assertStoreAccess } from '../_identity/index.js';
import { audit } from '../_audit/index.js';
import { store_closes_at_default } from './limits.js';

/** A store's closing time, after which a shift still open shows as overdue. Audited. */
export async function saveShiftSettings(deps: Deps, staff: StaffPrincipal, storeId: string, input: { closesAt: string }): Promise<{ closesAt: string }> {
  await assertStoreAccess(deps.db, staff, storeId);
  await deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('shift_settings').select('closes_at').where('store_id', '=', storeId).executeTakeFirst();
    await trx
      .insertInto('shift_settings')
      .values({ store_id: storeId, merchant_id: staff.merchantId, closes_at: input.closesAt })
      .onConflict((oc) => oc.column('store_id').doUpdateSet({ closes_at: input.closesAt }))
      .execute();
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'shift.settings', subjectId: storeId, detail: { closesAt: input.closesAt, before: before?.closes_at ?? store_closes_at_default } });
  });
  return { closesAt: input.closesAt };
}
