import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { postMovement } from './movements.repository.js';

/**
 * A member merge (members' `moveMemberRecords`) moves the balance from the
 * merged record to the surviving one, in the merge's transaction: a
 * `move_out` that empties the old card and a `move_in` of the same parts on
 * the new one, both keyed by the merge, so a merge run twice moves nothing
 * the second time and the sum over both members stays the same. No journal
 * entry: the liability is the merchant's to the same person before and after.
 * The cap is not checked here: the money is already the member's, and the
 * prepaid card rules cap what is sold onto a card, not a merge of two.
 */
export async function moveStoredValueToMember(trx: Transaction<DB>, m: { merchantId: string; fromMemberId: string; toMemberId: string; mergeId: string }): Promise<void> {
  if (m.fromMemberId === m.toMemberId) return;
  const at = new Date();
  let moving = { principalFen: 0, bonusFen: 0 };
  const out = await trx.selectFrom('stored_value_accounts').select(['principal_fen', 'bonus_fen']).where('member_id', '=', m.fromMemberId).where('merchant_id', '=', m.merchantId).executeTakeFirst();
  const already = await trx.selectFrom('stored_value_ledger').select(['principal_delta_fen', 'bonus_delta_fen']).where('merchant_id', '=', m.merchantId).where('idempotency_key', '=', `move_out:${m.mergeId}:${m.fromMemberId}`).executeTakeFirst();
  if (!already && (!out || (Number(out.principal_fen) === 0 && Number(out.bonus_fen) === 0))) return;
  const moved = await postMovement(trx, {
    merchantId: m.merchantId,
    memberId: m.fromMemberId,
    kind: 'move_out',
    storeId: null,
    refId: m.mergeId,
    idempotencyKey: `move_out:${m.mergeId}:${m.fromMemberId}`,
    createdBy: null,
    at,
    deltas: (locked) => {
      moving = locked;
      return { principalFen: -locked.principalFen, bonusFen: -locked.bonusFen };
    },
  });
  // On a repeat the parts are those the first run moved out, so the move-in matches them.
  if (!moved.created) moving = { principalFen: -moved.principalDeltaFen, bonusFen: -moved.bonusDeltaFen };
  await postMovement(trx, {
    merchantId: m.merchantId,
    memberId: m.toMemberId,
    kind: 'move_in',
    storeId: null,
    refId: m.mergeId,
    idempotencyKey: `move_in:${m.mergeId}:${m.fromMemberId}`,
    createdBy: null,
    at,
    deltas: () => moving,
  });
}
