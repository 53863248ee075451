import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { DB } from '../api/_db/schema';
import { rebuildRollups, rollupReturn, rollupSale } from '../api/_reports/rollups';
import { sold_statuses } from '../api/_reports/today';
import { newId } from '../shared/ids';
import { businessDate } from '../api/_kernel/clock';
import { addDays } from '../api/_reports/period';

export const bench_report_stores = 20;
export const bench_report_skus = 600;
export const bench_report_assistants_per_store = 4;
/** Order lines per sale on average: 1 to 5 lines, 30/25/20/15/10 %. */
export const bench_report_lines_per_order = 2.5;
/** The year the generated sales cover, up to today in Beijing (the boss's today screens then read the last day). */
export const bench_report_to = businessDate(new Date());
export const bench_report_from = addDays(bench_report_to, -364);

const log = (msg: string) => process.stderr.write(`report-data: ${msg}\n`);

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const out = await run();
  log(`${label} ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return out;
}

/**
 * Grows the demo merchant to bench_report_stores stores with
 * bench_report_assistants_per_store assistants each and bench_report_skus
 * SKUs, once; returns the merchant and the store ids.
 */
export async function prepareMerchant(client: pg.Client, anyStoreId: string): Promise<{ merchantId: string; storeIds: string[] }> {
  const merchantId = (await client.query(`select merchant_id from stores where id = $1`, [anyStoreId])).rows[0].merchant_id as string;
  const have = Number((await client.query(`select count(*) from stores where merchant_id = $1`, [merchantId])).rows[0].count);
  const newStores = Array.from({ length: bench_report_stores - have }, () => newId('store'));
  await client.query(
    `insert into stores (id, merchant_id, code, name) select s, $1, 'BENCH' || lpad(n::text, 3, '0'), '压测门店' || n from unnest($2::text[]) with ordinality as t(s, n)`,
    [merchantId, newStores],
  );
  const storeIds = (await client.query(`select id from stores where merchant_id = $1 order by id`, [merchantId])).rows.map((r) => r.id as string);
  const staff = storeIds.flatMap((s) => Array.from({ length: bench_report_assistants_per_store }, () => ({ id: newId('staff'), store: s })));
  await client.query(`insert into staff (id, merchant_id, name, role) select id, $1, '压测店员' || n, 'assistant' from unnest($2::text[]) with ordinality as t(id, n)`, [merchantId, staff.map((x) => x.id)]);
  await client.query(`insert into staff_stores (merchant_id, staff_id, store_id) select $1, a, b from unnest($2::text[], $3::text[]) as t(a, b)`, [merchantId, staff.map((x) => x.id), staff.map((x) => x.store)]);
  const skuCount = Number((await client.query(`select count(*) from skus where merchant_id = $1`, [merchantId])).rows[0].count);
  const categoryIds = (await client.query(`select id from categories where merchant_id = $1 order by id`, [merchantId])).rows.map((r) => r.id as string);
  const extra = Array.from({ length: Math.max(0, bench_report_skus - skuCount) }, (_, i) => ({ product: newId('product'), sku: newId('sku'), n: i, category: categoryIds[i % categoryIds.length]! }));
  await client.query(
    `insert into products (id, merchant_id, category_id, name) select p, $1, c, '压测商品' || n from unnest($2::text[], $3::text[], $4::int[]) as t(p, c, n)`,
    [merchantId, extra.map((x) => x.product), extra.map((x) => x.category), extra.map((x) => x.n)],
  );
  await client.query(
    `insert into skus (id, merchant_id, product_id, barcode, retail_price_fen, member_price_fen, cost_fen)
     select s, $1, p, '77' || lpad(n::text, 11, '0'), 100 + (n * 37) % 9900, 100 + (n * 37) % 9900, (100 + (n * 37) % 9900) * 6 / 10 from unnest($2::text[], $3::text[], $4::int[]) as t(s, p, n)`,
    [merchantId, extra.map((x) => x.sku), extra.map((x) => x.product), extra.map((x) => x.n)],
  );
  return { merchantId, storeIds };
}

/** A uniform number in [0, 1) from a hash of the expression and a salt: the same data on every run, and no parallel-plan ordering involved. */
const u = (expr: string, salt: number) => `((hashint8extended((${expr})::bigint, ${salt}) & 4503599627370495)::float8 / 4503599627370496.0)`;

/**
 * Adds about `lines` order lines to the year, in set-based SQL on the bench's
 * own server:
 * - sales per store and day follow the store's size (the biggest store sells
 *   about 4× the smallest), the weekday (weekends busier) and the season (the
 *   New Year and 双十一 weeks busier), 09:00–21:00 Beijing;
 * - 1–5 lines a sale, 1–3 pieces a line (mostly 1); the SKU is drawn with a
 *   skewed popularity (the top 10% of SKUs sell about half the lines), one
 *   line in 12 at the member price;
 * - 10% of sales are self-service (no assistant, WeChat or Alipay); counter
 *   sales are shared unevenly between the store's assistants and paid by
 *   WeChat 45%, Alipay 30%, cash 15%, bank card 6%, e-CNY 4%;
 * - about 2.5% of sales bring one piece of their first line back 0–6 days
 *   later (those that would come after today do not exist yet), refunded to
 *   the sale's tender.
 * Then the rollups are rebuilt from the raw records by the application's own
 * rebuild (api/_reports/rollups.ts), the same SQL the sale and return hooks
 * run; checkRollupSample then replays a sample through those hooks.
 * `batch` keeps the ids of separate calls apart. Foreign-key triggers are
 * skipped for the load (session_replication_role), which needs the bench's
 * own superuser server; every key is generated to match anyway.
 */
export async function addSales(url: string, merchantId: string, batch: number, lines: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`set session_replication_role = replica`);
    await client.query(`set work_mem = '256MB'`);
    await client.query(`set timezone = 'UTC'`);
    await client.query(`set maintenance_work_mem = '512MB'`);
    const orders = Math.round(lines / bench_report_lines_per_order);
    const p = `b${batch}`;
    await client.query(`drop table if exists bench_orders, bench_lines`);
    // The sales, numbered in time order per day and store (as real ids grow), so every insert below appends to its primary key.
    await timed(`${p} orders planned`, () =>
      client.query(
        `create temp table bench_orders as
         with st as (
           select s.id, s.sn, 0.5 + 1.5 * ${u('s.sn', 11)} as size,
                  (select array_agg(f.staff_id order by f.staff_id) from staff_stores f join staff x on x.id = f.staff_id where f.store_id = s.id and x.role = 'assistant') as staff
           from (select id, row_number() over (order by id) as sn from stores where merchant_id = $1) s
         ), dy as (
           select d::date as day, extract(isodow from d) as dow, extract(month from d) as m, extract(day from d) as dd from generate_series($3::date, $4::date, interval '1 day') d
         ), w as (
           select st.id, st.sn, st.staff, dy.day,
                  st.size * (case when dy.dow in (6, 7) then 1.35 when dy.dow = 5 then 1.1 else 0.9 end)
                           * (case when (dy.m = 11 and dy.dd between 9 and 12) or (dy.m = 12 and dy.dd >= 24) or (dy.m = 1 and dy.dd <= 3) then 1.6 else 1 end) as w
           from st, dy
         ), n as (select w.*, round($2::float8 * w / sum(w) over ())::int as n from w)
         select row_number() over (order by day, sn, i) as o, n.id as store_id, n.day as business_date, n.staff, i
         from n, generate_series(1, n.n) i`,
        [merchantId, orders, bench_report_from, bench_report_to],
      ),
    );
    await timed(`${p} order attributes`, () =>
      client.query(
        `create temp table bench_sales as
         select o, 'ord_${p}_' || lpad(o::text, 12, '0') as order_id, store_id, business_date,
                (business_date::timestamp + interval '1 hour' + ${u('o', 1)} * interval '12 hours') at time zone 'UTC' as paid_at,
                case when ${u('o', 2)} < 0.1 then 'self_service' else 'counter' end as channel,
                case when ${u('o', 2)} < 0.1 then null else staff[1 + floor(array_length(staff, 1) * ${u('o', 3)} ^ 1.6)::int] end as staff_id,
                case when ${u('o', 2)} < 0.1 then (case when ${u('o', 4)} < 0.6 then 'wechat' else 'alipay' end)
                     else (select m from (values (0.45, 'wechat'), (0.75, 'alipay'), (0.90, 'cash'), (0.96, 'card'), (1.01, 'ecny')) v(c, m) where ${u('o', 4)} < c order by c limit 1) end as method,
                1 + (select count(*) from unnest(array[0.30, 0.55, 0.75, 0.90]) c where ${u('o', 5)} >= c)::int as nlines,
                ${u('o', 6)} < 0.025 and business_date + floor(7 * ${u('o', 7)})::int <= $1::date as returned,
                business_date + floor(7 * ${u('o', 7)})::int as return_date
         from bench_orders`,
        [bench_report_to],
      ),
    );
    await client.query(`drop table bench_orders`);
    await timed(`${p} lines planned`, () =>
      client.query(
        `create temp table bench_lines as
         with k as (
           select array_agg(k.id order by hashint8extended(n, 5)) as skus, array_agg(k.retail_price_fen order by hashint8extended(n, 5)) as prices,
                  array_agg(k.member_price_fen order by hashint8extended(n, 5)) as member, array_agg(k.cost_fen order by hashint8extended(n, 5)) as costs,
                  array_agg(p.category_id order by hashint8extended(n, 5)) as cats, array_agg(p.name order by hashint8extended(n, 5)) as names,
                  array_agg(coalesce((select string_agg(v, ' / ') from jsonb_each_text(k.spec) as e(kk, v)), '') order by hashint8extended(n, 5)) as specs,
                  count(*)::int as n
           from (select k.*, row_number() over (order by k.id) as n from skus k where k.merchant_id = $1) k join products p on p.id = k.product_id
         )
         select s.o, li, s.order_id, k.skus[x] as sku_id, k.cats[x] as category_id, k.names[x] as product_name, k.specs[x] as spec, q as qty,
                k.prices[x] as unit_fen, k.prices[x] * q as list_fen, (case when ${u('s.o * 8 + li', 9)} < 1.0 / 12 then k.member[x] else k.prices[x] end) * q as net_fen, k.costs[x] * q as cost_fen
         from bench_sales s cross join k, generate_series(0, s.nlines - 1) li,
              lateral (select 1 + floor(k.n * ${u('s.o * 8 + li', 8)} ^ 3)::int as x,
                              (case when ${u('s.o * 8 + li', 10)} < 0.75 then 1 when ${u('s.o * 8 + li', 10)} < 0.93 then 2 else 3 end) as q) pick
         order by s.o, li`,
        [merchantId],
      ),
    );
    await timed(`${p} orders`, () =>
      client.query(
        `insert into orders (id, merchant_id, store_id, staff_id, channel, status, total_fen, subtotal_list_fen, discount_fen, refunded_fen, business_date, created_at, paid_at)
         select s.order_id, $1, s.store_id, s.staff_id, s.channel,
                case when not s.returned then 'paid' when t.total = r.net_fen / r.qty then 'refunded' else 'partially_refunded' end,
                t.total, t.list, t.list - t.total, case when s.returned then r.net_fen / r.qty else 0 end, s.business_date, s.paid_at, s.paid_at
         from bench_sales s
         join (select o, sum(net_fen) as total, sum(list_fen) as list from bench_lines group by o) t on t.o = s.o
         left join bench_lines r on r.o = s.o and r.li = 0
         order by s.o`,
        [merchantId],
      ),
    );
    await timed(`${p} order lines`, () =>
      client.query(
        `insert into order_lines (id, merchant_id, order_id, line_index, sku_id, product_name, spec, category_id, qty, unit_list_fen, list_fen, net_fen, cost_fen, returned_qty, returned_fen)
         select 'orl_${p}_' || lpad(l.o::text, 12, '0') || '_' || l.li, $1, l.order_id, l.li, l.sku_id, l.product_name, l.spec, l.category_id, l.qty, l.unit_fen, l.list_fen, l.net_fen, l.cost_fen,
                case when s.returned and l.li = 0 then 1 else 0 end, case when s.returned and l.li = 0 then l.net_fen / l.qty else 0 end
         from bench_lines l join bench_sales s on s.o = l.o
         order by l.o, l.li`,
        [merchantId],
      ),
    );
    await timed(`${p} tenders`, () =>
      client.query(
        `insert into order_tenders (id, merchant_id, order_id, store_id, method, amount_fen, business_date, created_at)
         select 'tnd_${p}_' || lpad(s.o::text, 12, '0'), $1, s.order_id, s.store_id, s.method, t.total, s.business_date, s.paid_at
         from bench_sales s join (select o, sum(net_fen) as total from bench_lines group by o) t on t.o = s.o
         where t.total > 0
         order by s.o`,
        [merchantId],
      ),
    );
    // One piece of the first line back, at its share of the line's amount; the sale's own tender refunds it.
    const ownerId = (await client.query(`select id from staff where merchant_id = $1 and role = 'owner' limit 1`, [merchantId])).rows[0].id;
    await timed(`${p} returns`, async () => {
      await client.query(
        `create temp table bench_returns as
         select s.o, 'ret_${p}_' || lpad(s.o::text, 12, '0') as return_id, s.order_id, s.store_id, s.method, s.return_date, s.paid_at,
                'orl_${p}_' || lpad(s.o::text, 12, '0') || '_0' as line_id, l.net_fen / l.qty as fen
         from bench_sales s join bench_lines l on l.o = s.o and l.li = 0
         where s.returned and l.net_fen / l.qty > 0`,
      );
      await client.query(
        `insert into returns (id, merchant_id, store_id, order_id, client_return_id, request_hash, status, amount_fen, reason, requested_by, business_date, created_at)
         select return_id, $1, store_id, order_id, return_id, 'bench', 'completed', fen, '压测退货', $2, return_date, return_date + (paid_at - date_trunc('day', paid_at)) from bench_returns order by o`,
        [merchantId, ownerId],
      );
      await client.query(`insert into return_lines (return_id, order_line_id, qty, amount_fen) select return_id, line_id, 1, fen from bench_returns order by o`);
      await client.query(`insert into return_refunds (return_id, line_no, method, amount_fen) select return_id, 0, method, fen from bench_returns order by o`);
    });
    await client.query(`drop table bench_sales, bench_lines, bench_returns`);
  } finally {
    await client.end();
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1, options: '-c work_mem=256MB' }) }) });
  try {
    await timed(`${batch} rollups rebuilt`, () => rebuildRollups(db, merchantId));
  } finally {
    await db.destroy();
  }
  const c2 = new pg.Client({ connectionString: url });
  await c2.connect();
  await timed('vacuum analyze', () => c2.query('vacuum analyze'));
  await c2.end();
}

type Rows = Map<string, number[]>;

/** The store and day with the most returns completed in the last month of the data: a sample with sales and returns to replay. */
export async function sampleStoreDay(url: string, merchantId: string): Promise<{ storeId: string; day: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select store_id, to_char(business_date, 'YYYY-MM-DD') as day from returns where merchant_id = $1 and status = 'completed' and business_date between $2::date - 30 and $2::date - 1
       group by 1, 2 order by count(*) desc, 1, 2 limit 1`,
      [merchantId, bench_report_to],
    );
    return { storeId: rows[0].store_id, day: rows[0].day };
  } finally {
    await client.end();
  }
}

