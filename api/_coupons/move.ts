import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { newId } from '../../shared/ids.js';

/**
 * A member merge's coupons side, in the merge's transaction: every coupon of
 * the merged-away member becomes the surviving member's (used ones too, so the
 * history reads whole), each with a 'moved' event, and the per-template counts
 * of what they claimed are added to the survivor's and zeroed on the old
 * record, so nothing is counted twice and the survivor's limits see both.
 */
export async function moveCouponsToMember(trx: Transaction<DB>, input: { merchantId: string; fromMemberId: string; toMemberId: string; mergeId: string }): Promise<void> {
  if (input.fromMemberId === input.toMemberId) return;
  const moved = await trx
    .updateTable('coupons')
    .set({ member_id: input.toMemberId })
    .where('merchant_id', '=', input.merchantId)
    .where('member_id', '=', input.fromMemberId)
    .returning('id')
    .execute();
  const at = Date.now();
  if (moved.length > 0) {
    await trx
      .insertInto('coupon_events')
      .values(moved.map((c) => ({ id: newId('couponEvent', at), merchant_id: input.merchantId, coupon_id: c.id, kind: 'moved' as const, from_member_id: input.fromMemberId, to_member_id: input.toMemberId, return_id: null, order_id: null })))
      .execute();
  }
  const counts = await trx.selectFrom('coupon_member_counts').select(['template_id', 'issued']).where('merchant_id', '=', input.merchantId).where('member_id', '=', input.fromMemberId).where('issued', '>', 0).forUpdate().execute();
  for (const c of counts) {
    await trx
      .insertInto('coupon_member_counts')
      .values({ template_id: c.template_id, member_id: input.toMemberId, merchant_id: input.merchantId, issued: c.issued })
      .onConflict((oc) => oc.columns(['template_id', 'member_id']).doUpdateSet((eb) => ({ issued: eb('coupon_member_counts.issued', '+', c.issued) })))
      .execute();
  }
  if (counts.length > 0) await trx.updateTable('coupon_member_counts').set({ issued: 0 }).where('merchant_id', '=', input.merchantId).where('member_id', '=', input.fromMemberId).execute();
}
