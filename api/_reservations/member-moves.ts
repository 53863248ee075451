import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';

/** Merge mover (#17): the absorbed member's reservations, active or past, become the survivor's. */
export async function moveReservationsToMember(trx: Transaction<DB>, m: { merchantId: string; fromMemberId: string; toMemberId: string; mergeId: string }): Promise<void> {
  await trx.updateTable('customer_reservations').set({ member_id: m.toMemberId }).where('merchant_id', '=', m.merchantId).where('member_id', '=', m.fromMemberId).execute();
}
