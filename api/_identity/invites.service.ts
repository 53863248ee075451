import { randomInt } from 'node:crypto';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import type { Deps } from '../_kernel/deps.js';
import type { CreateInviteRequest, InviteResponse } from '../../shared/api/identity.js';
import { invite_valid_days_default } from '../../shared/api/limits.js';
import { audit } from '../_audit/index.js';
import { inviteLinkUrl } from '../../shared/staff/invite-link.js';

// No 0/O or 1/I: the code is read aloud and typed on a phone.
const inviteAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const invite_code_attempts_max = 5;

function inviteCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += inviteAlphabet[randomInt(inviteAlphabet.length)];
  return code;
}

export async function createInvite(deps: Deps, owner: StaffPrincipal, input: CreateInviteRequest): Promise<InviteResponse> {
  const storeIds = [...new Set(input.storeIds)];
  const stores = await deps.db
    .selectFrom('stores')
    .select('id')
    .where('merchant_id', '=', owner.merchantId)
    .where('id', 'in', storeIds)
    .execute();
  const missing = storeIds.filter((id) => !stores.some((s) => s.id === id));
  if (missing.length > 0) throw new AppError('not_found', `找不到门店：${missing.join('、')}`);
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + (input.validDays ?? invite_valid_days_default) * 24 * 3600 * 1000);
  for (let attempt = 0; attempt < invite_code_attempts_max; attempt++) {
    const code = inviteCode();
    const inserted = await deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('staff_invites')
        .values({ code, merchant_id: owner.merchantId, name: input.name, role: input.role, store_ids: storeIds, created_by: owner.staffId, expires_at: expiresAt })
        .onConflict((oc) => oc.column('code').doNothing())
        .returning('code')
        .executeTakeFirst();
      if (row) {
        await audit(trx, { merchantId: owner.merchantId, actorId: owner.staffId, action: 'staff.invited', subjectId: code, detail: { role: input.role, name: input.name, storeIds, expiresAt: expiresAt.toISOString() } });
      }
      return row;
    });
    if (inserted) return { code, url: inviteLinkUrl(deps.config.publicBaseUrl, code), name: input.name, role: input.role, storeIds, expiresAt: expiresAt.toISOString() };
  }
  throw new AppError('conflict', '邀请码生成失败，请重试');
}

export async function listStaff(deps: Deps, viewer: StaffPrincipal) {
  const staff = await deps.db
    .selectFrom('staff')
    .select(['id', 'name', 'role', 'active'])
    .where('merchant_id', '=', viewer.merchantId)
    .orderBy('id')
    .execute();
  const links = await deps.db.selectFrom('staff_stores').select(['staff_id', 'store_id']).where('merchant_id', '=', viewer.merchantId).execute();
  const allStores = viewer.role === 'owner' ? viewer.storeIds : null;
  const items = staff
    .map((s) => ({
      ...s,
      storeIds: s.role === 'owner' && allStores ? allStores : links.filter((l) => l.staff_id === s.id).map((l) => l.store_id),
    }))
    // A manager sees the people of their own stores only.
    .filter((s) => viewer.role === 'owner' || s.storeIds.some((id) => viewer.storeIds.includes(id)));
  return { items };
}
