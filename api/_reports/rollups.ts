import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { sold_statuses } from './today.js';
import { preparedSql } from '../_db/prepared-sql.js';

/**
 * The report rollups, written in the sale's or the return's own transaction
 * and rebuilt from the raw records by the same SQL. A sale counts on its
 * business day; a return counts on the Beijing day it completed (its approval,
 * or its request when no approval was needed), in its store, against the
 * sale's assistant and channel. Returned cost is each returned line's share of
 * the line's cost, rounded down, as the return's journal entry books it.
 */

type Scope = { orderId: string } | { returnId: string } | { merchantId: string };

const sold = sql.join(sold_statuses.map((s) => sql.lit(s)));
const returnDay = sql`coalesce((r.decided_at at time zone 'Asia/Shanghai')::date, r.business_date)`;

function orderFilter(scope: Scope, alias: string): RawBuilder<unknown> {
  const col = sql.ref(`${alias}.${'orderId' in scope ? 'id' : 'merchant_id'}`);
  if ('orderId' in scope) return sql`${col} = ${scope.orderId}`;
  if ('merchantId' in scope) return sql`${col} = ${scope.merchantId}`;
  return sql`false`;
}

function returnFilter(scope: Scope): RawBuilder<unknown> {
  if ('returnId' in scope) return sql`r.id = ${scope.returnId}`;
  if ('merchantId' in scope) return sql`r.merchant_id = ${scope.merchantId}`;
  return sql`false`;
}

const orderCols = ['merchant_id', 'store_id', 'business_date', 'staff_id', 'channel', 'order_count', 'order_fen', 'item_qty', 'goods_fen', 'cost_fen', 'return_count', 'returned_qty', 'returned_fen', 'returned_cost_fen'];
const skuCols = ['merchant_id', 'store_id', '$day', 'sku_id', 'category_id', 'sold_qty', 'sold_fen', 'sold_cost_fen', 'returned_qty', 'returned_fen', 'returned_cost_fen'];
const tenderCols = ['merchant_id', 'store_id', 'business_date', 'method', 'taken_count', 'taken_fen', 'refund_count', 'refunded_fen'];

function orderSales(scope: Scope) {
  const lineScope = 'orderId' in scope ? sql`order_id = ${scope.orderId}` : 'merchantId' in scope ? sql`merchant_id = ${scope.merchantId}` : sql`false`;
  return sql`select o.merchant_id, o.store_id, o.business_date, coalesce(o.staff_id, '') as staff_id, o.channel,
      1 as order_count, o.total_fen as order_fen, coalesce(l.qty, 0) as item_qty, coalesce(l.net, 0) as goods_fen, coalesce(l.cost, 0) as cost_fen,
      0 as return_count, 0 as returned_qty, 0 as returned_fen, 0 as returned_cost_fen
    from orders o
    left join (select order_id, sum(qty) as qty, sum(net_fen) as net, sum(cost_fen) as cost from order_lines where ${lineScope} group by order_id) l on l.order_id = o.id
    where o.status in (${sold}) and ${orderFilter(scope, 'o')}`;
}

function orderReturns(scope: Scope) {
  return sql`select r.merchant_id, r.store_id, ${returnDay} as business_date, coalesce(o.staff_id, '') as staff_id, o.channel,
      0, 0, 0, 0, 0, 1, x.qty, x.fen, x.cost
    from returns r
    join orders o on o.id = r.order_id
    join (select rl.return_id, sum(rl.qty) as qty, sum(rl.amount_fen) as fen, sum(ol.cost_fen * rl.qty / ol.qty) as cost
          from return_lines rl join order_lines ol on ol.id = rl.order_line_id join returns r on r.id = rl.return_id
          where ${returnFilter(scope)} group by rl.return_id) x on x.return_id = r.id
    where r.status = 'completed' and ${returnFilter(scope)}`;
}

function skuSales(scope: Scope, monthly: boolean) {
  const day = monthly ? sql`date_trunc('month', o.business_date)::date` : sql`o.business_date`;
  return sql`select o.merchant_id, o.store_id, ${day}, l.sku_id, l.category_id, sum(l.qty), sum(l.net_fen), sum(l.cost_fen), 0, 0, 0
    from order_lines l join orders o on o.id = l.order_id
    where o.status in (${sold}) and ${orderFilter(scope, 'o')}
    group by o.merchant_id, o.store_id, ${day}, l.sku_id, l.category_id`;
}

function skuReturns(scope: Scope, monthly: boolean) {
  const day = monthly ? sql`date_trunc('month', ${returnDay})::date` : returnDay;
  return sql`select r.merchant_id, r.store_id, ${day}, ol.sku_id, ol.category_id, 0, 0, 0, sum(rl.qty), sum(rl.amount_fen), sum(ol.cost_fen * rl.qty / ol.qty)
    from return_lines rl join returns r on r.id = rl.return_id join order_lines ol on ol.id = rl.order_line_id
    where r.status = 'completed' and ${returnFilter(scope)}
    group by r.merchant_id, r.store_id, ${day}, ol.sku_id, ol.category_id`;
}

