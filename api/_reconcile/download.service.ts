import type { Deps } from '../_kernel/deps.js';
import { AppError } from '../_kernel/errors.js';
import { businessDate } from '../_kernel/clock.js';
import { newId } from '../../shared/ids.js';
import type { BillChannel } from '../../shared/bills/types.js';
import { BillHashMismatch, paymentChannelFor } from '../_payments/index.js';
import { storeBill } from './bills.service.js';
import { runReconcile, type RunResult } from './run.service.js';
import { reconcile_bill_ready_hour } from './limits.js';
import type { ReconcileDownloadOutcome } from './tables.js';

export interface DownloadResult {
  outcome: ReconcileDownloadOutcome;
  message: string;
  billId: string | null;
  run: RunResult | null;
}

/** 10:00 Beijing on the day after `day`: before it a missing bill is not ready, not absent. */
export function billReadyAt(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00+08:00`) + 86_400_000 + reconcile_bill_ready_hour * 3_600_000);
}

const names: Record<BillChannel, string> = { wechat: '微信支付', alipay: '支付宝' };

/** Whether this deployment can fetch the channel's bills (its keys are set and the adapter downloads). */
export function downloadable(deps: Deps, channel: BillChannel): boolean {
  return deps.payments.configured(channel) && typeof deps.payments.platform(channel).tradeBill === 'function';
}

/**
 * Fetches one merchant × channel × day's bill from the platform and streams
 * it into `storeBill`, then reconciles the day. The same file fetched again
 * is the same bill (`storeBill` keys it by its hash); with `skipReconciled`
 * a day whose latest finished run already used that bill is left alone. A
 * file whose hash is not the one announced is refused whole (nothing is
 * stored, nothing runs). Every attempt is logged with its named outcome.
 */
export async function downloadAndReconcile(deps: Deps, input: { merchantId: string; channel: BillChannel; billDate: string; actorId: string | null; skipReconciled: boolean }): Promise<DownloadResult> {
  const { merchantId, channel, billDate, actorId } = input;
  const now = deps.clock();
  if (billDate >= businessDate(now)) throw new AppError('validation_failed', `${billDate} 的账单还没有产生：只能下载昨天及以前的账单`);
  if (!downloadable(deps, channel)) throw new AppError('unavailable', `${names[channel]}未配置，无法下载账单，请上传账单文件`);
  const done = async (outcome: ReconcileDownloadOutcome, message: string, billId: string | null = null, run: RunResult | null = null): Promise<DownloadResult> => {
    await deps.db
      .insertInto('reconcile_downloads')
      .values({ id: newId('reconcileDownload'), merchant_id: merchantId, channel, bill_date: billDate, outcome, bill_id: billId, run_id: run?.runId ?? null, message: message.slice(0, 500), started_by: actorId, created_at: deps.clock() })
      .execute();
    return { outcome, message, billId, run };
  };

  // The merchant's own bill (#18): its channel names its sub-merchant number or carries its Alipay authorisation.
  const platform = await paymentChannelFor(deps, merchantId, channel).catch(async (e: unknown) => {
    await done('failed', e instanceof Error ? e.message : String(e));
    throw e;
  });

  let bill;
  try {
    bill = await platform.tradeBill!(billDate);
  } catch (e) {
    await done('failed', `下载失败：${e instanceof Error ? e.message : String(e)}`);
    throw e;
  }
  // Alipay says "no bill" both for a quiet day and for one not generated yet; the time tells them apart.
  if (bill.outcome === 'not_ready' || (bill.outcome === 'no_statement' && now < billReadyAt(billDate))) {
    return done('not_ready', `${names[channel]} ${billDate} 的账单尚未生成，次日 ${reconcile_bill_ready_hour}:00 后再试`);
  }
  if (bill.outcome === 'no_statement') return done('no_statement', `${names[channel]} ${billDate} 没有交易，平台无账单`);

  let stored;
  try {
    stored = await storeBill(deps, { merchantId, channel, billDate, actorId, source: 'download', body: bill.body });
  } catch (e) {
    if (e instanceof BillHashMismatch) return done('hash_mismatch', `账单校验失败，已拒收：${e.message}`);
    if (e instanceof AppError && e.code === 'validation_failed') return done('malformed', e.message);
    await done('failed', `保存账单失败：${e instanceof Error ? e.message : String(e)}`);
    throw e;
  }
  if (input.skipReconciled && stored.replayed) {
    const last = await deps.db
      .selectFrom('reconcile_runs')
      .select(['bill_id', 'status'])
      .where('merchant_id', '=', merchantId)
      .where('channel', '=', channel)
      .where('bill_date', '=', billDate)
      .where('status', '!=', 'running')
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (last?.status === 'done' && last.bill_id === stored.billId) return done('already_reconciled', `${billDate} 已按同一份账单对过账`, stored.billId);
  }
  let run: RunResult;
  try {
    run = await runReconcile(deps, { merchantId, channel, billDate, actorId });
  } catch (e) {
    // The bill is stored; only the run could not start (another is running): the next attempt reconciles it.
    await done('failed', `账单已保存，对账未能开始：${e instanceof Error ? e.message : String(e)}`, stored.billId);
    throw e;
  }
  return done('reconciled', run.status === 'done' ? `${names[channel]} ${billDate} 的账单已下载并对账` : `对账失败：${run.error ?? ''}`, stored.billId, run);
}
