import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../_db/schema.js';
import { tenderLabels } from '../../shared/tender-labels.js';
import { salesReportTitles, type ReportColumn, type ReportRow, type ReportTable, type SalesReportKind } from '../../shared/api/reports.js';
import { addGoodsSums, addOrderSums, goodsColumns, goodsMeasures, orderColumns, orderMeasures, tenderColumns, zeroGoodsSums, zeroOrderSums, type GoodsSums, type OrderSums } from './measures.js';
import { periodStart, periodStarts, splitByMonths, type Granularity } from './period.js';
import { figureLabels, stockValueFen } from '../../shared/figures.js';
import { onHandBySku } from '../_stock/index.js';

export interface ReportScope {
  merchantId: string;
  /** The stores asked for, already checked against the caller's (empty for a manager without stores). */
  storeIds: string[];
  from: string;
  to: string;
  /** The stores are all of the merchant's: SKU figures then come from the merchant-wide rollups. */
  allStores: boolean;
}

/** How many stores the merchant has, so a report over all of them can say it covers the whole business. */
export async function storeCountOf(db: Kysely<DB>, merchantId: string): Promise<number> {
  const stores = await db.selectFrom('stores').select((eb) => eb.fn.countAll<number>().as('n')).where('merchant_id', '=', merchantId).executeTakeFirstOrThrow();
  return Number(stores.n);
}

export const channelLabels: Record<string, string> = { counter: '柜台', self_service: '自助' };
const no_assistant_label = '（无店员）';

const n = (v: unknown) => Number(v ?? 0);

function inStores(s: ReportScope): RawBuilder<unknown> {
  if (s.storeIds.length === 0) return sql`false`;
  return sql`merchant_id = ${s.merchantId} and store_id in (${sql.join(s.storeIds)})`;
}

const orderSumSql = sql`sum(order_count)::bigint as orders, sum(order_fen)::bigint as sales, sum(returned_fen)::bigint as refunds,
  sum(item_qty)::bigint as items, sum(returned_qty)::bigint as ritems, sum(cost_fen)::bigint as cost, sum(returned_cost_fen)::bigint as rcost`;

function orderSums(r: Record<string, unknown>): OrderSums {
  return { orders: n(r.orders), salesFen: n(r.sales), refundFen: n(r.refunds), items: n(r.items), returnedItems: n(r.ritems), costFen: n(r.cost), returnedCostFen: n(r.rcost) };
}

/**
 * The order rollup summed by one key expression over the scope; `label`
 * turns each group's key into its text once per group rather than once per row.
 */
async function ordersBy(db: Kysely<DB>, s: ReportScope, key: RawBuilder<unknown>, label: (k: RawBuilder<unknown>) => RawBuilder<unknown> = (k) => k): Promise<Map<string, OrderSums>> {
  const { rows } = await sql<Record<string, unknown>>`select ${label(sql`g.k`)} as label, g.* from (select ${key} as k, ${orderSumSql} from report_order_daily
    where ${inStores(s)} and business_date between ${s.from} and ${s.to} group by 1) g`.execute(db);
  return new Map(rows.map((r) => [String(r.label), orderSums(r)]));
}

/**
 * The SKU rollup rows of the scope: whole months from the monthly table, the
 * days around them from the daily one.
 */
function skuSource(s: ReportScope): RawBuilder<unknown> {
  const split = splitByMonths(s.from, s.to);
  const cols = sql`sku_id, category_id, sold_qty, sold_fen, sold_cost_fen, returned_qty, returned_fen, returned_cost_fen`;
  if (s.allStores) {
    const parts: RawBuilder<unknown>[] = split.days.map(([a, b]) => sql`select ${cols} from report_sku_daily_all where merchant_id = ${s.merchantId} and business_date between ${a} and ${b}`);
    if (split.months) parts.push(sql`select ${cols} from report_sku_monthly_all where merchant_id = ${s.merchantId} and month between ${split.months[0]} and ${split.months[1]}`);
    return sql.join(parts, sql` union all `);
  }
  const parts: RawBuilder<unknown>[] = split.days.map(([a, b]) => sql`select ${cols} from report_sku_daily where ${inStores(s)} and business_date between ${a} and ${b}`);
  if (split.months) parts.push(sql`select ${cols} from report_sku_monthly where ${inStores(s)} and month between ${split.months[0]} and ${split.months[1]}`);
  return sql.join(parts, sql` union all `);
}

