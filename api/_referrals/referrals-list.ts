import { sql, type Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { maskPhone } from '../_members/index.js';
import { referrals_list_max, type ReferralView } from '../../shared/api/referrals.js';

/**
 * The owner's referrals, newest first, with both members' names and masked
 * phones, and the totals of all the merchant's referrals (not just the page).
 */
export async function referralsOfMerchant(db: Kysely<DB>, merchantId: string): Promise<{ items: ReferralView[]; totals: { referred: number; rewarded: number; pointsGiven: number } }> {
  const rows = await db
    .selectFrom('referrals as r')
    .innerJoin('members as a', 'a.id', 'r.referrer_member_id')
    .innerJoin('members as b', 'b.id', 'r.referee_member_id')
    .select([
      'r.id',
      'r.status',
      'r.refused_reason',
      'r.order_id',
      'r.referrer_points',
      'r.referee_points',
      'r.arrived_at',
      'r.decided_at',
      'a.id as referrer_id',
      'a.name as referrer_name',
      'a.phone as referrer_phone',
      'b.id as referee_id',
      'b.name as referee_name',
      'b.phone as referee_phone',
    ])
    .where('r.merchant_id', '=', merchantId)
    .orderBy('r.arrived_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(referrals_list_max)
    .execute();
  const totals = await db
    .selectFrom('referrals')
    .select([
      sql<number>`count(*) filter (where status <> 'void')::int`.as('referred'),
      sql<number>`count(*) filter (where status = 'rewarded')::int`.as('rewarded'),
      sql<number>`coalesce(sum(referrer_points + referee_points) filter (where status = 'rewarded'), 0)::bigint`.as('points'),
    ])
    .where('merchant_id', '=', merchantId)
    .executeTakeFirstOrThrow();
  return {
    items: rows.map((r) => ({
      id: r.id,
      referrer: { id: r.referrer_id, name: r.referrer_name, phoneMasked: maskPhone(r.referrer_phone) },
      referee: { id: r.referee_id, name: r.referee_name, phoneMasked: maskPhone(r.referee_phone) },
      status: r.status,
      refusedReason: r.refused_reason,
      orderId: r.order_id,
      referrerPoints: r.referrer_points,
      refereePoints: r.referee_points,
      arrivedAt: new Date(r.arrived_at).toISOString(),
      decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    })),
    totals: { referred: Number(totals.referred), rewarded: Number(totals.rewarded), pointsGiven: Number(totals.points) },
  };
}
