import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { findPostgresBin, startPostgres } from '../tools/testenv/postgres';
import { migrate } from '../api/_db/migrator';
import { connect } from '../api/_db/connect';
import { wechatBillChunks, type GenLine } from '../tests/reconcile/bill-gen';
import { startChild } from './child';
import { figure, type Figure } from './figure';

const day = '2026-11-22';
const dayStart = Date.parse('2026-11-21T16:00:00Z');
const sizes = (process.env.BENCH_RECONCILE_SIZES ?? '100000,1000000').split(',').map(Number);
/** One record in 200 differs: amount, missing on either side, fee, status. */
const planted_every = 1000;
const fee = (amount: number) => Math.floor((amount * 6000 + 500_000) / 1_000_000);

interface WorkerResult {
  seconds: number;
  /** Of which parsing and staging the bill. */
  stageS: number;
  peakRssMb: number;
  lines: number;
  run: { status: string; counts: Record<string, number>; error?: string };
}

/**
 * reconcile_1m_s and reconcile_peak_rss_mb: a WeChat bill of n lines against
 * n payments with 0.5% planted differences, through the product's streaming
 * parser, staging and set-based matching in a child process; the floor is
 * COPY of the bill file plus one FULL OUTER JOIN into a discrepancy table
 * (`billFloor`), with the narrower floor over pre-digested lines beside it.
 */
export async function reconcileBench(): Promise<Figure[]> {
  const server = await startPostgres({ database: 'guitai_bench_reconcile' });
  const dir = await mkdtemp(path.join(tmpdir(), 'guitai-reconcile-'));
  const results: { n: number; worker: WorkerResult; floorS: number; narrowS: number }[] = [];
  try {
    const handle = await connect(server.url, 'pg');
    await migrate(handle.db);
    await handle.close();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      for (const n of sizes) {
        const merchantId = `mch_BENCH${n}`;
        const storeId = `sto_BENCH${n}`;
        await client.query(`insert into merchants (id, name) values ($1, $2)`, [merchantId, `对账压测 ${n}`]);
        await client.query(`insert into stores (id, merchant_id, code, name) values ($1, $2, $3, '压测店')`, [storeId, merchantId, `B${n}`]);
        await client.query(
          `insert into orders (id, merchant_id, store_id, channel, status, total_fen, business_date)
           select 'ord_B${n}_' || i, $1, $2, 'counter', 'paid', 100 + (i * 37) % 9000, $3 from generate_series(0, $4 - 1) i`,
          [merchantId, storeId, day, n],
        );
        await client.query(
          `insert into payments (id, merchant_id, store_id, order_id, channel, mode, out_trade_no, amount_fen, status, request_hash, platform_trade_no, succeeded_at, created_at)
           select 'pay_B${n}_' || i, $1, $2, 'ord_B${n}_' || i, 'wechat', 'qr', 'B${n}_' || i, 100 + (i * 37) % 9000, 'succeeded', 'x', 'P' || i,
                  to_timestamp($3 / 1000.0) + (i * (80000.0 / $4)) * interval '1 second', now()
           from generate_series(0, $4 - 1) i`,
          [merchantId, storeId, dayStart + 60_000, n],
        );
        await client.query('analyze payments');
        const billFile = path.join(dir, `bill-${n}.csv`);
        const floorFile = path.join(dir, `floor-${n}.csv`);
        const detailFile = path.join(dir, `detail-${n}.csv`);
        await writeFiles(n, billFile, floorFile);
        const billColumns = await detailOf(billFile, detailFile);

        const floorRuns = async (tag: string) => ({
          bill: await billFloor(client, server.url, `${tag}_bill`, detailFile, billColumns, merchantId),
          narrow: await narrowFloor(client, server.url, `${tag}_narrow`, floorFile, merchantId),
        });
        const floors = [await floorRuns(`${n}_before`)];
        const child = await startChild<WorkerResult>('./servers/reconcile-worker.ts', { BENCH_DATABASE_URL: server.url, BENCH_MERCHANT: merchantId, BENCH_DAY: day, BENCH_BILL_FILE: billFile });
        child.stop();
        if (child.info.run.status !== 'done') throw new Error(`reconcile bench: run ${child.info.run.status}: ${child.info.run.error}`);

        // Each floor runs once before and once after the product and counts its faster run: the stricter limit.
        const floorS = Math.min(floors[0]!.bill, (await floorRuns(`${n}_after`)).bill);
        const narrowS = Math.min(floors[0]!.narrow, (await floorRuns(`${n}_after_narrow`)).narrow);
        results.push({ n, worker: child.info, floorS, narrowS });
        process.stderr.write(`reconcile ${n}: ${child.info.seconds.toFixed(1)} s (staging ${child.info.stageS.toFixed(1)} s), peak ${child.info.peakRssMb.toFixed(0)} MB, floor ${floorS.toFixed(1)} s (narrow ${narrowS.toFixed(1)} s), ${JSON.stringify(child.info.run.counts)}\n`);
      }
    } finally {
      await client.end();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await server.stop();
  }
  const small = results.find((r) => r.n === 100_000);
  const big = results.find((r) => r.n === 1_000_000) ?? results[results.length - 1]!;
  const out: Figure[] = [];
  const narrow = (r: (typeof results)[number]) => ({ narrow_floor_s: Math.round(r.narrowS * 1000) / 1000, narrow_ratio: Math.round((r.worker.seconds / r.narrowS) * 1000) / 1000 });
  if (small) out.push(figure('reconcile_100k_s', 's', small.worker.seconds, small.floorS, { lines: small.worker.lines, stage_s: Math.round(small.worker.stageS * 10) / 10, target_ratio: 2, db: 'postgres', ...narrow(small) }));
  out.push(figure(big.n === 1_000_000 ? 'reconcile_1m_s' : `reconcile_${big.n}_s`, 's', big.worker.seconds, big.floorS, { lines: big.worker.lines, stage_s: Math.round(big.worker.stageS * 10) / 10, target_ratio: 2, db: 'postgres', ...narrow(big), counts: big.worker.run.counts }));
  out.push(
    figure('reconcile_peak_rss_mb', 'MB', big.worker.peakRssMb, small?.worker.peakRssMb ?? big.worker.peakRssMb, { lines: big.worker.lines, peak_100k_mb: small?.worker.peakRssMb ?? null, target_mb: 300, target_ratio: 1.5 }),
  );
  return out;
}