const goodsSumSql = sql`sum(sold_qty)::bigint as sq, sum(sold_fen)::bigint as sf, sum(sold_cost_fen)::bigint as sc,
  sum(returned_qty)::bigint as rq, sum(returned_fen)::bigint as rf, sum(returned_cost_fen)::bigint as rc`;

function goodsSums(r: Record<string, unknown>): GoodsSums {
  return { soldQty: n(r.sq), soldFen: n(r.sf), soldCostFen: n(r.sc), returnedQty: n(r.rq), returnedFen: n(r.rf), returnedCostFen: n(r.rc) };
}

function table(kind: SalesReportKind, s: ReportScope, columns: ReportColumn[], rows: ReportRow[], total: ReportRow | null, granularity: Granularity | null = null): ReportTable {
  return { report: kind, title: salesReportTitles[kind], from: s.from, to: s.to, storeIds: s.storeIds, granularity, columns, rows, total };
}

function sumOf(values: Iterable<OrderSums>): OrderSums {
  let t = zeroOrderSums;
  for (const v of values) t = addOrderSums(t, v);
  return t;
}

/**
 * The period's figures: one row per business day (days without sales
 * included, so the export reads as a ledger of the period) and the total.
 */
export async function summaryReport(db: Kysely<DB>, s: ReportScope): Promise<ReportTable> {
  const by = await ordersBy(db, s, sql`business_date`, (k) => sql`to_char(${k}, 'YYYY-MM-DD')`);
  const rows = periodStarts(s.from, s.to, 'day').map((day) => ({ period: day, ...orderMeasures(by.get(day) ?? zeroOrderSums) }));
  return table('summary', s, [{ key: 'period', title: '日期', kind: 'text' }, ...orderColumns], rows, orderMeasures(sumOf(by.values())), 'day');
}

export async function trendReport(db: Kysely<DB>, s: ReportScope, g: Granularity): Promise<ReportTable> {
  const key = g === 'day' ? sql`business_date` : sql`date_trunc(${g}, business_date)`;
  const by = await ordersBy(db, s, key, (k) => sql`to_char(${k}, 'YYYY-MM-DD')`);
  const rows = periodStarts(s.from, s.to, g).map((p) => ({ period: g === 'month' ? p.slice(0, 7) : p, ...orderMeasures(by.get(periodStart(p, g)) ?? zeroOrderSums) }));
  const col: ReportColumn = { key: 'period', title: g === 'day' ? '日期' : g === 'week' ? '周（周一起）' : '月份', kind: 'text' };
  return table('trend', s, [col, ...orderColumns], rows, orderMeasures(sumOf(by.values())), g);
}

/** Per store side by side, every store in scope even without sales, and the total over them (the HQ view). */
export async function storeReport(db: Kysely<DB>, s: ReportScope): Promise<ReportTable> {
  const by = await ordersBy(db, s, sql`store_id`);
  if (s.storeIds.length === 0) return table('store', s, [{ key: 'store', title: '门店', kind: 'text' }, ...orderColumns], [], orderMeasures(zeroOrderSums));
  const stores = await db.selectFrom('stores').select(['id', 'code', 'name']).where('merchant_id', '=', s.merchantId).where('id', 'in', s.storeIds).orderBy('code').execute();
  const rows = stores.map((st) => ({ storeId: st.id, store: `${st.name}（${st.code}）`, ...orderMeasures(by.get(st.id) ?? zeroOrderSums) }));
  return table('store', s, [{ key: 'store', title: '门店', kind: 'text' }, ...orderColumns], rows, orderMeasures(sumOf(by.values())));
}