/**
 * Checks the bulk-built rollups against the application's incremental hooks
 * for one store and day: inside a transaction that is rolled back, every sale
 * of that store and day goes through rollupSale and every return completed
 * there that day through rollupReturn, as checkout and returns run them. Each
 * rollup row the sample touches must grow by exactly what the rebuild had put
 * in that store's day (so the rebuild and the hooks agree), and the monthly
 * and merchant-wide rows by the same SKU figures. Returns the counts replayed.
 */
export async function checkRollupSample(url: string, merchantId: string, storeId: string, day: string): Promise<{ sales: number; returns: number }> {
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
  const month = `${day.slice(0, 7)}-01`;
  const goods = `sold_qty, sold_fen, sold_cost_fen, returned_qty, returned_fen, returned_cost_fen`;
  const queries: Record<string, string> = {
    order: `select staff_id || '|' || channel as k, order_count, order_fen, item_qty, goods_fen, cost_fen, return_count, returned_qty, returned_fen, returned_cost_fen from report_order_daily where store_id = $1 and business_date = $2`,
    tender: `select method as k, taken_count, taken_fen, refund_count, refunded_fen from report_tender_daily where store_id = $1 and business_date = $2`,
    skuDaily: `select sku_id || '|' || category_id as k, ${goods} from report_sku_daily where store_id = $1 and business_date = $2`,
    skuDailyAll: `select sku_id || '|' || category_id as k, ${goods} from report_sku_daily_all where merchant_id = $3 and business_date = $2`,
    skuMonthly: `select sku_id || '|' || category_id as k, ${goods} from report_sku_monthly where store_id = $1 and month = $4`,
    skuMonthlyAll: `select sku_id || '|' || category_id as k, ${goods} from report_sku_monthly_all where merchant_id = $3 and month = $4`,
  };
  const read = async (q: Kysely<DB>): Promise<Record<string, Rows>> => {
    const out: Record<string, Rows> = {};
    for (const [name, text] of Object.entries(queries)) {
      const { rows } = await sql.raw<Record<string, unknown>>(text.replace('$1', `'${storeId}'`).replace('$2', `'${day}'`).replace('$3', `'${merchantId}'`).replace('$4', `'${month}'`)).execute(q);
      out[name] = new Map(rows.map((r) => [String(r.k), Object.entries(r).filter(([c]) => c !== 'k').map(([, v]) => Number(v))]));
    }
    return out;
  };
  const delta = (after: Rows, before: Rows): Rows => new Map([...after].map(([k, v]) => [k, v.map((x, i) => x - (before.get(k)?.[i] ?? 0))] as [string, number[]]).filter(([, v]) => v.some((x) => x !== 0)));
  const same = (a: Rows, b: Rows) => a.size === b.size && [...a].every(([k, v]) => b.get(k)?.every((x, i) => x === v[i]));
  const rollback = new Error('rollback');
  let counts = { sales: 0, returns: 0 };
  try {
    await db.transaction().execute(async (trx) => {
      const before = await read(trx);
      const sales = await trx.selectFrom('orders').select('id').where('store_id', '=', storeId).where('business_date', '=', day).where('status', 'in', sold_statuses).execute();
      const returns = await sql<{ id: string }>`select id from returns r where r.store_id = ${storeId} and r.status = 'completed'
        and coalesce((r.decided_at at time zone 'Asia/Shanghai')::date, r.business_date) = ${day}`.execute(trx);
      for (const o of sales) await rollupSale(trx, o.id);
      for (const r of returns.rows) await rollupReturn(trx, r.id);
      counts = { sales: sales.length, returns: returns.rows.length };
      const after = await read(trx);
      for (const name of Object.keys(queries)) {
        const own = name === 'order' || name === 'tender' ? before[name]! : before.skuDaily!;
        if (!same(delta(after[name]!, before[name]!), own)) throw new Error(`rollup sample ${storeId} ${day}: ${name} replayed through the sale and return hooks differs from the bulk rebuild`);
      }
      throw rollback;
    });
  } catch (e) {
    if (e !== rollback) throw e;
  } finally {
    await db.destroy();
  }
  if (counts.sales === 0) throw new Error(`rollup sample ${storeId} ${day}: no sales to replay`);
  return counts;
}
