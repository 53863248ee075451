import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import pg from 'pg';
import { startPostgres } from '../tools/testenv/postgres';
import { ensureSandboxKeys, type SandboxKeys } from '../tools/sandbox/keys';
import { sandboxApp, sandboxPayments } from '../tools/sandbox/server';
import { sandboxEnv } from '../tools/sandbox/env';
import { LoginCodes } from '../tools/sandbox/login-codes';
import { beijingDay } from '../tools/sandbox/bill-day';
import { startQstashStandin } from '../tools/qstash/server';
import { standinKeys } from '../tools/qstash/keys';
import { buildDeps } from '../api/_app/build-deps';
import { createApp } from '../api/_app/app';
import { migrate } from '../api/_db/migrator';
import type { Deps } from '../api/_kernel/deps';
import { MemoryKv } from '../api/_kv/memory';
import { channelRegistry, type PaymentChannels } from '../api/_payments/registry';
import { createWechatPayChannel } from '../api/_payments/wechat/channel';
import { readWechatPayConfig } from '../api/_payments/wechat/config';
import { reconcileMerchantDay } from '../api/_reconcile/index';
import { figure, type Figure } from './figure';

/**
 * nightly_fanout_1000_s and nightly_fanout_slowest_message_s: N merchants
 * (FANOUT_MERCHANTS, 1,000 by default), each with a day of P payments on
 * WeChat (FANOUT_PAYMENTS, 200) in Postgres and the same trades in its own
 * payment sandbox; the nightly cron enqueues one reconcile message per
 * merchant into the QStash stand-in, which delivers them to the API with
 * FANOUT_PARALLELISM (8) in flight. The floor is the same work run merchant
 * by merchant in one process (`reconcileMerchantDay`, on a second database
 * with the same data), the way the cron ran before the queue.
 *
 * The deployment is a service provider (WECHATPAY_MODE=partner): each
 * merchant has its own sub-merchant number and so its own bill (#18). Each
 * sub-merchant's trades live in a sandbox of its own, so that 1,000 bills are
 * served without one sandbox holding 200,000 trades in memory; the registry
 * picks the sandbox by the binding's sub-merchant number.
 */

const merchants = Number(process.env.FANOUT_MERCHANTS ?? 1000);
const paymentsEach = Number(process.env.FANOUT_PAYMENTS ?? 200);
const parallelism = Number(process.env.FANOUT_PARALLELISM ?? 8);
/** The targets the issue sets: no message over 20 s, the total within 1.5× of the floor. */
const target_message_s = 20;
const target_ratio = 1.5;
const day_ms = 86_400_000;

interface MerchantSandbox {
  merchantId: string;
  subMchid: string;
  url: string;
  stop(): Promise<void>;
}