export async function assistantReport(db: Kysely<DB>, s: ReportScope): Promise<ReportTable> {
  const by = await ordersBy(db, s, sql`staff_id`);
  const ids = [...by.keys()].filter((id) => id !== '');
  const names = new Map((ids.length ? await db.selectFrom('staff').select(['id', 'name']).where('merchant_id', '=', s.merchantId).where('id', 'in', ids).execute() : []).map((r) => [r.id, r.name]));
  const rows = [...by]
    .map(([id, sums]) => ({ staffId: id, assistant: id === '' ? no_assistant_label : (names.get(id) ?? id), ...orderMeasures(sums) }))
    .sort((a, b) => b.netSalesFen - a.netSalesFen || (a.staffId < b.staffId ? -1 : 1));
  return table('assistant', s, [{ key: 'assistant', title: '店员', kind: 'text' }, ...orderColumns], rows, orderMeasures(sumOf(by.values())));
}

export async function channelReport(db: Kysely<DB>, s: ReportScope): Promise<ReportTable> {
  const by = await ordersBy(db, s, sql`channel`);
  const rows = [...by].sort(([a], [b]) => (a < b ? -1 : 1)).map(([ch, sums]) => ({ channelCode: ch, channel: channelLabels[ch] ?? ch, ...orderMeasures(sums) }));
  return table('channel', s, [{ key: 'channel', title: '渠道', kind: 'text' }, ...orderColumns], rows, orderMeasures(sumOf(by.values())));
}

export async function tenderReport(db: Kysely<DB>, s: ReportScope): Promise<ReportTable> {
  const { rows } = await sql<Record<string, unknown>>`select method, sum(taken_count)::bigint as tc, sum(taken_fen)::bigint as tf, sum(refund_count)::bigint as rc, sum(refunded_fen)::bigint as rf
    from report_tender_daily where ${inStores(s)} and business_date between ${s.from} and ${s.to} group by method order by method`.execute(db);
  const out = rows.map((r) => ({ method: String(r.method), tender: tenderLabels[String(r.method)] ?? String(r.method), takenCount: n(r.tc), takenFen: n(r.tf), refundCount: n(r.rc), refundedFen: n(r.rf), netFen: n(r.tf) - n(r.rf) }));
  const total = out.reduce((t, r) => ({ tender: '合计', takenCount: t.takenCount + r.takenCount, takenFen: t.takenFen + r.takenFen, refundCount: t.refundCount + r.refundCount, refundedFen: t.refundedFen + r.refundedFen, netFen: t.netFen + r.netFen }), { tender: '合计', takenCount: 0, takenFen: 0, refundCount: 0, refundedFen: 0, netFen: 0 });
  return table('tender', s, tenderColumns, out, total);
}

export async function categoryReport(db: Kysely<DB>, s: ReportScope): Promise<ReportTable> {
  const { rows } = await sql<Record<string, unknown>>`select g.category_id, c.name, g.* from (
      select category_id, ${goodsSumSql} from (${skuSource(s)}) src group by category_id) g
    left join categories c on c.id = g.category_id`.execute(db);
  let total = zeroGoodsSums;
  const out = rows.map((r) => {
    const sums = goodsSums(r);
    total = addGoodsSums(total, sums);
    return { categoryId: String(r.category_id), category: String(r.name ?? r.category_id), ...goodsMeasures(sums) };
  });
  out.sort((a, b) => b.netSalesFen - a.netSalesFen || (a.categoryId < b.categoryId ? -1 : 1));
  return table('category', s, [{ key: 'category', title: '品类', kind: 'text' }, ...goodsColumns], out, goodsMeasures(total));
}

const skuTextColumns: ReportColumn[] = [
  { key: 'product', title: '商品', kind: 'text' },
  { key: 'spec', title: '规格', kind: 'text' },
  { key: 'barcode', title: '条码', kind: 'text' },
];

interface SkuRow extends ReportRow {
  skuId: string;
  product: string;
  spec: string;
  barcode: string;
  netQty: number;
  netSalesFen: number;
}

/** Every SKU sold or returned in the scope, with its current name, spec and barcode. */
async function skuRows(db: Kysely<DB>, s: ReportScope): Promise<{ rows: SkuRow[]; total: GoodsSums }> {
  const { rows } = await sql<Record<string, unknown>>`select g.*, p.name, k.spec, k.barcode from (
      select sku_id, ${goodsSumSql} from (${skuSource(s)}) src group by sku_id) g
    join skus k on k.id = g.sku_id join products p on p.id = k.product_id`.execute(db);
  let total = zeroGoodsSums;
  const out = rows.map((r) => {
    const sums = goodsSums(r);
    total = addGoodsSums(total, sums);
    return { skuId: String(r.sku_id), product: String(r.name), spec: specText(r.spec), barcode: String(r.barcode), ...goodsMeasures(sums) } as SkuRow;
  });
  return { rows: out, total };
}

