import type { Deps } from '../_runtime/deps';
import { businessDate } from '../_runtime/clock';
import { runReconcile, type RunResult } from './run.service';

/**
 * Yesterday (Asia/Shanghai) for every merchant × channel whose bill for it
 * has been uploaded. Downloading bills from the platforms is not built yet,
 * so a day without an uploaded bill is skipped and listed.
 */
export async function reconcileYesterday(deps: Deps): Promise<{ day: string; runs: (Pick<RunResult, 'runId' | 'status'> & { merchantId: string; channel: string })[]; failures: number }> {
  const day = businessDate(new Date(deps.clock().getTime() - 86_400_000));
  const bills = await deps.db.selectFrom('reconcile_bills').select(['merchant_id', 'channel']).distinct().where('bill_date', '=', day).where('sha256', 'not like', 'pending:%').execute();
  const runs = [];
  let failures = 0;
  for (const b of bills) {
    try {
      const r = await runReconcile(deps, { merchantId: b.merchant_id, channel: b.channel, billDate: day, actorId: null });
      if (r.status === 'failed') failures++;
      runs.push({ runId: r.runId, status: r.status, merchantId: b.merchant_id, channel: b.channel });
    } catch (e) {
      failures++;
      deps.log.error('cron reconcile', { merchantId: b.merchant_id, channel: b.channel, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return { day, runs, failures };
}
