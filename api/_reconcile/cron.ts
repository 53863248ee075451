import type { Deps } from '../_kernel/deps.js';
import { businessDate } from '../_kernel/clock.js';
import type { BillChannel } from '../../shared/bills/types.js';
import { runReconcile, type RunResult } from './run.service.js';
import { downloadable, downloadAndReconcile } from './download.service.js';
import type { ReconcileDownloadOutcome } from './tables.js';

type RunRow = Pick<RunResult, 'runId' | 'status'> & { merchantId: string; channel: string };
type DownloadRow = { merchantId: string; channel: BillChannel; outcome: ReconcileDownloadOutcome | 'error'; message: string };

const channels: BillChannel[] = ['wechat', 'alipay'];

/**
 * Yesterday (Asia/Shanghai) for every merchant × channel. Where the
 * deployment holds the channel's keys, each merchant's own bill (its
 * sub-merchant's or its authorisation's, #18) is downloaded for each
 * merchant with an active binding (once the platform has it ready) and the
 * day reconciled, unless it was already reconciled from that same bill, so
 * the cron may run as often as it likes. A bill uploaded by hand is
 * reconciled when no download did it.
 */
export async function reconcileYesterday(deps: Deps): Promise<{ day: string; runs: RunRow[]; downloads: DownloadRow[]; failures: number }> {
  const day = businessDate(new Date(deps.clock().getTime() - 86_400_000));
  const runs: RunRow[] = [];
  const downloads: DownloadRow[] = [];
  let failures = 0;
  const uploaded = await deps.db.selectFrom('reconcile_bills').select(['merchant_id', 'channel']).distinct().where('bill_date', '=', day).where('sha256', 'not like', 'pending:%').execute();

  for (const channel of channels) {
    const covered = new Set<string>();
    if (downloadable(deps, channel)) {
      // Each merchant with its own binding on the channel (#18) fetches its own bill; a merchant without one has no bill of its own to fetch.
      const merchants = await deps.db.selectFrom('merchant_payment_accounts').select('merchant_id').where('channel', '=', channel).where('status', '=', 'active').orderBy('merchant_id').execute();
      for (const { merchant_id: merchantId } of merchants) {
        try {
          const r = await downloadAndReconcile(deps, { merchantId, channel, billDate: day, actorId: null, skipReconciled: true });
          downloads.push({ merchantId, channel, outcome: r.outcome, message: r.message });
          if (r.outcome === 'reconciled' || r.outcome === 'already_reconciled' || r.outcome === 'no_statement') covered.add(merchantId);
          if (r.run) {
            runs.push({ runId: r.run.runId, status: r.run.status, merchantId, channel });
            if (r.run.status === 'failed') failures++;
          }
          if (r.outcome === 'hash_mismatch' || r.outcome === 'malformed') failures++;
        } catch (e) {
          failures++;
          const message = e instanceof Error ? e.message : String(e);
          downloads.push({ merchantId, channel, outcome: 'error', message });
          deps.log.error('cron bill download', { merchantId, channel, message });
        }
      }
    }
    for (const b of uploaded) {
      if (b.channel !== channel || covered.has(b.merchant_id)) continue;
      try {
        const r = await runReconcile(deps, { merchantId: b.merchant_id, channel, billDate: day, actorId: null });
        if (r.status === 'failed') failures++;
        runs.push({ runId: r.runId, status: r.status, merchantId: b.merchant_id, channel });
      } catch (e) {
        failures++;
        deps.log.error('cron reconcile', { merchantId: b.merchant_id, channel, message: e instanceof Error ? e.message : String(e) });
      }
    }
  }
  return { day, runs, downloads, failures };
}
