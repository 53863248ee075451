import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../_db/schema.js';
import { orderMeasures, zeroOrderSums, type OrderSums } from './measures.js';

/**
 * The one place the server computes the sales figures of `shared/figures.ts`
 * (单数, 销售额, 退款额, 净销售额/实收, 客单价, 客件数): the order rollup summed
 * over stores and days, grouped by assistant, day or nothing. The boss home,
 * the sales reports and 业绩与提成 all read them from here, so the same
 * assistant and day show the same 客单价 everywhere.
 */

export type FigureGroup = 'all' | 'staff' | 'day';

export interface FigureScope {
  merchantId: string;
  storeIds: readonly string[];
  from: string;
  to: string;
}

const n = (v: unknown) => Number(v ?? 0);

const keyOf: Record<FigureGroup, RawBuilder<unknown>> = {
  all: sql`'all'`,
  staff: sql`staff_id`,
  day: sql`to_char(business_date, 'YYYY-MM-DD')`,
};

/** The rollup's sums per group; a group without sales or returns is absent. */
export async function orderSumsBy(db: Kysely<DB>, s: FigureScope, group: FigureGroup): Promise<Map<string, OrderSums>> {
  if (s.storeIds.length === 0) return new Map();
  const { rows } = await sql<Record<string, unknown>>`select ${keyOf[group]} as k, sum(order_count)::bigint as orders, sum(order_fen)::bigint as sales,
      sum(returned_fen)::bigint as refunds, sum(item_qty)::bigint as items, sum(returned_qty)::bigint as ritems,
      sum(cost_fen)::bigint as cost, sum(returned_cost_fen)::bigint as rcost
    from report_order_daily
    where merchant_id = ${s.merchantId} and store_id in (${sql.join([...s.storeIds])}) and business_date between ${s.from} and ${s.to}
    group by 1`.execute(db);
  return new Map(rows.map((r) => [String(r.k), { orders: n(r.orders), salesFen: n(r.sales), refundFen: n(r.refunds), items: n(r.items), returnedItems: n(r.ritems), costFen: n(r.cost), returnedCostFen: n(r.rcost) }]));
}

export type SalesFigures = ReturnType<typeof orderMeasures>;

/** The sales figures per group (see `shared/figures.ts`). */
export async function salesFiguresBy(db: Kysely<DB>, s: FigureScope, group: FigureGroup): Promise<Map<string, SalesFigures>> {
  const sums = await orderSumsBy(db, s, group);
  return new Map([...sums].map(([k, v]) => [k, orderMeasures(v)]));
}

/** The sales figures over the whole scope, zeros when nothing was sold. */
export async function salesFigures(db: Kysely<DB>, s: FigureScope): Promise<SalesFigures> {
  return (await salesFiguresBy(db, s, 'all')).get('all') ?? orderMeasures(zeroOrderSums);
}

/** Money taken and given back per tender, net, from the tender rollup (returns on the day they complete, as above). */
export async function takingsByTender(db: Kysely<DB>, s: FigureScope): Promise<{ tender: string; fen: number }[]> {
  if (s.storeIds.length === 0) return [];
  const { rows } = await sql<{ method: string; fen: unknown }>`select method, (sum(taken_fen) - sum(refunded_fen))::bigint as fen
    from report_tender_daily
    where merchant_id = ${s.merchantId} and store_id in (${sql.join([...s.storeIds])}) and business_date between ${s.from} and ${s.to}
    group by method order by method`.execute(db);
  return rows.map((r) => ({ tender: r.method, fen: n(r.fen) }));
}
