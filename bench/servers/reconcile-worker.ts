import { createReadStream } from 'node:fs';
import { buildDeps } from '../../api/_app/build-deps';
import { channelRegistry } from '../../api/_payments/registry';
import { storeBill } from '../../api/_reconcile/bills.service';
import { runReconcile } from '../../api/_reconcile/run.service';

/**
 * The reconciling process on its own, so its peak RSS is the reconciliation's:
 * streams the bill file into staging and runs the day, then reports the wall
 * time and the process's maximum resident set size.
 */
const env = process.env;
const built = await buildDeps({ DATABASE_URL: env.BENCH_DATABASE_URL!, DATABASE_DRIVER: 'pg', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01', LOG_LEVEL: 'silent' }, { payments: channelRegistry({}) });
const started = performance.now();
const stored = await storeBill(built.deps, { merchantId: env.BENCH_MERCHANT!, channel: 'wechat', billDate: env.BENCH_DAY!, actorId: null, source: 'upload', body: createReadStream(env.BENCH_BILL_FILE!, { highWaterMark: 256 * 1024 }) });
const storedS = (performance.now() - started) / 1000;
const run = await runReconcile(built.deps, { merchantId: env.BENCH_MERCHANT!, channel: 'wechat', billDate: env.BENCH_DAY!, actorId: null });
const seconds = (performance.now() - started) / 1000;
await built.close();
process.send?.({ seconds, stageS: storedS, peakRssMb: process.resourceUsage().maxRSS / 1024, lines: stored.totals.lines, run });
process.on('disconnect', () => process.exit(0));
