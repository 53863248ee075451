import { stockValueFen } from '../../shared/figures.js';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { HealthSums } from '../../shared/inventory-health/score.js';
import { specLabel } from '../../shared/spec-label.js';

/** Orders that were sold (paid, even if later refunded: the refund is counted as a return). */
const sold_statuses = ['paid', 'refunded', 'partially_refunded'] as const;

/** Asia/Shanghai has no daylight saving, so a business day starts at 16:00 UTC the day before. */
export function dayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00+08:00`));
}

export interface SkuInfo {
  skuId: string;
  name: string;
  spec: string;
  categoryId: string;
  categoryName: string;
  costFen: number;
  /** The SKU and its product are on sale; only these can be "out of stock". */
  active: boolean;
  onHand: number;
  reserved: number;
}

/** The SKUs a store carries: those with a stock level there. */
export async function storeSkus(db: Kysely<DB>, merchantId: string, storeId: string): Promise<SkuInfo[]> {
  const rows = await db
    .selectFrom('stock_levels as l')
    .innerJoin('skus as s', 's.id', 'l.sku_id')
    .innerJoin('products as p', 'p.id', 's.product_id')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .select(['l.sku_id', 'l.on_hand', 'l.reserved', 's.spec', 's.cost_fen', 's.active as sku_active', 'p.active as product_active', 'p.name', 'p.category_id', 'c.name as category_name'])
    .where('l.store_id', '=', storeId)
    .where('l.merchant_id', '=', merchantId)
    .orderBy('l.sku_id')
    .execute();
  return rows.map((r) => ({
    skuId: r.sku_id,
    name: r.name,
    spec: specLabel(r.spec),
    categoryId: r.category_id,
    categoryName: r.category_name,
    costFen: r.cost_fen,
    active: r.sku_active && r.product_active,
    onHand: r.on_hand,
    reserved: r.reserved,
  }));
}

/**
 * Rebuilds each SKU's end-of-day stock over the period from the movement
 * ledger: the sum of everything before the first day, then a running sum of
 * each day's movements. Returns per SKU the Σ of end-of-day on hand (never
 * below zero), the days the store carried it (from the day of its first
 * movement there, so days before a store stocked a SKU are not stockouts),
 * the carried days with nothing available, and the on hand at the end.
 */
export async function dailyStock(db: Kysely<DB>, storeId: string, from: string, to: string) {
  const start = dayStart(from);
  const end = new Date(dayStart(to).getTime() + 86_400_000);
  const rows = await sql<{ sku_id: string; on_hand_days: number; stockout_days: number; carried_days: number; end_on_hand: number }>`
    with firsts as (
      select sku_id, min(((created_at at time zone 'UTC') + interval '8 hours')::date) as first_day
      from stock_movements where store_id = ${storeId} and created_at < ${end}
      group by sku_id
    ),
    opening as (
      select sku_id, sum(on_hand_delta)::bigint as oh, sum(reserved_delta)::bigint as rv
      from stock_movements where store_id = ${storeId} and created_at < ${start}
      group by sku_id
    ),
    daily as (
      select sku_id, ((created_at at time zone 'UTC') + interval '8 hours')::date as day,
        sum(on_hand_delta)::bigint as oh, sum(reserved_delta)::bigint as rv
      from stock_movements where store_id = ${storeId} and created_at >= ${start} and created_at < ${end}
      group by 1, 2
    ),
    grid as (
      select l.sku_id, d::date as day
      from stock_levels l cross join generate_series(${from}::date, ${to}::date, interval '1 day') d
      where l.store_id = ${storeId}
    ),
    running as (
      select g.sku_id, g.day, f.first_day,
        coalesce(o.oh, 0) + sum(coalesce(dd.oh, 0)) over w as on_hand,
        coalesce(o.rv, 0) + sum(coalesce(dd.rv, 0)) over w as reserved
      from grid g
      left join daily dd on dd.sku_id = g.sku_id and dd.day = g.day
      left join opening o on o.sku_id = g.sku_id
      left join firsts f on f.sku_id = g.sku_id
      window w as (partition by g.sku_id order by g.day)
    )
    select sku_id,
      sum(greatest(on_hand, 0))::bigint as on_hand_days,
      (count(*) filter (where day >= first_day and on_hand - reserved <= 0))::int as stockout_days,
      (count(*) filter (where day >= first_day))::int as carried_days,
      ((array_agg(on_hand order by day desc))[1])::bigint as end_on_hand
    from running group by sku_id`.execute(db);
  return new Map(rows.rows.map((r) => [r.sku_id, { onHandDays: Number(r.on_hand_days), stockoutDays: Number(r.stockout_days), carriedDays: Number(r.carried_days), endOnHand: Number(r.end_on_hand) }]));
}

/** Units sold and their cost per SKU over the period, net of the returns completed in it. */
export async function salesBySku(db: Kysely<DB>, merchantId: string, storeId: string, from: string, to: string) {
  const [sold, returned] = await Promise.all([
    db
      .selectFrom('order_lines as ol')
      .innerJoin('orders as o', 'o.id', 'ol.order_id')
      .select(['ol.sku_id', sql<number>`sum(ol.qty)::bigint`.as('qty'), sql<number>`sum(ol.cost_fen)::bigint`.as('cost')])
      .where('o.merchant_id', '=', merchantId)
      .where('o.store_id', '=', storeId)
      .where('o.status', 'in', sold_statuses)
      .where('o.business_date', '>=', from)
      .where('o.business_date', '<=', to)
      .groupBy('ol.sku_id')
      .execute(),
    db
      .selectFrom('return_lines as rl')
      .innerJoin('returns as r', 'r.id', 'rl.return_id')
      .innerJoin('order_lines as ol', 'ol.id', 'rl.order_line_id')
      .select(['ol.sku_id', sql<number>`sum(rl.qty)::bigint`.as('qty'), sql<number>`sum(ol.cost_fen * rl.qty / ol.qty)::bigint`.as('cost')])
      .where('r.merchant_id', '=', merchantId)
      .where('r.store_id', '=', storeId)
      .where('r.status', '=', 'completed')
      .where('r.business_date', '>=', from)
      .where('r.business_date', '<=', to)
      .groupBy('ol.sku_id')
      .execute(),
  ]);
  const out = new Map<string, { qty: number; costFen: number }>();
  for (const r of sold) out.set(r.sku_id, { qty: Number(r.qty), costFen: Number(r.cost) });
  for (const r of returned) {
    const s = out.get(r.sku_id) ?? { qty: 0, costFen: 0 };
    out.set(r.sku_id, { qty: s.qty - Number(r.qty), costFen: s.costFen - Number(r.cost) });
  }
  return out;
}

/** Units sold per SKU per business day over a range (gross, as demand), for the seasonal suggestion. */
export async function dailyUnits(db: Kysely<DB>, merchantId: string, storeId: string, from: string, to: string) {
  const rows = await db
    .selectFrom('order_lines as ol')
    .innerJoin('orders as o', 'o.id', 'ol.order_id')
    .select(['ol.sku_id', 'o.business_date', sql<number>`sum(ol.qty)::bigint`.as('qty')])
    .where('o.merchant_id', '=', merchantId)
    .where('o.store_id', '=', storeId)
    .where('o.status', 'in', sold_statuses)
    .where('o.business_date', '>=', from)
    .where('o.business_date', '<=', to)
    .groupBy(['ol.sku_id', 'o.business_date'])
    .execute();
  return rows.map((r) => ({ skuId: r.sku_id, day: r.business_date, qty: Number(r.qty) }));
}

/** Per-SKU health sums for a store over [from, to], slow-moving judged over the last `slowDays` days. */
export async function skuSums(db: Kysely<DB>, merchantId: string, storeId: string, skus: SkuInfo[], from: string, to: string, slowFrom: string): Promise<Map<string, HealthSums>> {
  const [stock, sales, recent] = await Promise.all([dailyStock(db, storeId, from, to), salesBySku(db, merchantId, storeId, from, to), salesBySku(db, merchantId, storeId, slowFrom, to)]);
  const out = new Map<string, HealthSums>();
  for (const s of skus) {
    const st = stock.get(s.skuId) ?? { onHandDays: 0, stockoutDays: 0, carriedDays: 0, endOnHand: 0 };
    const sale = sales.get(s.skuId) ?? { qty: 0, costFen: 0 };
    const endOnHand = Math.max(0, st.endOnHand);
    const endValueFen = stockValueFen(endOnHand, s.costFen);
    const soldRecently = (recent.get(s.skuId)?.qty ?? 0) > 0;
    out.set(s.skuId, {
      cogsFen: sale.costFen,
      inventoryFenDays: st.onHandDays * s.costFen,
      soldQty: sale.qty,
      endOnHandQty: endOnHand,
      endValueFen,
      slowValueFen: soldRecently ? 0 : endValueFen,
      stockoutDays: s.active ? st.stockoutDays : 0,
      skuDays: s.active ? st.carriedDays : 0,
    });
  }
  return out;
}
