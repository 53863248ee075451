import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { TodayResponse } from '../../shared/api/reports.js';
import { salesFigures, takingsByTender } from './figures.js';

/** Sales in these states were paid; a later refund is subtracted on the day it is made. */
export const sold_statuses = ['paid', 'partially_refunded', 'refunded'] as const;

/**
 * The day's figures over the given stores, as the daily sales report shows
 * them (`shared/figures.ts`): 实收 is the day's net sales (sales less the
 * refunds completed that day), split by tender; 单数 and 客单价 are the day's
 * sales before returns.
 */
export async function todayTakings(db: Kysely<DB>, merchantId: string, storeIds: string[], date: string, storeId: string | null): Promise<TodayResponse> {
  const scope = { merchantId, storeIds, from: date, to: date };
  const [f, byTender] = await Promise.all([salesFigures(db, scope), takingsByTender(db, scope)]);
  return { date, storeId, takingsFen: f.netSalesFen, orderCount: f.orderCount, avgTicketFen: f.avgTicketFen, byTender };
}
