import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';

/**
 * Moves a merged-away member's gift redemptions to the surviving member, in
 * the merge's transaction (the members module calls every module's mover).
 * Only the owner changes: points, stock and codes stay as they were, since
 * the points ledger itself is moved by the members module, and a gift
 * waiting for pickup stays waiting under its code. Running it again moves
 * nothing, as no row names the merged-away member any more.
 */
export async function movePointsMallToMember(trx: Transaction<DB>, m: { merchantId: string; fromMemberId: string; toMemberId: string; mergeId: string }): Promise<void> {
  if (m.fromMemberId === m.toMemberId) return;
  await trx.updateTable('mall_redemptions').set({ member_id: m.toMemberId }).where('merchant_id', '=', m.merchantId).where('member_id', '=', m.fromMemberId).execute();
}
