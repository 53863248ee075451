import type { Deps } from '../_kernel/deps.js';
import { businessDate } from '../_kernel/clock.js';
import type { BillChannel } from '../../shared/bills/types.js';
import { runReconcile, type RunResult } from './run.service.js';
import { downloadable, downloadAndReconcile } from './download.service.js';
import type { ReconcileDownloadOutcome } from './tables.js';

type RunRow = Pick<RunResult, 'runId' | 'status'> & { merchantId: string; channel: string };
type DownloadRow = { merchantId: string; channel: BillChannel; outcome: ReconcileDownloadOutcome | 'error'; message: string };

export interface MerchantDayResult {
  runs: RunRow[];
  downloads: DownloadRow[];
  failures: number;
  /** The last error's text, for the job's record. */
  error?: string;
}

export const bill_channels: readonly BillChannel[] = ['wechat', 'alipay'];

/** The day the nightly job reconciles: yesterday in Asia/Shanghai. */
export function reconcileDay(now: Date): string {
  return businessDate(new Date(now.getTime() - 86_400_000));
}

/**
 * Every merchant × channel the nightly job has a day to reconcile for:
 * where the deployment holds the channel's keys, each merchant with an
 * active binding on it (its own sub-merchant's or authorisation's bill, #18);
 * and each merchant that uploaded that day's bill by hand.
 */
export async function reconcileTargets(deps: Deps, day: string): Promise<{ merchantId: string; channel: BillChannel }[]> {
  const out: { merchantId: string; channel: BillChannel }[] = [];
  const uploaded = await deps.db.selectFrom('reconcile_bills').select(['merchant_id', 'channel']).distinct().where('bill_date', '=', day).where('sha256', 'not like', 'pending:%').execute();
  for (const channel of bill_channels) {
    const merchants = new Set<string>();
    if (downloadable(deps, channel)) {
      // Each merchant with its own binding on the channel (#18) fetches its own bill; a merchant without one has no bill of its own to fetch.
      for (const r of await deps.db.selectFrom('merchant_payment_accounts').select('merchant_id').where('channel', '=', channel).where('status', '=', 'active').execute()) merchants.add(r.merchant_id);
    }
    for (const b of uploaded) if (b.channel === channel) merchants.add(b.merchant_id);
    for (const merchantId of [...merchants].sort()) out.push({ merchantId, channel });
  }
  return out;
}

/**
 * One merchant × channel × day: where the deployment holds the channel's keys
 * the bill is downloaded (once the platform has it ready) and the day
 * reconciled, unless it was already reconciled from that same bill, so this
 * may run as often as it likes; a bill uploaded by hand is reconciled when no
 * download did it. Never throws for the work itself: what failed is counted
 * and named, so one merchant's failure is that merchant's alone.
 */
export async function reconcileMerchantDay(deps: Deps, p: { merchantId: string; channel: BillChannel; day: string }): Promise<MerchantDayResult> {
  const { merchantId, channel, day } = p;
  const result: MerchantDayResult = { runs: [], downloads: [], failures: 0 };
  let covered = false;
  if (downloadable(deps, channel)) {
    try {
      const r = await downloadAndReconcile(deps, { merchantId, channel, billDate: day, actorId: null, skipReconciled: true });
      result.downloads.push({ merchantId, channel, outcome: r.outcome, message: r.message });
      covered = r.outcome === 'reconciled' || r.outcome === 'already_reconciled' || r.outcome === 'no_statement';
      if (r.run) {
        result.runs.push({ runId: r.run.runId, status: r.run.status, merchantId, channel });
        if (r.run.status === 'failed') fail(result, `reconcile run ${r.run.runId} failed`);
      }
      if (r.outcome === 'hash_mismatch' || r.outcome === 'malformed') fail(result, `bill ${r.outcome}: ${r.message}`);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      fail(result, message);
      result.downloads.push({ merchantId, channel, outcome: 'error', message });
      deps.log.error('cron bill download', { merchantId, channel, message });
    }
  }
  if (covered) return result;
  const uploaded = await deps.db.selectFrom('reconcile_bills').select('id').where('merchant_id', '=', merchantId).where('channel', '=', channel).where('bill_date', '=', day).where('sha256', 'not like', 'pending:%').executeTakeFirst();
  if (!uploaded) return result;
  try {
    const r = await runReconcile(deps, { merchantId, channel, billDate: day, actorId: null });
    if (r.status === 'failed') fail(result, `reconcile run ${r.runId} failed`);
    result.runs.push({ runId: r.runId, status: r.status, merchantId, channel });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    fail(result, message);
    deps.log.error('cron reconcile', { merchantId, channel, message });
  }
  return result;
}

function fail(result: MerchantDayResult, error: string): void {
  result.failures++;
  result.error = error;
}

/**
 * Yesterday (Asia/Shanghai) for every merchant × channel, one after another
 * in this process: what the nightly cron does when no queue is configured
 * (a single shop's deployment), and the floor the queued fan-out is measured
 * against.
 */
export async function reconcileYesterday(deps: Deps): Promise<{ day: string; runs: RunRow[]; downloads: DownloadRow[]; failures: number }> {
  const day = reconcileDay(deps.clock());
  const runs: RunRow[] = [];
  const downloads: DownloadRow[] = [];
  let failures = 0;
  for (const t of await reconcileTargets(deps, day)) {
    const r = await reconcileMerchantDay(deps, { ...t, day });
    runs.push(...r.runs);
    downloads.push(...r.downloads);
    failures += r.failures;
  }
  return { day, runs, downloads, failures };
}