export async function fanoutBench(): Promise<Figure[]> {
  const now = Date.now();
  // Two days back, so the bill is surely out; the API's clock runs a day behind, so "yesterday" is that day.
  const day = beijingDay(now - 2 * day_ms);
  const apiClock = () => new Date(Date.now() - day_ms);
  const dayStart = Date.parse(`${day}T00:00:00+08:00`);
  const server = await startPostgres({ database: 'guitai_bench_fanout' });
  const dir = await mkdtemp(path.join(tmpdir(), 'guitai-fanout-'));
  const sandboxes: MerchantSandbox[] = [];
  try {
    const keys = await ensureSandboxKeys(path.join(dir, 'keys'));
    const ids = Array.from({ length: merchants }, (_, i) => `mch_FANOUT${String(i).padStart(5, '0')}`);
    let started = performance.now();
    for (const [i, merchantId] of ids.entries()) sandboxes.push(await merchantSandbox(keys, merchantId, i, dayStart));
    // In partner mode each merchant's binding names its own sub-merchant, whose sandbox holds its day's trades and its bill.
    const bySubMchid = new Map(sandboxes.map((s) => [s.subMchid, s]));
    const platformChannel = createWechatPayChannel(readWechatPayConfig({ ...sandboxEnv(keys, sandboxes[0]!.url), WECHATPAY_MODE: 'partner' }), null);
    const payments: PaymentChannels = channelRegistry(
      {
        wechat: (binding) => {
          if (binding?.channel !== 'wechat' || binding.mode !== 'partner') return platformChannel;
          const own = bySubMchid.get(binding.subMchid);
          if (!own) throw new Error(`the fan-out bench has no sandbox for sub-merchant ${binding.subMchid}`);
          return createWechatPayChannel(readWechatPayConfig({ ...sandboxEnv(keys, own.url), WECHATPAY_MODE: 'partner' }), binding);
        },
      },
      { wechatMode: 'partner' },
    );
    process.stderr.write(`fanout: ${merchants} sandboxes in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

    const queueUrl = `${server.url.replace(/\/[^/]*$/, '')}/guitai_bench_fanout`;
    const floorUrl = await createDatabase(server.url, 'guitai_bench_fanout_floor');
    started = performance.now();
    for (const url of [queueUrl, floorUrl]) await seed(url, ids, dayStart);
    process.stderr.write(`fanout: ${merchants} × ${paymentsEach} payments seeded twice in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

    // The queued run: the cron's tick, then the stand-in's deliveries until none is left.
    const standin = await startQstashStandin({ keys: standinKeys(), parallelism, backoffMs: () => 1000 });
    const queued = await apiOn(queueUrl, payments, standin.env, apiClock);
    let wallS: number;
    let slowestS: number;
    let slowestRecordedS: number;
    let queuedFailures: number;
    try {
      started = performance.now();
      const tick = await fetch(`${queued.url}/api/cron/reconcile`, { headers: { authorization: 'Bearer bench-cron-secret-bench-cron-secret' } });
      const summary = (await tick.json()) as { enqueued: number };
      if (tick.status !== 200 || summary.enqueued !== merchants + 1) throw new Error(`fanout bench: the tick answered ${tick.status} ${JSON.stringify(summary)}`);
      await standin.queue.idle();
      wallS = (performance.now() - started) / 1000;
      slowestS = Math.max(...standin.queue.deliveries.map((d) => d.ms)) / 1000;
      const rows = await queued.deps.db.selectFrom('job_runs').select(['outcome', 'duration_ms', 'job']).where('job', '=', 'reconcile').execute();
      slowestRecordedS = Math.max(...rows.map((r) => r.duration_ms)) / 1000;
      queuedFailures = rows.filter((r) => r.outcome !== 'ok').length + standin.queue.dlq.length;
      const done = await queued.deps.db.selectFrom('reconcile_runs').select('status').where('status', '=', 'done').execute();
      if (done.length !== merchants) throw new Error(`fanout bench: ${done.length} of ${merchants} merchants reconciled through the queue`);
      process.stderr.write(`fanout: queued ${wallS.toFixed(1)} s, slowest delivery ${slowestS.toFixed(2)} s, ${standin.queue.deliveries.length} deliveries, ${queuedFailures} failures\n`);
    } finally {
      await queued.stop();
      await standin.stop();
    }

    // The floor: the same work, merchant by merchant, in this process.
    const floor = await apiOn(floorUrl, payments, {}, apiClock);
    let floorS: number;
    let floorSlowestS = 0;
    try {
      started = performance.now();
      for (const merchantId of ids) {
        const one = performance.now();
        const r = await reconcileMerchantDay(floor.deps, { merchantId, channel: 'wechat', day });
        if (r.failures > 0 || r.runs[0]?.status !== 'done') throw new Error(`fanout bench floor: ${merchantId} ${r.error ?? JSON.stringify(r.downloads)}`);
        floorSlowestS = Math.max(floorSlowestS, (performance.now() - one) / 1000);
      }
      floorS = (performance.now() - started) / 1000;
      process.stderr.write(`fanout: floor ${floorS.toFixed(1)} s, slowest merchant ${floorSlowestS.toFixed(2)} s\n`);
    } finally {
      await floor.stop();
    }
    const extra = { merchants, payments_per_merchant: paymentsEach, parallelism, db: 'postgres', failures: queuedFailures };
    return [
      figure(merchants === 1000 ? 'nightly_fanout_1000_s' : `nightly_fanout_${merchants}_s`, 's', wallS, floorS, { ...extra, target_ratio }),
      figure('nightly_fanout_slowest_message_s', 's', slowestS, floorSlowestS, { ...extra, target_s: target_message_s, slowest_recorded_s: Math.round(slowestRecordedS * 1000) / 1000 }),
    ];
  } finally {
    for (const s of sandboxes) await s.stop();
    await rm(dir, { recursive: true, force: true });
    await server.stop();
  }
}

/** One merchant's own WeChat Pay sandbox, holding that merchant's day of paid trades, and the real adapter pointed at it. */
async function merchantSandbox(keys: SandboxKeys, merchantId: string, index: number, dayStart: number): Promise<MerchantSandbox> {
  const payments = sandboxPayments(keys);
  for (let k = 0; k < paymentsEach; k++) {
    const outTradeNo = tradeNo(index, k);
    payments.wechat.trades.set(outTradeNo, {
      outTradeNo,
      appId: keys.wechat.appId,
      mchId: keys.wechat.mchId,
      subMchid: subMchidOf(index),
      description: '压测',
      totalFen: amountOf(index, k),
      tradeType: 'NATIVE',
      state: 'SUCCESS',
      stateDesc: '支付成功',
      transactionId: `4200${String(index).padStart(6, '0')}${String(k).padStart(8, '0')}`,
      successMs: successAt(dayStart, k),
      profitSharing: false,
      request: '',
    });
  }
  const app = sandboxApp(keys, new LoginCodes(), payments);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The sub-merchant is bound to the provider in its sandbox, as the platform does once its 进件 is signed.
  const bound = await fetch(`${url}/sandbox/wechat/sub-merchants`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subMchid: subMchidOf(index) }) });
  if (!bound.ok) throw new Error(`fanout bench: binding sub-merchant ${subMchidOf(index)} answered ${bound.status}`);
  return {
    merchantId,
    url,
    subMchid: subMchidOf(index),
    stop: () =>
      new Promise<void>((done) => {
        payments.notify.close();
        server.close(() => done());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}

const tradeNo = (index: number, k: number) => `F${index}_${k}`;
/** Each merchant's own WeChat Pay sub-merchant number (#18). */
const subMchidOf = (index: number) => `19${String(index).padStart(8, '0')}`;
const amountOf = (index: number, k: number) => 100 + ((index * 131 + k * 37) % 9000);
const successAt = (dayStart: number, k: number) => dayStart + 60_000 + Math.floor(k * (80_000_000 / paymentsEach));

async function createDatabase(url: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  return `${url.replace(/\/[^/]*$/, '')}/${name}`;
}

/** The merchants, a store each, and their paid orders and payments, matching the sandboxes' trades. */
async function seed(url: string, ids: string[], dayStart: number): Promise<void> {
  const built = await buildDeps({ DATABASE_URL: url, DATABASE_DRIVER: 'pg', LOG_LEVEL: 'silent' }, { kv: new MemoryKv() });
  await migrate(built.deps.db);
  await built.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`insert into merchants (id, name) select m, '压测店 ' || m from unnest($1::text[]) m`, [ids]);
    await client.query(`insert into stores (id, merchant_id, code, name) select 'sto_' || substr(m, 5), m, 'F' || lpad(i::text, 5, '0'), '压测门店' from unnest($1::text[]) with ordinality as t(m, i)`, [ids]);
    await client.query(
      `insert into orders (id, merchant_id, store_id, channel, status, total_fen, business_date)
       select 'ord_F' || (i - 1) || '_' || k, m, 'sto_' || substr(m, 5), 'counter', 'paid', 100 + (((i - 1) * 131 + k * 37) % 9000), to_char(to_timestamp($2::bigint / 1000.0) at time zone 'Asia/Shanghai', 'YYYY-MM-DD')::date
       from unnest($1::text[]) with ordinality as t(m, i), generate_series(0, $3 - 1) k`,
      [ids, dayStart, paymentsEach],
    );
    await client.query(
      `insert into payments (id, merchant_id, store_id, order_id, channel, mode, out_trade_no, amount_fen, status, request_hash, platform_trade_no, succeeded_at, created_at)
       select 'pay_F' || (i - 1) || '_' || k, m, 'sto_' || substr(m, 5), 'ord_F' || (i - 1) || '_' || k, 'wechat', 'qr', 'F' || (i - 1) || '_' || k, 100 + (((i - 1) * 131 + k * 37) % 9000), 'succeeded', 'x',
              '4200' || lpad((i - 1)::text, 6, '0') || lpad(k::text, 8, '0'),
              to_timestamp(($2::bigint + 60000 + floor(k * (80000000.0 / $3))) / 1000.0), to_timestamp(($2::bigint + 60000 + floor(k * (80000000.0 / $3))) / 1000.0)
       from unnest($1::text[]) with ordinality as t(m, i), generate_series(0, $3 - 1) k`,
      [ids, dayStart, paymentsEach],
    );
    await client.query(
      `insert into merchant_payment_accounts (merchant_id, channel, mode, status, sub_mchid) select m, 'wechat', 'partner', 'active', '19' || lpad((i - 1)::text, 8, '0') from unnest($1::text[]) with ordinality as t(m, i)`,
      [ids],
    );
    await client.query('analyze');
  } finally {
    await client.end();
  }
}

/** The API on one database, listening. */
async function apiOn(url: string, payments: PaymentChannels, env: Record<string, string>, clock: () => Date): Promise<{ url: string; deps: Deps; stop(): Promise<void> }> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: (request) => app.fetch(request), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const built = await buildDeps(
    { DATABASE_URL: url, DATABASE_DRIVER: 'pg', LOG_LEVEL: 'silent', CRON_SECRET: 'bench-cron-secret-bench-cron-secret', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01', PUBLIC_BASE_URL: base, ...env },
    { kv: new MemoryKv(), payments, clock },
  );
  const app = createApp(built.deps);
  return {
    url: base,
    deps: built.deps,
    stop: async () => {
      await new Promise<void>((done) => {
        server.close(() => done());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await built.close();
    },
  };
}
