import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';

/** Cash a member of staff took in or paid out for stored value, as a shift's drawer sees it. */
export interface DrawerCash {
  storeId: string;
  staffId: string;
  at: Date;
  /** Positive for a top-up taken in, negative for principal paid back. */
  amountFen: number;
}

/**
 * Stored value's cash in the stores' drawers between two instants: cash
 * top-ups once credited, and principal refunded in cash. The shifts module
 * places each in the drawer of the shift open at that moment
 * (api/_shifts/shift-view.ts), since the drawer takes this money as it
 * takes a sale's.
 */
export async function storedValueDrawerCash(db: Kysely<DB>, q: { storeIds: readonly string[]; from: Date; to: Date }): Promise<DrawerCash[]> {
  if (q.storeIds.length === 0) return [];
  const [topUps, refunds] = await Promise.all([
    db
      .selectFrom('stored_value_top_ups')
      .select(['store_id', 'created_by', 'credited_at', 'pay_fen'])
      .where('store_id', 'in', [...q.storeIds])
      .where('method', '=', 'cash')
      .where('status', '=', 'credited')
      .where('credited_at', '>=', q.from)
      .where('credited_at', '<', q.to)
      .execute(),
    db
      .selectFrom('stored_value_refunds')
      .select(['store_id', 'created_by', 'created_at', 'principal_fen'])
      .where('store_id', 'in', [...q.storeIds])
      .where('method', '=', 'cash')
      .where('created_at', '>=', q.from)
      .where('created_at', '<', q.to)
      .execute(),
  ]);
  return [
    // A cash top-up is always made by a member of staff at the counter; one without is not drawer money.
    ...topUps.filter((t) => t.created_by !== null && t.credited_at !== null).map((t) => ({ storeId: t.store_id, staffId: t.created_by!, at: new Date(t.credited_at!), amountFen: Number(t.pay_fen) })),
    ...refunds.map((r) => ({ storeId: r.store_id, staffId: r.created_by, at: new Date(r.created_at), amountFen: -Number(r.principal_fen) })),
  ];
}
