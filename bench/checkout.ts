import autocannon from 'autocannon';
import pg from 'pg';
import { startPostgres } from '../tools/testenv/postgres';
import { businessDate } from '../api/_kernel/clock';
import { newId } from '../shared/ids';
import { startChild } from './child';
import { figure, type Figure } from './figure';
import { rawLoad, type RawContext } from './raw-checkout';

export const checkout_clients = Number(process.env.BENCH_CLIENTS ?? 4);
export const checkout_seconds = 8;
const stock_for_bench = 1_000_000;

export interface StackInfo {
  url: string;
  token: string;
  storeId: string;
  driver: string;
}

/**
 * checkout_tps: a 3-line cash sale through the whole API (auth, validation,
 * pricing, idempotency, shift, receipt number, stock, journal, rollups) at 4 concurrent
 * clients, against rawLoad's hand-written SQL on the same Postgres server.
 */
export async function checkoutTps(): Promise<Figure[]> {
  const server = await startPostgres();
  try {
    const stack = await startChild<StackInfo>('./servers/stack.ts', { BENCH_DATABASE_URL: server.url });
    try {
      const ctx = await prepare(server.url, stack.info);
      const day = businessDate(new Date());
      const body = (id: string) =>
        JSON.stringify({
          clientOrderId: id,
          storeId: ctx.storeId,
          lines: ctx.skus.map((s) => ({ skuId: s.id, qty: 1 })),
          deviceId: ctx.deviceId,
          tenders: [{ method: 'cash', amountFen: ctx.skus.reduce((a, s) => a + s.priceFen, 0) }],
          expectedTotalFen: ctx.skus.reduce((a, s) => a + s.priceFen, 0),
        });
      const run = (duration: number) =>
        autocannon({
          url: `${stack.info.url}/api/orders`,
          method: 'POST',
          connections: checkout_clients,
          duration,
          headers: { authorization: `Bearer ${stack.info.token}`, 'content-type': 'application/json' },
          requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: body(newId('order')) }) }],
        });
      await run(2);
      const api = await run(checkout_seconds);
      if (api.non2xx > 0 || api.errors > 0) throw new Error(`checkout bench: ${api.non2xx} non-2xx, ${api.errors} errors`);
      await rawLoad(server.url, ctx, day, checkout_clients, 2);
      const raw = await rawLoad(server.url, ctx, day, checkout_clients, checkout_seconds);
      await assertEverySaleInTheShift(server.url);
      return [
        figure('checkout_tps', 'tps', api.requests.average, raw.tps, { clients: checkout_clients, target_ratio: 0.7, db: 'postgres' }),
        figure('checkout_p99_ms', 'ms', api.latency.p99, raw.p99Ms, { clients: checkout_clients }),
      ];
    } finally {
      stack.stop();
    }
  } finally {
    await new Promise((r) => setTimeout(r, 500));
    await server.stop();
  }
}

/** Three SKUs with stock enough for the whole run, through the ledger like any receipt. */
export async function prepare(url: string, info: StackInfo): Promise<RawContext> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const staff = await client.query(`select s.id, s.merchant_id from staff s join staff_identities i on i.staff_id = s.id where i.open_id = 'o_demo_assistant_1'`);
    const skus = await client.query(`select s.id, s.retail_price_fen, s.cost_fen, p.category_id from skus s join products p on p.id = s.product_id order by s.barcode limit 3`);
    for (const s of skus.rows) {
      await client.query(`update stock_levels set on_hand = on_hand + $1 where store_id = $2 and sku_id = $3`, [stock_for_bench, info.storeId, s.id]);
      await client.query(`insert into stock_movements (id, merchant_id, store_id, sku_id, kind, on_hand_delta, idempotency_key) values ($1, $2, $3, $4, 'receipt', $5, $6)`, [newId('movement'), staff.rows[0].merchant_id, info.storeId, s.id, stock_for_bench, `bench:${s.id}`]);
    }
    // The bench device works in an open shift, as a counter does; every sale, API or floor, records it.
    const deviceId = 'BENCHDEV1';
    await client.query(
      `insert into shifts (id, merchant_id, store_id, device_id, business_date, request_hash, opened_by, opened_at, opening_float_fen) values ($1, $2, $3, $4, (now() at time zone 'Asia/Shanghai')::date, 'bench', $5, now(), 0)`,
      [newId('shift'), staff.rows[0].merchant_id, info.storeId, deviceId, staff.rows[0].id],
    );
    return {
      deviceId,
      merchantId: staff.rows[0].merchant_id,
      storeId: info.storeId,
      staffId: staff.rows[0].id,
      skus: skus.rows.map((s) => ({ id: s.id, priceFen: Number(s.retail_price_fen), costFen: Number(s.cost_fen), categoryId: s.category_id })),
    };
  } finally {
    await client.end();
  }
}

/** Both sides must have written what a counter sale writes: every bench sale in the open shift, numbered. */
export async function assertEverySaleInTheShift(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query(`select count(*) filter (where shift_id is null)::int as unshifted, count(*) filter (where receipt_no is null)::int as unnumbered from orders where channel = 'counter'`);
    const { unshifted, unnumbered } = r.rows[0] as { unshifted: number; unnumbered: number };
    if (unshifted > 0 || unnumbered > 0) throw new Error(`checkout bench: ${unshifted} sales without a shift, ${unnumbered} without a receipt number`);
  } finally {
    await client.end();
  }
}
