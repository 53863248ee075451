import type { MemberPrincipal } from '../_kernel/context.js';
import type { Deps } from '../_kernel/deps.js';
import { AppError } from '../_kernel/errors.js';
import { ReplayRace, requestHash } from '../_kernel/idempotency.js';
import { audit } from '../_audit/index.js';
import { createMerchantRecords, memberPlatformIds, staffIdentityTaken, staffSessionFor } from '../_identity/index.js';
import { ensureChartOfAccounts } from '../_ledger/index.js';
import type { SignUpRequest } from '../../shared/api/onboarding.js';
import type { StaffSession } from '../../shared/api/identity.js';
import { newId } from '../../shared/ids.js';

/**
 * Opens a shop for a signed-in shopper who is nobody's staff. One
 * transaction writes the sign-up's idempotency row, the merchant, its first
 * store, the owner (whose logins are the platform ids the shopper signed in
 * with, so next time the same person signs in as staff) and the chart of
 * accounts; a failure anywhere leaves none of them.
 *
 * Settings (points, member levels, return and discount limits, the shift's
 * closing time, stock thresholds) need no rows: every reader falls back to
 * its named default when a merchant has none, so a new shop sells at once.
 * No payment account is written either: until the owner's payment setup is
 * done the shop takes cash, card and 赊账, and never another merchant's keys.
 */
export async function signUp(deps: Deps, member: MemberPrincipal, input: SignUpRequest): Promise<StaffSession> {
  const identities = await memberPlatformIds(deps.db, member.merchantId, member.memberId);
  const { signUpId, ...content } = input;
  // Who asks is part of the request: someone else's tap with the same id is a different request.
  const hash = requestHash({ ...content, requester: identities });
  const replay = async (): Promise<StaffSession> => {
    const found = await deps.db.selectFrom('merchant_sign_ups').select(['request_hash', 'merchant_id', 'owner_id']).where('id', '=', signUpId).executeTakeFirstOrThrow();
    if (found.request_hash !== hash) throw new AppError('idempotency_mismatch', `开店请求 ${signUpId} 已用于另一次开店，内容不同`);
    return staffSessionFor(deps, found.merchant_id, found.owner_id);
  };
  const earlier = await deps.db.selectFrom('merchant_sign_ups').select('id').where('id', '=', signUpId).executeTakeFirst();
  if (earlier) return replay();
  const taken = await staffIdentityTaken(deps.db, identities);
  // A double tap can land here just after its twin committed: the login is now the new owner's, and the twin's row says so.
  if (taken && (await deps.db.selectFrom('merchant_sign_ups').select('id').where('id', '=', signUpId).executeTakeFirst())) return replay();
  if (taken) throw new AppError('conflict', `此账号已是「${taken.merchantName}」的店员，不能再开一家店；请用另一个微信或支付宝账号开店`);

  const now = deps.clock();
  const merchantId = newId('merchant', now.getTime());
  const ownerId = newId('staff', now.getTime());
  try {
    await deps.db.transaction().execute(async (trx) => {
      // First, so that a second tap waits here for this one instead of racing it to bind the login.
      const claimed = await trx
        .insertInto('merchant_sign_ups')
        .values({ id: signUpId, request_hash: hash, platform: identities[0]!.platform, open_id: identities[0]!.openId, merchant_id: merchantId, owner_id: ownerId })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!claimed) throw new ReplayRace();
      const created = await createMerchantRecords(trx, { merchantId, ownerId, shopName: content.shopName, ownerName: content.ownerName, store: content.store, identities, now });
      await ensureChartOfAccounts(trx, merchantId);
      await audit(trx, {
        merchantId,
        actorId: ownerId,
        action: 'merchant.signed_up',
        subjectId: merchantId,
        detail: { signUpId, shopName: content.shopName, storeId: created.storeId, storeCode: created.storeCode, platforms: identities.map((i) => i.platform) },
      });
    });
  } catch (error) {
    if (error instanceof ReplayRace) return replay();
    throw error;
  }
  return staffSessionFor(deps, merchantId, ownerId);
}
