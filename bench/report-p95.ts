import pg from 'pg';
import { startPostgres } from '../tools/testenv/postgres';
import { salesReportKinds } from '../shared/api/reports';
import { startChild } from './child';
import { figure, type Figure } from './figure';
import { addSales, bench_report_from, bench_report_to, prepareMerchant } from './report-data';

/** The product's target for every report screen at 5M order lines. */
export const report_p95_limit_ms = 300;
const report_requests = 20;
/** Order lines at each measured size; BENCH_REPORT_LINES=1000000 measures one size on a slow machine. */
const scales = (process.env.BENCH_REPORT_LINES ?? '1000000,5000000').split(',').map(Number);

interface StackInfo {
  url: string;
  token: string;
  storeId: string;
}

/** The screens' queries: this month (the screen's default) and the whole year, over all stores and one store. */
function screens(storeId: string): { label: string; query: string }[] {
  const month = `from=${bench_report_to.slice(0, 8)}01&to=${bench_report_to}`;
  const year = `from=${bench_report_from}&to=${bench_report_to}`;
  return [
    { label: 'month_all', query: month },
    { label: 'year_all', query: year },
    { label: 'year_store', query: `${year}&storeId=${storeId}` },
  ];
}

async function p95(url: string, token: string, path: string): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < report_requests + 3; i++) {
    const t = performance.now();
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${new TextDecoder().decode(body).slice(0, 200)}`);
    // The first requests warm the connection pool and plans.
    if (i >= 3) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)]!, p95: times[Math.ceil(times.length * 0.95) - 1]! };
}

/**
 * report_p95_ms: every sales report screen through the API (token,
 * principal, query, JSON) on a year of sales in 20 stores, at 1M and then 5M
 * order lines; one figure per report at each size (the worst of this month
 * and the whole year, all stores or one), then the headline: the slowest
 * report at 5M against the 300 ms target, with its growth from 1M.
 */
export async function reportP95(): Promise<Figure[]> {
  const out: Figure[] = [];
  const server = await startPostgres();
  try {
    const stack = await startChild<StackInfo>('./report-server.ts', { BENCH_DATABASE_URL: server.url });
    try {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const { merchantId, storeIds } = await prepareMerchant(client, stack.info.storeId);
      await client.end();
      const worst = new Map<number, Map<string, number>>();
      let loaded = 0;
      for (const [i, lines] of scales.entries()) {
        const started = performance.now();
        await addSales(server.url, merchantId, i + 1, lines - loaded);
        loaded = lines;
        const loadSeconds = (performance.now() - started) / 1000;
        const byReport = new Map<string, number>();
        for (const kind of salesReportKinds) {
          process.stderr.write(`report_p95: ${lines} lines loaded in ${Math.round(loadSeconds)} s, measuring ${kind}\n`);
          let w = { p50: 0, p95: 0, screen: '' };
          for (const s of screens(storeIds[storeIds.length - 1]!)) {
            const r = await p95(stack.info.url, stack.info.token, `/api/reports/sales/${kind}?${s.query}${kind === 'trend' ? '&granularity=day' : ''}`);
            if (r.p95 > w.p95) w = { ...r, screen: s.label };
          }
          byReport.set(kind, w.p95);
          out.push(figure('report_p95_ms', 'ms', w.p95, report_p95_limit_ms, { report: kind, order_lines: lines, worst_screen: w.screen, p50_ms: w.p50, load_s: Math.round(loadSeconds) }));
        }
        worst.set(lines, byReport);
      }
      const big = worst.get(scales[scales.length - 1]!)!;
      const small = worst.get(scales[0]!)!;
      const [slowest, value] = [...big].sort((a, b) => b[1] - a[1])[0]!;
      out.push(figure('report_p95_ms', 'ms', value, report_p95_limit_ms, { report: `max(${slowest})`, order_lines: scales[scales.length - 1], growth_from_smallest: Math.round((value / (small.get(slowest) || 1)) * 100) / 100, stores: storeIds.length }));
    } finally {
      stack.stop();
    }
  } finally {
    await new Promise((r) => setTimeout(r, 500));
    await server.stop();
  }
  return out;
}