function tenderSales(scope: Scope) {
  return sql`select o.merchant_id, o.store_id, o.business_date, t.method, count(*), sum(t.amount_fen), 0, 0
    from order_tenders t join orders o on o.id = t.order_id
    where o.status in (${sold}) and ${orderFilter(scope, 'o')}
    group by o.merchant_id, o.store_id, o.business_date, t.method`;
}

function tenderReturns(scope: Scope) {
  return sql`select r.merchant_id, r.store_id, ${returnDay}, rr.method, 0, 0, count(*), sum(rr.amount_fen)
    from return_refunds rr join returns r on r.id = rr.return_id
    where r.status = 'completed' and ${returnFilter(scope)}
    group by r.merchant_id, r.store_id, ${returnDay}, rr.method`;
}

interface Target {
  table: string;
  cols: string[];
  keys: string[];
  /** The unique key the upsert meets, when it is not `keys` (tables keyed by merchant). */
  conflict?: string[];
}

/** SKU rows of every store summed together: the same source without its store column. */
function allStores(src: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`select merchant_id, d, sku_id, category_id, sq, sf, sc, rq, rf, rc
    from (${src}) as x (merchant_id, store_id, d, sku_id, category_id, sq, sf, sc, rq, rf, rc)`;
}
const targets = {
  order: { table: 'report_order_daily', cols: orderCols, keys: ['store_id', 'business_date', 'staff_id', 'channel'] },
  skuDaily: { table: 'report_sku_daily', cols: skuCols.map((c) => (c === '$day' ? 'business_date' : c)), keys: ['store_id', 'business_date', 'sku_id', 'category_id'] },
  skuMonthly: { table: 'report_sku_monthly', cols: skuCols.map((c) => (c === '$day' ? 'month' : c)), keys: ['store_id', 'month', 'sku_id', 'category_id'] },
  skuDailyAll: { table: 'report_sku_daily_all', cols: skuCols.filter((c) => c !== 'store_id').map((c) => (c === '$day' ? 'business_date' : c)), keys: ['business_date', 'sku_id', 'category_id'], conflict: ['merchant_id', 'business_date', 'sku_id', 'category_id'] },
  skuMonthlyAll: { table: 'report_sku_monthly_all', cols: skuCols.filter((c) => c !== 'store_id').map((c) => (c === '$day' ? 'month' : c)), keys: ['month', 'sku_id', 'category_id'], conflict: ['merchant_id', 'month', 'sku_id', 'category_id'] },
  tender: { table: 'report_tender_daily', cols: tenderCols, keys: ['store_id', 'business_date', 'method'] },
} satisfies Record<string, Target>;

/**
 * The statement that adds the source rows to a rollup: grouped by the key,
 * inserted in key order (so concurrent sales of one store lock the rows in
 * the same order), and summed into the rows already there.
 */
function upsertSql(t: Target, sources: RawBuilder<unknown>[]): RawBuilder<unknown> {
  const keys = sql.join(t.keys.map((k) => sql.ref(k)));
  const values = t.cols.filter((c) => c !== 'merchant_id' && !t.keys.includes(c));
  const colList = sql.join(t.cols.map((c) => sql.ref(c)));
  const sums = sql.join(values.map((c) => sql`sum(${sql.ref(c)})::bigint`));
  const union = sql.join(sources, sql` union all `);
  const table = sql.table(t.table);
  return sql`insert into ${table} (${colList})
    select merchant_id, ${keys}, ${sums} from (${union}) as src (${colList})
    group by merchant_id, ${keys}
    order by ${keys}
    on conflict (${sql.join((t.conflict ?? t.keys).map((k) => sql.ref(k)))}) do update set ${sql.join(values.map((c) => sql`${sql.ref(c)} = ${table}.${sql.ref(c)} + excluded.${sql.ref(c)}`))}`;
}

/**
 * Every rollup in one statement (one round trip inside the sale's
 * transaction): the data-modifying CTEs touch separate tables, and every
 * caller runs them in the same order, so two sales never lock in opposite orders.
 */
/** Every part's upsert in one statement: all but the last as CTEs, after any leading CTE the parts read from. */
function upsertStatement(parts: [Target, RawBuilder<unknown>[]][], leading?: RawBuilder<unknown>): RawBuilder<unknown> {
  const [last, ...first] = parts.map(([t, sources]) => upsertSql(t, sources)).reverse();
  const ctes = first.reverse().map((q, i) => sql`${sql.raw(`u${i}`)} as (${q} returning 1)`);
  return sql`with ${sql.join(leading ? [leading, ...ctes] : ctes)} ${last!}`;
}

