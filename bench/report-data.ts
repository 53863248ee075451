import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { DB } from '../api/_db/schema';
import { rebuildRollups } from '../api/_reports/rollups';
import { newId } from '../shared/ids';

export const bench_report_stores = 20;
export const bench_report_skus = 600;
export const bench_report_assistants_per_store = 3;
/** The year the generated sales cover. */
export const bench_report_from = '2025-11-24';
export const bench_report_to = '2026-11-23';

/**
 * Grows the demo merchant to bench_report_stores stores with assistants and
 * bench_report_skus SKUs, once; returns the merchant and the store ids.
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

/**
 * Adds about `lines` order lines spread evenly over the year and the stores
 * (1–4 lines a sale, 1–3 pieces a line, one tender, about 3% of sales with a
 * line returned), in bulk SQL, then rebuilds the rollups from them as the
 * sale and return hooks would have kept them. `batch` keeps the ids of
 * separate calls apart. Foreign-key triggers are skipped for the load
 * (session_replication_role), which needs the bench's own superuser server.
 */
export async function addSales(url: string, merchantId: string, batch: number, lines: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`set session_replication_role = replica`);
    await client.query(`set work_mem = '256MB'`);
    const orders = Math.round(lines / 2.5);
    const p = `b${batch}`;
    await client.query(`drop table if exists bench_lines`);
    // Deterministic picks from the order number, so a rerun makes the same data: the store from o mod 20, everything else from o / 20, so stores do not share a pattern.
    await client.query(
      `create temp table bench_lines as
       with ctx as (
         select (select array_agg(id order by id) from stores where merchant_id = $1) as stores,
                (select array_agg(k.id order by k.id) from skus k where k.merchant_id = $1) as skus,
                (select array_agg(k.retail_price_fen order by k.id) from skus k where k.merchant_id = $1) as prices,
                (select array_agg(k.cost_fen order by k.id) from skus k where k.merchant_id = $1) as costs,
                (select array_agg(p.category_id order by k.id) from skus k join products p on p.id = k.product_id where k.merchant_id = $1) as cats,
                (select array_agg(p.name order by k.id) from skus k join products p on p.id = k.product_id where k.merchant_id = $1) as names
       )
       select o, li, 'ord_${p}' || lpad(o::text, 23, '0') as order_id,
              ctx.stores[(1 + o % array_length(ctx.stores, 1))::int] as store_id,
              ($3::date + (((o / 20) * 7919) % 365)::int) as business_date,
              ctx.skus[k] as sku_id, ctx.cats[k] as category_id, ctx.names[k] as product_name,
              q as qty, ctx.prices[k] as unit_fen, ctx.prices[k] * q as net_fen, ctx.costs[k] * q as cost_fen
       from ctx, generate_series(1, $2::bigint) o, generate_series(0, ((o / 20) * 31) % 4) li,
            lateral (select (1 + ((o / 20) * 131 + li * 977) % array_length(ctx.skus, 1))::int as k, (1 + (o + li) % 3)::int as q) pick`,
      [merchantId, orders, '2025-11-24'],
    );
    await client.query(
      `insert into orders (id, merchant_id, store_id, staff_id, channel, status, total_fen, business_date, paid_at)
       select l.order_id, $1, l.store_id, st.staff_id,
              case when (l.o / 20) % 10 = 0 then 'self_service' else 'counter' end, 'paid', sum(l.net_fen), l.business_date, l.business_date::timestamp + interval '4 hours'
       from bench_lines l
       join (select store_id, staff_id, (row_number() over (partition by store_id order by staff_id) - 1)::int as idx from staff_stores where merchant_id = $1) st
         on st.store_id = l.store_id and st.idx = l.o % ${bench_report_assistants_per_store}
       group by l.o, l.order_id, l.store_id, l.business_date, st.staff_id`,
      [merchantId],
    );
    await client.query(
      `insert into order_lines (id, merchant_id, order_id, line_index, sku_id, product_name, category_id, qty, unit_list_fen, list_fen, net_fen, cost_fen)
       select 'orl_${p}' || lpad(o::text, 20, '0') || li, $1, order_id, li, sku_id, product_name, category_id, qty, unit_fen, net_fen, net_fen, cost_fen from bench_lines`,
      [merchantId],
    );
    await client.query(
      `insert into order_tenders (id, merchant_id, order_id, store_id, method, amount_fen, business_date)
       select 'tnd_${p}' || lpad(o::text, 23, '0'), $1, order_id, store_id, (array['cash', 'card', 'ecny', 'wechat', 'alipay'])[(1 + (o / 20) % 5)::int], sum(net_fen), business_date
       from bench_lines group by o, order_id, store_id, business_date`,
      [merchantId],
    );
    // About 3% of sales bring their first line back a few days later.
    const staffId = (await client.query(`select id from staff where merchant_id = $1 and role = 'owner' limit 1`, [merchantId])).rows[0].id;
    await client.query(
      `insert into returns (id, merchant_id, store_id, order_id, client_return_id, request_hash, status, amount_fen, reason, requested_by, business_date)
       select 'ret_${p}' || lpad(o::text, 23, '0'), $1, store_id, order_id, 'ret_${p}' || o, 'bench', 'completed', net_fen, '压测退货', $2, least(business_date + 3, $3::date)
       from bench_lines where li = 0 and o % 33 = 0`,
      [merchantId, staffId, bench_report_to],
    );
    await client.query(
      `insert into return_lines (return_id, order_line_id, qty, amount_fen)
       select 'ret_${p}' || lpad(o::text, 23, '0'), 'orl_${p}' || lpad(o::text, 20, '0') || li, qty, net_fen from bench_lines where li = 0 and o % 33 = 0`,
    );
    await client.query(
      `insert into return_refunds (return_id, line_no, method, amount_fen)
       select 'ret_${p}' || lpad(o::text, 23, '0'), 0, (array['cash', 'card', 'ecny', 'wechat', 'alipay'])[(1 + (o / 20) % 5)::int], net_fen from bench_lines where li = 0 and o % 33 = 0`,
    );
    await client.query(`update order_lines l set returned_qty = l.qty, returned_fen = l.net_fen from bench_lines b where b.li = 0 and b.o % 33 = 0 and l.id = 'orl_${p}' || lpad(b.o::text, 20, '0') || b.li`);
    await client.query(
      `update orders o set refunded_fen = b.net_fen, status = case when b.net_fen = o.total_fen then 'refunded' else 'partially_refunded' end
       from bench_lines b where b.li = 0 and b.o % 33 = 0 and o.id = b.order_id`,
    );
    await client.query(`drop table bench_lines`);
  } finally {
    await client.end();
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1, options: '-c work_mem=256MB' }) }) });
  try {
    await rebuildRollups(db, merchantId);
  } finally {
    await db.destroy();
  }
  const c2 = new pg.Client({ connectionString: url });
  await c2.connect();
  await c2.query('vacuum analyze');
  await c2.end();
}
