import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';

/**
 * The cash part of points-mall gifts handed over between two instants (a
 * gift priced in points plus cash is paid in cash when it is picked up), for
 * the shifts module to place in the drawer of the shift open at that moment.
 */
export async function giftDrawerCash(db: Kysely<DB>, q: { storeIds: readonly string[]; from: Date; to: Date }): Promise<{ storeId: string; staffId: string; at: Date; amountFen: number }[]> {
  if (q.storeIds.length === 0) return [];
  const rows = await db
    .selectFrom('mall_redemptions')
    .select(['store_id', 'picked_up_by', 'picked_up_at', 'cash_fen'])
    .where('store_id', 'in', [...q.storeIds])
    .where('status', '=', 'picked_up')
    .where('cash_fen', '>', 0)
    .where('picked_up_at', '>=', q.from)
    .where('picked_up_at', '<', q.to)
    .execute();
  return rows.filter((r) => r.picked_up_by !== null && r.picked_up_at !== null).map((r) => ({ storeId: r.store_id, staffId: r.picked_up_by!, at: new Date(r.picked_up_at!), amountFen: Number(r.cash_fen) }));
}