/**
 * The floor the issue names: COPY of the bill file, as it came, into a table
 * of its own columns (all text, the header skipped), then one FULL OUTER JOIN
 * with the merchant's payments into a discrepancy table, comparing the order
 * number and the amount the way SQL alone reads them from the bill.
 */
function billFloor(client: pg.Client, url: string, tag: string, detailFile: string, columns: string[], merchantId: string): Promise<number> {
  const col = (name: string) => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`reconcile bench: the bill has no ${name} column`);
    return `c${i + 1}`;
  };
  const table = `floor_bill_${tag}`;
  return copyAndJoin(client, url, tag, {
    table: `${table} (${columns.map((_, i) => `c${i + 1} text`).join(', ')})`,
    file: detailFile,
    lines: `(select substr(${col('商户订单号')}, 2) as out_no, (substr(${col('订单金额')}, 2)::numeric * 100)::bigint as amount_fen from ${table})`,
    merchantId,
  });
}

/**
 * A stricter floor, reported beside the first: the same join over a file the
 * bench has already reduced to four columns in fen, so it pays for none of
 * the bill's width or its yuan amounts.
 */
function narrowFloor(client: pg.Client, url: string, tag: string, floorFile: string, merchantId: string): Promise<number> {
  const table = `floor_bill_${tag}`;
  return copyAndJoin(client, url, tag, { table: `${table} (out_no text, amount_fen bigint, fee_milli bigint, status text)`, file: floorFile, lines: table, merchantId });
}

