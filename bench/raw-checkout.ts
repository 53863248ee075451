import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { newId } from '../shared/ids';
import { saleRollupCtes } from '../api/_reports/index';

/**
 * The floor for checkout_tps: the same rows a counter sale writes (order in
 * the device's open shift, three lines, a cash tender, three conditional
 * stock updates, three movements, a balanced journal entry, the report
 * rollups and the store's receipt number), as SQL on one pooled connection
 * per client, with no HTTP, no validation and no pricing. The rollups come
 * from the reports module's own statement (rollups are many upserts whose
 * SQL would only drift if copied here), compiled without a database and sent
 * as one prepared statement with the receipt counter, as checkout sends it.
 */
export interface RawContext {
  merchantId: string;
  storeId: string;
  staffId: string;
  /** The counter device whose open shift the sales go into. */
  deviceId: string;
  skus: { id: string; priceFen: number; costFen: number; categoryId: string }[];
}

export async function rawCheckout(client: pg.PoolClient, ctx: RawContext, day: string): Promise<void> {
  const orderId = newId('order');
  const total = ctx.skus.reduce((s, k) => s + k.priceFen, 0);
  const cost = ctx.skus.reduce((s, k) => s + k.costFen, 0);
  await client.query('begin');
  try {
    await client.query(
      `insert into orders (id, merchant_id, store_id, staff_id, channel, status, total_fen, business_date, paid_at, client_order_id, request_hash, receipt_no, subtotal_list_fen, cash_received_fen, change_fen)
       values ($1, $2, $3, $4, 'counter', 'paid', $5, $6, now(), $1, 'raw', $7, $5, $5, 0)`,
      [orderId, ctx.merchantId, ctx.storeId, ctx.staffId, total, day, `RAW-${randomBytes(6).toString('hex')}`],
    );
    await client.query(
      `update orders set shift_id = (select id from shifts where store_id = $2 and device_id = $3 and status = 'open') where id = $1`,
      [orderId, ctx.storeId, ctx.deviceId],
    );
    for (const [i, k] of ctx.skus.entries()) {
      await client.query(
        `insert into order_lines (id, merchant_id, order_id, line_index, sku_id, product_name, category_id, qty, unit_list_fen, list_fen, net_fen, cost_fen) values ($1, $2, $3, $4, $5, 'raw', $6, 1, $7, $7, $7, $8)`,
        [newId('order'), ctx.merchantId, orderId, i, k.id, k.categoryId, k.priceFen, k.costFen],
      );
    }
    await client.query(`insert into order_tenders (id, merchant_id, order_id, store_id, method, amount_fen, business_date) values ($1, $2, $3, $4, 'cash', $5, $6)`, [newId('order'), ctx.merchantId, orderId, ctx.storeId, total, day]);
    for (const k of [...ctx.skus].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const r = await client.query(`update stock_levels set on_hand = on_hand - 1 where store_id = $1 and sku_id = $2 and on_hand - reserved >= 1`, [ctx.storeId, k.id]);
      if (r.rowCount !== 1) throw new Error('raw checkout ran out of stock');
      await client.query(`insert into stock_movements (id, merchant_id, store_id, sku_id, kind, on_hand_delta, ref_id, idempotency_key) values ($1, $2, $3, $4, 'sale', -1, $5, $6)`, [newId('movement'), ctx.merchantId, ctx.storeId, k.id, orderId, `raw:${orderId}:${k.id}`]);
    }
    const entryId = newId('journal');
    await client.query(
      `insert into journal_entries (id, merchant_id, store_id, event_key, content_hash, memo, business_date, line_count, total_fen) values ($1, $2, $3, $4, $5, '销售', $6, 4, $7)`,
      [entryId, ctx.merchantId, ctx.storeId, `sale:${orderId}`, randomBytes(32).toString('hex'), day, total + cost],
    );
    await client.query(
      `insert into journal_lines (entry_id, line_no, merchant_id, account, debit_fen, credit_fen) values ($1, 1, $2, 'cash', $3, 0), ($1, 2, $2, 'sales_revenue', 0, $3), ($1, 3, $2, 'cost_of_goods', $4, 0), ($1, 4, $2, 'inventory', 0, $4)`,
      [entryId, ctx.merchantId, total, cost],
    );
    const numbered = rollupsAndReceipt(orderId, ctx.storeId, day);
    await client.query({ name: 'raw-rollups-receipt', text: numbered.sql, values: [...numbered.parameters] });
    await client.query('commit');
  } catch (e) {
    await client.query('rollback');
    throw e;
  }
}

/** Kysely only to compile SQL text: it never connects. */
const compiler = new Kysely<unknown>({
  dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() },
});

/** The rollups and the receipt number in one statement, as checkout sends them (the member floor uses it too). */
export function rollupsAndReceipt(orderId: string, storeId: string, day: string) {
  const { ctes, written } = saleRollupCtes(orderId);
  return sql`with ${ctes}, c as (
      insert into receipt_counters (store_id, business_date, last_no) select ${storeId}::text, ${day}::date, 1 where ${written}
      on conflict (store_id, business_date) do update set last_no = receipt_counters.last_no + 1
      returning last_no
    )
    update orders set receipt_no = ${'RAW-'} || c.last_no::text, receipt_token = ${randomBytes(16).toString('base64url')}::text from c where orders.id = ${orderId}`.compile(compiler);
}

/** Runs `clients` loops of rawCheckout for `seconds`; returns transactions per second and p99 latency. */
export function rawLoad(url: string, ctx: RawContext, day: string, clients: number, seconds: number): Promise<{ tps: number; p99Ms: number }> {
  return rawLoop(url, clients, seconds, (client) => rawCheckout(client, ctx, day));
}

/** Runs `clients` loops of one floor transaction, each on its own pooled connection, for `seconds`. */
export async function rawLoop(url: string, clients: number, seconds: number, once: (client: pg.PoolClient) => Promise<void>): Promise<{ tps: number; p99Ms: number }> {
  const pool = new pg.Pool({ connectionString: url, max: clients });
  const latencies: number[] = [];
  const end = Date.now() + seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        const client = await pool.connect();
        try {
          while (Date.now() < end) {
            const t = performance.now();
            await once(client);
            latencies.push(performance.now() - t);
          }
        } finally {
          client.release();
        }
      }),
    );
  } finally {
    await pool.end();
  }
  latencies.sort((a, b) => a - b);
  return { tps: latencies.length / seconds, p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}
