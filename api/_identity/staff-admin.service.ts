import type { StaffPrincipal } from '../_kernel/context.js';
import type { Deps } from '../_kernel/deps.js';
import { AppError } from '../_kernel/errors.js';
import { audit } from '../_audit/index.js';
import type { InviteResponse } from '../../shared/api/identity.js';
import type { UpdateStaffRequest } from '../../shared/api/staff-admin.js';
import { inviteLinkUrl } from '../../shared/staff/invite-link.js';

/**
 * Changes a member of staff's role, stores or standing. The merchant's owner
 * rows are locked first, so two owners demoting each other at once cannot
 * both succeed and leave the shop with nobody who can run it. A change takes
 * effect on the person's next request (roles are read per request).
 */
export async function updateStaff(deps: Deps, owner: StaffPrincipal, staffId: string, input: UpdateStaffRequest) {
  return deps.db.transaction().execute(async (trx) => {
    await trx.selectFrom('staff').select('id').where('merchant_id', '=', owner.merchantId).where('role', '=', 'owner').forUpdate().execute();
    const before = await trx.selectFrom('staff').select(['id', 'name', 'role', 'active']).where('id', '=', staffId).where('merchant_id', '=', owner.merchantId).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found', `找不到店员 ${staffId}`);
    const storesBefore = (await trx.selectFrom('staff_stores').select('store_id').where('staff_id', '=', staffId).execute()).map((r) => r.store_id);
    if (input.storeIds) {
      const found = await trx.selectFrom('stores').select('id').where('merchant_id', '=', owner.merchantId).where('id', 'in', input.storeIds).execute();
      const missing = input.storeIds.filter((id) => !found.some((s) => s.id === id));
      if (missing.length > 0) throw new AppError('not_found', `找不到门店：${missing.join('、')}`);
    }
    const role = input.role ?? before.role;
    const storeIds = input.storeIds ? [...new Set(input.storeIds)] : storesBefore;
    // An owner works in every store; anyone else needs at least one to work in.
    if (role !== 'owner' && storeIds.length === 0) throw new AppError('validation_failed', '请为店长或店员选择至少一家门店', [{ path: 'storeIds', message: '至少选择一家门店' }]);
    await trx
      .updateTable('staff')
      .set({ role, ...(input.active !== undefined ? { active: input.active } : {}) })
      .where('id', '=', staffId)
      .where('merchant_id', '=', owner.merchantId)
      .execute();
    if (input.storeIds || input.role) {
      await trx.deleteFrom('staff_stores').where('staff_id', '=', staffId).where('merchant_id', '=', owner.merchantId).execute();
      if (role !== 'owner') await trx.insertInto('staff_stores').values(storeIds.map((store_id) => ({ merchant_id: owner.merchantId, staff_id: staffId, store_id }))).execute();
    }
    const owners = await trx.selectFrom('staff').select('id').where('merchant_id', '=', owner.merchantId).where('role', '=', 'owner').where('active', '=', true).execute();
    if (owners.length === 0) throw new AppError('conflict', '至少保留一位店主');
    const after = await trx.selectFrom('staff').select(['id', 'name', 'role', 'active']).where('id', '=', staffId).executeTakeFirstOrThrow();
    await audit(trx, {
      merchantId: owner.merchantId,
      actorId: owner.staffId,
      action: 'staff.updated',
      subjectId: staffId,
      detail: { before: { role: before.role, active: before.active, storeIds: storesBefore }, after: { role: after.role, active: after.active, storeIds: role === 'owner' ? [] : storeIds } },
    });
    const allStores = role === 'owner' ? (await trx.selectFrom('stores').select('id').where('merchant_id', '=', owner.merchantId).orderBy('id').execute()).map((s) => s.id) : storeIds;
    return { staff: { ...after, storeIds: allStores } };
  });
}

/** Invitations not yet used and not yet expired, newest first. */
export async function openInvites(deps: Deps, owner: StaffPrincipal): Promise<{ items: InviteResponse[] }> {
  const rows = await deps.db
    .selectFrom('staff_invites')
    .select(['code', 'name', 'role', 'store_ids', 'expires_at'])
    .where('merchant_id', '=', owner.merchantId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', deps.clock())
    .orderBy('created_at', 'desc')
    .execute();
  return { items: rows.map((r) => ({ code: r.code, url: inviteLinkUrl(deps.config.publicBaseUrl, r.code), name: r.name, role: r.role, storeIds: r.store_ids, expiresAt: new Date(r.expires_at).toISOString() })) };
}

/** Revokes an open invitation by expiring it now; a used one is history and stays as it is. */
export async function revokeInvite(deps: Deps, owner: StaffPrincipal, code: string): Promise<{ ok: true }> {
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('staff_invites')
      .set({ expires_at: now })
      .where('code', '=', code)
      .where('merchant_id', '=', owner.merchantId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('code')
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', `找不到未使用的邀请码 ${code}`);
    await audit(trx, { merchantId: owner.merchantId, actorId: owner.staffId, action: 'staff.invite_revoked', subjectId: code });
    return { ok: true as const };
  });
}