/** Seconds to create `table`, `\copy` the file into it, and FULL OUTER JOIN its `lines` (out_no, amount_fen) with the payments into a discrepancy table. */
async function copyAndJoin(client: pg.Client, url: string, tag: string, f: { table: string; file: string; lines: string; merchantId: string }): Promise<number> {
  const started = performance.now();
  await client.query(`create table ${f.table}`);
  await promisify(execFile)(path.join(findPostgresBin(), 'psql'), [url, '-qc', `\\copy floor_bill_${tag} from '${f.file}' with (format csv)`]);
  await client.query(
    `create table floor_disc_${tag} as
     select coalesce(b.out_no, s.out_trade_no) as out_no,
            case when b.out_no is null then 'missing_in_bill' when s.id is null then 'missing_in_system' else 'amount_mismatch' end as class
     from ${f.lines} b full outer join (select id, out_trade_no, amount_fen from payments where merchant_id = $1 and channel = 'wechat') s on b.out_no = s.out_trade_no
     where b.out_no is null or s.id is null or b.amount_fen <> s.amount_fen`,
    [f.merchantId],
  );
  return (performance.now() - started) / 1000;
}

/**
 * The bill's detail rows, byte for byte, in a file of their own (COPY cannot
 * skip the summary at the end), and the header's column names.
 */
async function detailOf(billFile: string, detailFile: string): Promise<string[]> {
  const size = (await stat(billFile)).size;
  const fd = await open(billFile, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    await fd.read(head, 0, head.length, 0);
    const headerEnd = head.indexOf(10);
    const columns = head.toString('utf8', 0, headerEnd).replace(/^\uFEFF/, '').trim().split(',').map((c) => c.trim());
    const tail = Buffer.alloc(Math.min(size, 64 * 1024));
    await fd.read(tail, 0, tail.length, size - tail.length);
    const summaryAt = tail.lastIndexOf(Buffer.from('\n总交易单数'));
    if (headerEnd < 0 || summaryAt < 0) throw new Error('reconcile bench: the bill has no header or no summary');
    await pipeline(createReadStream(billFile, { start: headerEnd + 1, end: size - tail.length + summaryAt }), createWriteStream(detailFile));
    return columns;
  } finally {
    await fd.close();
  }
}

/** The bill as WeChat prints it (for the product) and the same lines as plain CSV (for the floor's COPY). */
async function writeFiles(n: number, billFile: string, floorFile: string): Promise<void> {
  function* lines(): Generator<GenLine> {
    for (let i = 0; i < n; i++) {
      const k = i % planted_every;
      const amount = 100 + ((i * 37) % 9000);
      const outNo = `B${n}_${i}`;
      const at = new Date(dayStart + 60_000 + Math.floor(i * (80_000_000 / n)));
      if (k === 1) continue;
      const line: GenLine = { kind: 'payment', outNo, outTradeNo: outNo, amountFen: amount, feeFen: fee(amount), at, status: 'SUCCESS', platformNo: `P${i}` };
      if (k === 0) line.amountFen += 100;
      if (k === 3) line.feeFen += 5;
      if (k === 4) line.status = 'REVOKED';
      if (k === 2) yield { ...line, outNo: `X${n}_${i}`, outTradeNo: `X${n}_${i}` };
      yield line;
    }
  }
  const bill = createWriteStream(billFile);
  for (const chunk of wechatBillChunks(lines())) if (!bill.write(chunk)) await new Promise<void>((r) => bill.once('drain', () => r()));
  await new Promise<void>((r) => bill.end(r));
  const floor = createWriteStream(floorFile);
  let buf = '';
  for (const l of lines()) {
    buf += `${l.outNo},${l.amountFen},${l.feeFen * 1000},${l.status}\n`;
    if (buf.length > 256 * 1024) {
      if (!floor.write(buf)) await new Promise<void>((r) => floor.once('drain', () => r()));
      buf = '';
    }
  }
  floor.write(buf);
  await new Promise<void>((r) => floor.end(r));
}
