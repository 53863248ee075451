import { AppError } from '../_kernel/errors.js';
import type { Deps } from '../_kernel/deps.js';
import { newId } from '../../shared/ids.js';
import type { Platform } from '../../shared/api/common.js';
import type { StaffSession } from '../../shared/api/identity.js';
import { audit } from '../_audit/index.js';
import { loadStaffPrincipal } from './principal.js';
import { signSession } from './sessions.js';
import { inviteForUpdate, merchantById, staffIdForIdentity, storesByIds } from './identity.repository.js';

/** Turns a one-time login code into the platform's id for this user, through the platform itself. */
export async function platformUserId(deps: Deps, platform: Platform, code: string): Promise<string> {
  if (platform === 'wechat') return (await deps.login.wechat.code2session(code)).openId;
  return (await deps.login.alipay.oauthToken(code)).userId;
}

export async function staffSessionFor(deps: Deps, merchantId: string, staffId: string): Promise<StaffSession> {
  const principal = await loadStaffPrincipal(deps.prepared, merchantId, staffId);
  if (!principal) throw new AppError('forbidden', '该店员账号已停用');
  const { token, expiresAt } = await signSession(
    deps.config.sessionSecret,
    { kind: 'staff', subject: staffId, merchantId },
    deps.clock(),
    deps.config.staffSessionTtlSeconds,
  );
  return {
    token,
    expiresAt,
    staff: { id: principal.staffId, name: principal.name, role: principal.role },
    merchant: await merchantById(deps.db, merchantId),
    stores: await storesByIds(deps.db, merchantId, principal.storeIds),
  };
}

export async function staffLogin(deps: Deps, input: { platform: Platform; code: string }): Promise<StaffSession> {
  const openId = await platformUserId(deps, input.platform, input.code);
  const bound = await staffIdForIdentity(deps.db, input.platform, openId);
  if (!bound) throw new AppError('not_bound', '此账号尚未绑定店员身份，请输入店主给的邀请码');
  return staffSessionFor(deps, bound.merchantId, bound.staffId);
}

/** Redeems an invitation: creates the staff member, their store assignments and the platform binding in one transaction. */
export async function staffBind(deps: Deps, input: { platform: Platform; code: string; inviteCode: string }): Promise<StaffSession> {
  const openId = await platformUserId(deps, input.platform, input.code);
  const now = deps.clock();
  const result = await deps.db.transaction().execute(async (trx) => {
    const invite = await inviteForUpdate(trx, input.inviteCode);
    if (!invite) throw new AppError('invite_invalid', '邀请码不存在');
    if (invite.used_at) throw new AppError('invite_invalid', '邀请码已被使用');
    if (new Date(invite.expires_at).getTime() <= now.getTime()) throw new AppError('invite_invalid', '邀请码已过期');
    const existing = await trx
      .selectFrom('staff_identities')
      .select('staff_id')
      .where('platform', '=', input.platform)
      .where('open_id', '=', openId)
      .executeTakeFirst();
    if (existing) throw new AppError('conflict', '此账号已绑定店员身份');
    const staffId = newId('staff', now.getTime());
    await trx.insertInto('staff').values({ id: staffId, merchant_id: invite.merchant_id, name: invite.name, role: invite.role }).execute();
    if (invite.role !== 'owner') {
      await trx
        .insertInto('staff_stores')
        .values(invite.store_ids.map((storeId) => ({ merchant_id: invite.merchant_id, staff_id: staffId, store_id: storeId })))
        .execute();
    }
    await trx.insertInto('staff_identities').values({ platform: input.platform, open_id: openId, staff_id: staffId }).execute();
    const used = await trx
      .updateTable('staff_invites')
      .set({ used_at: now, used_by: staffId })
      .where('code', '=', invite.code)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (used.numUpdatedRows !== 1n) throw new AppError('conflict', '邀请码刚刚被他人使用');
    await audit(trx, {
      merchantId: invite.merchant_id,
      actorId: staffId,
      action: 'staff.bound',
      subjectId: staffId,
      detail: { invite: invite.code, role: invite.role, platform: input.platform, invitedBy: invite.created_by },
    });
    return { merchantId: invite.merchant_id, staffId };
  });
  return staffSessionFor(deps, result.merchantId, result.staffId);
}


