import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { RedemptionView } from '../../shared/api/points-mall.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Redemptions as the screens show them, with the gift's and the store's
 * names. Always within one merchant: ids of another merchant find nothing.
 */
export async function redemptionViews(db: Db, merchantId: string, ids: readonly string[]): Promise<RedemptionView[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('mall_redemptions as r')
    .innerJoin('mall_gifts as g', 'g.id', 'r.gift_id')
    .innerJoin('stores as s', 's.id', 'r.store_id')
    .select(['r.id', 'r.gift_id', 'g.name as gift_name', 'r.member_id', 'r.store_id', 's.name as store_name', 'r.qty', 'r.points', 'r.cash_fen', 'r.channel', 'r.status', 'r.pickup_code', 'r.created_at', 'r.picked_up_at', 'r.cancelled_at'])
    .where('r.merchant_id', '=', merchantId)
    .where('r.id', 'in', [...ids])
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    giftId: r.gift_id,
    giftName: r.gift_name,
    memberId: r.member_id,
    storeId: r.store_id,
    storeName: r.store_name,
    qty: r.qty,
    points: r.points,
    cashFen: Number(r.cash_fen),
    channel: r.channel,
    status: r.status,
    // The code matters only while the gift waits; afterwards it may be another redemption's.
    pickupCode: r.status === 'awaiting_pickup' ? r.pickup_code : null,
    createdAt: new Date(r.created_at).toISOString(),
    pickedUpAt: r.picked_up_at ? new Date(r.picked_up_at).toISOString() : null,
    cancelledAt: r.cancelled_at ? new Date(r.cancelled_at).toISOString() : null,
  }));
}

export async function redemptionView(db: Db, merchantId: string, id: string): Promise<RedemptionView | null> {
  return (await redemptionViews(db, merchantId, [id]))[0] ?? null;
}

/** A member's own redemptions, newest first. */
export async function redemptionIdsOfMember(db: Db, merchantId: string, memberId: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('mall_redemptions').select('id').where('merchant_id', '=', merchantId).where('member_id', '=', memberId).orderBy('created_at', 'desc').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** A store's redemptions, newest first, optionally of one status (the counter's list of gifts waiting). */
export async function redemptionIdsOfStore(db: Db, merchantId: string, storeId: string, status: RedemptionView['status'] | undefined, limit: number): Promise<string[]> {
  let q = db.selectFrom('mall_redemptions').select('id').where('merchant_id', '=', merchantId).where('store_id', '=', storeId);
  if (status) q = q.where('status', '=', status);
  const rows = await q.orderBy('created_at', 'desc').limit(limit).execute();
  return rows.map((r) => r.id);
}