async function upsertAll(db: Kysely<DB>, parts: [Target, RawBuilder<unknown>[]][]): Promise<void> {
  // Prepared: its text is the same for every sale (or every return), and planning it costs more than running it.
  await preparedSql`${upsertStatement(parts)}`.execute(db);
}

function saleParts(orderId: string): [Target, RawBuilder<unknown>[]][] {
  const scope = { orderId };
  return [
    [targets.order, [orderSales(scope)]],
    [targets.skuDaily, [skuSales(scope, false)]],
    [targets.skuMonthly, [skuSales(scope, true)]],
    [targets.skuDailyAll, [allStores(skuSales(scope, false))]],
    [targets.skuMonthlyAll, [allStores(skuSales(scope, true))]],
    [targets.tender, [tenderSales(scope)]],
  ];
}

/** In the checkout's transaction, once the order, its lines and its tenders are written. */
export async function rollupSale(trx: Transaction<DB>, orderId: string): Promise<void> {
  await upsertAll(trx, saleParts(orderId));
}

/**
 * A sale's rollups as the leading CTEs of a statement that writes something
 * after them (the receipt number), so both take one round trip. `written` is
 * a condition that reads every rollup CTE, which makes Postgres write them
 * before whatever it guards, in the order rollupSale's own statement takes
 * its row locks: its main statement (the last part) first, then its CTEs
 * last to first. Same order, so the two never deadlock each other.
 */
export function saleRollupCtes(orderId: string): { ctes: RawBuilder<unknown>; written: RawBuilder<unknown> } {
  const upserts = saleParts(orderId).map(([t, sources]) => upsertSql(t, sources));
  const name = (i: number) => sql.raw(`u${i}`);
  const ctes = sql.join(upserts.map((q, i) => sql`${name(i)} as (${q} returning 1)`));
  const lockOrder = upserts.map((_, i) => i).reverse();
  const written = sql`(select count(*) from (${sql.join(lockOrder.map((i) => sql`select * from ${name(i)}`), sql` union all `)}) as written) >= 0`;
  return { ctes, written };
}

/** In the return's transaction, once it is completed and its refunds are written. */
export async function rollupReturn(trx: Transaction<DB>, returnId: string): Promise<void> {
  const scope = { returnId };
  await upsertAll(trx, [
    [targets.order, [orderReturns(scope)]],
    [targets.skuDaily, [skuReturns(scope, false)]],
    [targets.skuMonthly, [skuReturns(scope, true)]],
    [targets.skuDailyAll, [allStores(skuReturns(scope, false))]],
    [targets.skuMonthlyAll, [allStores(skuReturns(scope, true))]],
    [targets.tender, [tenderReturns(scope)]],
  ]);
}

export const rollup_tables = Object.values(targets).map((t) => t.table);

/**
 * Recomputes a merchant's rollups from the raw records, for data loaded in
 * bulk and as a repair. Run it while the merchant is not selling: a sale
 * committing during the rebuild may be counted by both. The SKU figures are
 * read from the lines once, per store and day, and the monthly and
 * merchant-wide tables summed from those rows (sums of the same integers, so
 * equal to grouping the lines again, at a quarter of the reading).
 */
export async function rebuildRollups(db: Kysely<DB>, merchantId: string): Promise<void> {
  const scope = { merchantId };
  const skuDay = sql`select merchant_id, store_id, d, sku_id, category_id, sq, sf, sc, rq, rf, rc from sku_day`;
  const skuMonth = sql`select merchant_id, store_id, date_trunc('month', d)::date, sku_id, category_id, sq, sf, sc, rq, rf, rc from sku_day`;
  const skuParts: [Target, RawBuilder<unknown>[]][] = [
    [targets.skuDaily, [skuDay]],
    [targets.skuMonthly, [skuMonth]],
    [targets.skuDailyAll, [allStores(skuDay)]],
    [targets.skuMonthlyAll, [allStores(skuMonth)]],
  ];
  await db.transaction().execute(async (trx) => {
    for (const t of rollup_tables) await sql`delete from ${sql.table(t)} where merchant_id = ${merchantId}`.execute(trx);
    await sql`${upsertSql(targets.order, [orderSales(scope), orderReturns(scope)])}`.execute(trx);
    const skuDayCte = sql`sku_day (merchant_id, store_id, d, sku_id, category_id, sq, sf, sc, rq, rf, rc) as materialized (${skuSales(scope, false)} union all ${skuReturns(scope, false)})`;
    await upsertStatement(skuParts, skuDayCte).execute(trx);
    await sql`${upsertSql(targets.tender, [tenderSales(scope), tenderReturns(scope)])}`.execute(trx);
  });
}