function specText(spec: unknown): string {
  const value = typeof spec === 'string' ? (JSON.parse(spec) as Record<string, string>) : ((spec ?? {}) as Record<string, string>);
  return Object.values(value).join(' / ');
}

const byNetSales = (a: SkuRow, b: SkuRow) => b.netSalesFen - a.netSalesFen || b.netQty - a.netQty || (a.skuId < b.skuId ? -1 : 1);

export async function skuReport(db: Kysely<DB>, s: ReportScope, limit: number): Promise<ReportTable> {
  const { rows, total } = await skuRows(db, s);
  return table('sku', s, [...skuTextColumns, ...goodsColumns], rows.sort(byNetSales).slice(0, limit), goodsMeasures(total));
}

/** Best sellers: most pieces sold net of returns, then net sales. */
export async function bestReport(db: Kysely<DB>, s: ReportScope, limit: number): Promise<ReportTable> {
  const { rows } = await skuRows(db, s);
  const best = rows.filter((r) => r.netQty > 0).sort((a, b) => b.netQty - a.netQty || byNetSales(a, b));
  return table('best', s, [...skuTextColumns, ...goodsColumns], best.slice(0, limit), null);
}

/**
 * Slow sellers: the merchant's active SKUs with the fewest pieces sold net,
 * those that sold none first, each with its stock on hand in the scope's
 * stores now and that stock's value at cost (库存金额, `shared/figures.ts`),
 * which is what a slow seller costs the shop.
 */
export async function slowReport(db: Kysely<DB>, s: ReportScope, limit: number): Promise<ReportTable> {
  const { rows } = await skuRows(db, s);
  const sold = new Map(rows.map((r) => [r.skuId, r]));
  const active = await db
    .selectFrom('skus')
    .innerJoin('products', 'products.id', 'skus.product_id')
    .select(['skus.id', 'skus.spec', 'skus.barcode', 'products.name'])
    .where('skus.merchant_id', '=', s.merchantId)
    .where('skus.active', '=', true)
    .where('products.active', '=', true)
    .execute();
  const all = active.map((k) => sold.get(k.id) ?? ({ skuId: k.id, product: k.name, spec: specText(k.spec), barcode: k.barcode, ...goodsMeasures(zeroGoodsSums) } as SkuRow));
  all.sort((a, b) => a.netQty - b.netQty || a.netSalesFen - b.netSalesFen || (a.skuId < b.skuId ? -1 : 1));
  const shown = all.slice(0, limit);
  const stock = await stockOf(db, s, shown.map((r) => r.skuId));
  const out = shown.map((r) => ({ ...r, onHand: stock.get(r.skuId)?.onHand ?? 0, stockValueFen: stock.get(r.skuId)?.valueFen ?? 0 }));
  return table('slow', s, [...skuTextColumns, ...slowStockColumns, ...goodsColumns], out, null);
}

const slowStockColumns: ReportColumn[] = [
  { key: 'onHand', title: figureLabels.onHand, kind: 'int' },
  { key: 'stockValueFen', title: figureLabels.stockValueFen, kind: 'fen' },
];

/**
 * Pieces on hand now per SKU over the scope's stores, and their 库存金额 at the
 * SKU's cost price, the same unit cost 库存健康度 values stock at.
 */
async function stockOf(db: Kysely<DB>, s: ReportScope, skuIds: string[]): Promise<Map<string, { onHand: number; valueFen: number }>> {
  const onHand = await onHandBySku(db, s.storeIds, skuIds);
  if (onHand.size === 0) return new Map();
  const costs = await db.selectFrom('skus').select(['id', 'cost_fen']).where('merchant_id', '=', s.merchantId).where('id', 'in', [...onHand.keys()]).execute();
  return new Map(costs.map((c) => [c.id, { onHand: onHand.get(c.id) ?? 0, valueFen: stockValueFen(onHand.get(c.id) ?? 0, c.cost_fen) }]));
}
