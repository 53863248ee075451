import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import { AppError } from '../_kernel/errors.js';
import { audit } from '../_audit/index.js';
import { signSession } from '../_identity/index.js';
import { newId } from '../../shared/ids.js';
import type { BindPhoneRequest, BindPhoneResponse } from '../../shared/api/members.js';
import { phone as phoneSchema } from '../../shared/api/members.js';
import type { MemberLevelRule } from '../../shared/pricing/member-level.js';
import { memberCard } from './members.service.js';
import { mergeMembers, lockMembers, type NamedMemberMover } from './merge.js';

/**
 * Binding a phone to the signed-in member with the platform's own consent
 * (#17): WeChat's one-time code is exchanged on the server, Alipay's signed
 * and encrypted answer is verified and decrypted on the server; the phone is
 * never taken from the page. If another member of the merchant already has
 * that phone (a counter member, or the same person on the other platform),
 * the two become one: the member who had the phone first survives.
 *
 * A binding is keyed by the hash of the code or answer (a unique column), so
 * a repeated request replays its answer without spending the code again.
 */

/** A unique-key race between two first bindings of one phone is retried once; the retry finds the winner and merges. */
const bind_attempts_max = 2;

function codeHash(input: BindPhoneRequest): string {
  const secret = input.platform === 'wechat' ? input.code : input.response;
  return createHash('sha256').update(`${input.platform}:${secret}`).digest('hex');
}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505';
}

export interface BindContext {
  levels: readonly MemberLevelRule[];
  movers: readonly NamedMemberMover[];
}

async function answerFor(deps: Deps, trx: Deps['db'] | Transaction<DB>, merchantId: string, survivorId: string, merged: boolean, replayed: boolean): Promise<BindPhoneResponse> {
  const member = await memberCard(trx, merchantId, { memberId: survivorId });
  // A fresh session for the survivor: the old token still works (it leads to the survivor), but the page should hold the right member.
  const session = await signSession(deps.config.sessionSecret, { kind: 'member', subject: member.id, merchantId }, deps.clock(), deps.config.memberSessionTtlSeconds);
  return { member, merged, replayed, token: session.token, expiresAt: session.expiresAt };
}

export async function bindPhone(deps: Deps, caller: { merchantId: string; memberId: string }, input: BindPhoneRequest, ctx: BindContext): Promise<BindPhoneResponse> {
  const hash = codeHash(input);
  const earlier = await deps.db.selectFrom('member_phone_bindings').select(['member_id', 'survivor_id', 'merge_id']).where('code_hash', '=', hash).executeTakeFirst();
  if (earlier) {
    // The same member (or the member it became) repeating its request gets the same answer; anyone else is refused.
    if (earlier.survivor_id !== caller.memberId && earlier.member_id !== caller.memberId) throw new AppError('conflict', '这个手机号授权已被使用');
    return answerFor(deps, deps.db, caller.merchantId, earlier.survivor_id, earlier.merge_id !== null, true);
  }

  const self = await deps.db.selectFrom('members').select(['wechat_openid']).where('id', '=', caller.memberId).where('merchant_id', '=', caller.merchantId).executeTakeFirst();
  if (!self) throw new AppError('not_found', '找不到这位会员');
  const given = input.platform === 'wechat' ? await deps.login.wechat.phoneNumber(input.code, self.wechat_openid ?? undefined) : await deps.login.alipay.phoneNumber(input.response);
  const checked = phoneSchema.safeParse('phone' in given ? given.phone : '');
  if (!checked.success || ('countryCode' in given && given.countryCode !== '86')) throw new AppError('bad_request', '目前只支持中国大陆手机号', [{ path: 'phone', message: '仅支持中国大陆 11 位手机号' }]);
  const phone = checked.data;

  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.db.transaction().execute(async (trx) => {
        const now = deps.clock();
        const other = await trx.selectFrom('members').select('id').where('merchant_id', '=', caller.merchantId).where('phone', '=', phone).where('id', '!=', caller.memberId).executeTakeFirst();
        const locked = await lockMembers(trx, caller.merchantId, other ? [caller.memberId, other.id] : [caller.memberId]);
        const me = locked.get(caller.memberId);
        if (!me) throw new AppError('not_found', '找不到这位会员');
        // Read before the locks: if the other member let go of the phone meanwhile (merged away), start again.
        if (other && locked.get(other.id)?.phone !== phone) throw new AppError('conflict', '会员信息刚刚变化，请重试');
        if (me.merged_into) {
          // A twin request merged this member a moment ago into the member with this phone: the same outcome, recorded once more for this code.
          const done = await trx.selectFrom('member_merges').select(['id', 'to_member_id']).where('merchant_id', '=', caller.merchantId).where('from_member_id', '=', caller.memberId).executeTakeFirstOrThrow();
          const survivor = await trx.selectFrom('members').select('phone').where('id', '=', done.to_member_id).executeTakeFirstOrThrow();
          if (survivor.phone !== phone) throw new AppError('conflict', '这位会员刚刚与另一会员合并，请重新进入会员中心');
          await trx
            .insertInto('member_phone_bindings')
            .values({ id: newId('phoneBinding', now.getTime()), merchant_id: caller.merchantId, member_id: caller.memberId, platform: input.platform, code_hash: hash, phone, survivor_id: done.to_member_id, merge_id: done.id })
            .execute();
          return answerFor(deps, trx, caller.merchantId, done.to_member_id, true, true);
        }
        if (me.phone && me.phone !== phone) throw new AppError('conflict', '已绑定其他手机号，如需更换请联系门店', [{ path: 'phone', message: '已绑定其他手机号' }]);
        let survivorId = caller.memberId;
        let mergeId: string | null = null;
        if (other && !me.phone) {
          const merged = await mergeMembers(trx, { merchantId: caller.merchantId, fromMemberId: caller.memberId, toMemberId: other.id, levels: ctx.levels, movers: ctx.movers, now, actorId: caller.memberId });
          survivorId = merged.survivorId;
          mergeId = merged.mergeId;
        } else if (!me.phone) {
          await trx.updateTable('members').set({ phone }).where('id', '=', caller.memberId).where('merchant_id', '=', caller.merchantId).execute();
          await audit(trx, { merchantId: caller.merchantId, actorId: caller.memberId, action: 'member.phone_bound', subjectId: caller.memberId, detail: { platform: input.platform } });
        }
        await trx
          .insertInto('member_phone_bindings')
          .values({ id: newId('phoneBinding', now.getTime()), merchant_id: caller.merchantId, member_id: caller.memberId, platform: input.platform, code_hash: hash, phone, survivor_id: survivorId, merge_id: mergeId })
          .execute();
        return answerFor(deps, trx, caller.merchantId, survivorId, mergeId !== null, false);
      });
    } catch (e) {
      if (!isUniqueViolation(e) || attempt >= bind_attempts_max) {
        if (isUniqueViolation(e)) throw new AppError('conflict', '绑定手机号时与另一请求冲突，请重试');
        throw e;
      }
      // The same answer sent twice at once: the second finds the first's binding and replays it.
      const replay = await deps.db.selectFrom('member_phone_bindings').select(['survivor_id', 'merge_id']).where('code_hash', '=', hash).executeTakeFirst();
      if (replay) return answerFor(deps, deps.db, caller.merchantId, replay.survivor_id, replay.merge_id !== null, true);
    }
  }
}
