import autocannon from 'autocannon';
import pg from 'pg';
import { startPostgres } from '../tools/testenv/postgres';
import { ean13 } from '../shared/barcode';
import { newId } from '../shared/ids';
import { startChild } from './child';
import { figure, type Figure } from './figure';

export const catalog_skus = 20_000;
export const barcode_p99_limit_ms = 5;
const lookup_seconds = 8;
// One scanner at a time, as a counter scans: the figure is the lookup's own latency, not queueing on a saturated two-core machine.
const lookup_clients = 1;

interface StackInfo {
  url: string;
  token: string;
  storeId: string;
}

/** Adds SKUs until the merchant's catalog holds catalog_skus, each with a valid EAN-13 and stock. */
export async function growCatalog(url: string, storeId: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const m = await client.query(`select merchant_id, (select id from categories c where c.merchant_id = s.merchant_id limit 1) as category_id from stores s where id = $1`, [storeId]);
    const { merchant_id: merchantId, category_id: categoryId } = m.rows[0];
    const have = Number((await client.query(`select count(*) from skus where merchant_id = $1`, [merchantId])).rows[0].count);
    const rows = [];
    for (let i = 0; i < catalog_skus - have; i++) rows.push({ product: newId('product'), sku: newId('sku'), barcode: ean13(`69${String(50_000_000_000 + i).slice(-10)}`) });
    for (let i = 0; i < rows.length; i += 1000) {
      const batch = rows.slice(i, i + 1000);
      await client.query(
        `insert into products (id, merchant_id, category_id, name, pinyin, unit) select p, $1, $2, '压测商品' || n, 'yccp', '件' from unnest($3::text[], $4::int[]) as t(p, n)`,
        [merchantId, categoryId, batch.map((r) => r.product), batch.map((_, k) => i + k)],
      );
      await client.query(
        `insert into skus (id, merchant_id, product_id, barcode, retail_price_fen, member_price_fen, cost_fen) select s, $1, p, b, 1000, 950, 600 from unnest($2::text[], $3::text[], $4::text[]) as t(s, p, b)`,
        [merchantId, batch.map((r) => r.sku), batch.map((r) => r.product), batch.map((r) => r.barcode)],
      );
      await client.query(
        `insert into stock_levels (merchant_id, store_id, sku_id, on_hand) select $1, $2, s, 10 from unnest($3::text[]) as s`,
        [merchantId, storeId, batch.map((r) => r.sku)],
      );
    }
    await client.query('analyze');
    return (await client.query(`select barcode from skus where merchant_id = $1`, [merchantId])).rows.map((r) => r.barcode as string);
  } finally {
    await client.end();
  }
}

/**
 * The floor: the same product-by-barcode read as one hand-written SQL query
 * on a held connection, one after another, with no HTTP, no token and no
 * principal. On this kind of machine even `select 1` has a p99 of a few ms.
 */
async function rawLookupP99(url: string, storeId: string, barcodes: string[], seconds: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const latencies: number[] = [];
  try {
    const merchant = (await client.query(`select merchant_id from stores where id = $1`, [storeId])).rows[0].merchant_id;
    const end = Date.now() + seconds * 1000;
    let n = 0;
    while (Date.now() < end) {
      const code = barcodes[(n = (n * 7919 + 13) % barcodes.length)];
      const t = performance.now();
      await client.query(
        `select p.id, p.name, s.id as sku_id, s.barcode, s.spec, s.retail_price_fen, s.member_price_fen, coalesce(l.on_hand - l.reserved, 0) as available
         from skus t join products p on p.id = t.product_id join skus s on s.product_id = p.id and s.active
         left join stock_levels l on l.sku_id = s.id and l.store_id = $3
         where t.merchant_id = $1 and t.barcode = $2 and t.active and p.active order by s.id`,
        [merchant, code, storeId],
      );
      latencies.push(performance.now() - t);
    }
  } finally {
    await client.end();
  }
  latencies.sort((a, b) => a - b);
  return latencies[Math.floor(latencies.length * 0.99)] ?? 0;
}

/**
 * barcode_lookup_p99_ms: the counter's scan lookup (token check, principal,
 * SKU, product and store stock) against a 20,000-SKU catalog, one scanner,
 * against the raw query's p99 in the same run; the product's target is 5 ms.
 */
export async function barcodeLookup(): Promise<Figure> {
  const server = await startPostgres();
  try {
    const stack = await startChild<StackInfo>('./servers/stack.ts', { BENCH_DATABASE_URL: server.url });
    try {
      const barcodes = await growCatalog(server.url, stack.info.storeId);
      let n = 0;
      const run = (duration: number) =>
        autocannon({
          url: stack.info.url,
          connections: lookup_clients,
          duration,
          headers: { authorization: `Bearer ${stack.info.token}` },
          requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/stores/${stack.info.storeId}/barcodes/${barcodes[(n = (n * 7919 + 13) % barcodes.length)]}` }) }],
        });
      await run(2);
      const result = await run(lookup_seconds);
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`barcode bench: ${result.non2xx} non-2xx, ${result.errors} errors`);
      const floor = await rawLookupP99(server.url, stack.info.storeId, barcodes, lookup_seconds);
      return figure('barcode_lookup_p99_ms', 'ms', result.latency.p99, floor, {
        target_ms: barcode_p99_limit_ms, skus: barcodes.length, clients: lookup_clients, req_per_s: result.requests.average, p50_ms: result.latency.p50, p90_ms: result.latency.p90, p97_5_ms: result.latency.p97_5, max_ms: result.latency.max });
    } finally {
      stack.stop();
    }
  } finally {
    await new Promise((r) => setTimeout(r, 500));
    await server.stop();
  }
}
