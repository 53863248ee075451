import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Deps } from '../_kernel/deps.js';
import { AppError } from '../_kernel/errors.js';
import { newId } from '../../shared/ids.js';
import type { BillChannel } from '../../shared/bills/types.js';
import { reconcile_fee_rounding_fen, reconcile_midnight_window_minutes, reconcile_run_stale_minutes, reconcile_work_mem_mb } from './limits.js';
import { repairRun } from './repairs.js';
import { feeFenOf, reconcileSettings } from './settings.js';

export interface RunResult {
  runId: string;
  status: 'done' | 'failed';
  counts: Record<string, number>;
  resultHash: string | null;
  error?: string;
}

/** [start, end) of an Asia/Shanghai business day. */
export function dayBounds(day: string): { start: Date; end: Date } {
  const start = new Date(`${day}T00:00:00+08:00`);
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * Reconciles one merchant × channel × business day against its bill: the
 * latest downloaded from the platform, else the latest uploaded by hand. A run row with status `running` is the lock (a partial
 * unique index); every record lands in exactly one class in one set-based
 * statement per kind (differences as items, every class as a total); then differences are repaired or left for the
 * owner. A re-run writes a new run with its own items (runs are append-only)
 * whose result hash equals the previous one's when nothing changed in between.
 */
export async function runReconcile(deps: Deps, input: { merchantId: string; channel: BillChannel; billDate: string; actorId: string | null }): Promise<RunResult> {
  const { merchantId, channel, billDate } = input;
  const bill = await deps.db.selectFrom('reconcile_bills').select(['id', 'line_key', 'refund_line_count']).where('merchant_id', '=', merchantId).where('channel', '=', channel).where('bill_date', '=', billDate).where('sha256', 'not like', 'pending:%').orderBy(sql`source = 'download'`, 'desc').orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  if (!bill) throw new AppError('not_found', `${billDate} 的${channel === 'wechat' ? '微信支付' : '支付宝'}账单尚未上传`);
  const now = deps.clock();
  await deps.db
    .updateTable('reconcile_runs')
    .set({ status: 'failed', finished_at: now, error: `超过 ${reconcile_run_stale_minutes} 分钟未完成（reconcile_run_stale_minutes），视为中断` })
    .where('merchant_id', '=', merchantId)
    .where('channel', '=', channel)
    .where('bill_date', '=', billDate)
    .where('status', '=', 'running')
    .where('started_at', '<', new Date(now.getTime() - reconcile_run_stale_minutes * 60_000))
    .execute();
  const runId = newId('reconcileRun');
  const locked = await deps.db
    .insertInto('reconcile_runs')
    .values({ id: runId, merchant_id: merchantId, channel, bill_date: billDate, bill_id: bill.id, status: 'running', started_by: input.actorId, started_at: now })
    .onConflict((oc) => oc.columns(['merchant_id', 'channel', 'bill_date']).where('status', '=', 'running').doNothing())
    .executeTakeFirst();
  if (Number(locked.numInsertedOrUpdatedRows ?? 0n) !== 1) throw new AppError('reconcile_running', `${billDate} 的对账正在进行，请稍后再试`);

  try {
    await classify(deps, { runId, merchantId, channel, billDate, billId: bill.id, billKey: bill.line_key, refundLines: bill.refund_line_count });
    await repairRun(deps, { runId, merchantId, channel, billDate, billId: bill.id, actorId: input.actorId });
    const summary = await summarise(deps, runId, bill.id);
    await deps.db
      .updateTable('reconcile_runs')
      .set({ status: 'done', finished_at: deps.clock(), result_hash: summary.hash, counts: JSON.stringify(summary.counts), fee_fen: summary.feeFen, net_fen: summary.netFen })
      .where('id', '=', runId)
      .where('status', '=', 'running')
      .execute();
    return { runId, status: 'done', counts: summary.counts, resultHash: summary.hash };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await deps.db.updateTable('reconcile_runs').set({ status: 'failed', finished_at: deps.clock(), error: message.slice(0, 500) }).where('id', '=', runId).where('status', '=', 'running').execute();
    deps.log.error('reconcile run failed', { runId, message });
    return { runId, status: 'failed', counts: {}, resultHash: null, error: message };
  }
}

async function classify(deps: Deps, r: { runId: string; merchantId: string; channel: BillChannel; billDate: string; billId: string; billKey: number; refundLines: number | null }): Promise<void> {
  const { start, end } = dayBounds(r.billDate);
  const settings = await reconcileSettings(deps, r.merchantId);
  const windowStart = new Date(end.getTime() - reconcile_midnight_window_minutes * 60_000);
  // The next day's bill, when already here, tells for sure which late payments crossed midnight.
  const next = await deps.db.selectFrom('reconcile_bills').select('line_key').where('merchant_id', '=', r.merchantId).where('channel', '=', r.channel).where('bill_date', '=', nextDay(r.billDate)).where('sha256', 'not like', 'pending:%').orderBy(sql`source = 'download'`, 'desc').orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  // Without it, only the window decides, and the next day's lines are not looked for at all (a lookup of no bill still reads the table).
  const onNextBill = (no: RawBuilder<unknown>, kind: 'payment' | 'refund') =>
    next ? sql`or ${no} in (select n.out_no from reconcile_bill_lines n where n.bill_key = ${next.line_key} and n.kind = ${kind})` : sql``;
  // A bill counted to hold no refund lines is not read for them (bills stored before the count was kept are).
  const noRefundLines = r.refundLines === 0 ? sql`and false` : sql``;

  // Bill lines against the day's succeeded payments in one hash join; a line with no such payment is looked up by its
  // number (rare: a pending, closed or other-day payment) in a subquery that runs only for those lines. `offset 0` keeps
  // each step's columns worked out once per record rather than once per use.
  const payments = sql`
    b as (
      select out_no, amount_fen, status, ${feeFenSql} as fee_fen from reconcile_bill_lines where bill_key = ${r.billKey} and kind = 'payment'
    ), d as (
      select id, out_trade_no, amount_fen, status, succeeded_at from payments
      where merchant_id = ${r.merchantId} and channel = ${r.channel} and status = 'succeeded' and succeeded_at >= ${start} and succeeded_at < ${end}
    ), j as (
      select b.out_no as b_no, b.amount_fen as b_amount, b.status as b_status, b.fee_fen,
        d.id as d_id, d.out_trade_no as d_no, d.amount_fen as d_amount, d.status as d_status, d.succeeded_at as d_at,
        case when d.id is null and b.out_no is not null then
          (select p from payments p where p.channel = ${r.channel} and p.out_trade_no = b.out_no and p.merchant_id = ${r.merchantId})
        end as o
      from b full join d on b.out_no = d.out_trade_no
      offset 0
    ), k as (
      select b_no, b_amount, b_status, fee_fen, coalesce(d_id, (o).id) as s_id, coalesce(d_no, (o).out_trade_no) as s_no,
        coalesce(d_amount, (o).amount_fen) as s_amount, coalesce(d_status, (o).status) as s_status, coalesce(d_at, (o).succeeded_at) as s_at
      from j
    ), c as (
      select
        case
          when b_no is null then
            case when s_at >= ${windowStart} ${onNextBill(sql.ref('s_no'), 'payment')}
                 then 'crossed_midnight' else 'missing_in_bill' end
          when s_id is null then 'missing_in_system'
          when b_status <> 'SUCCESS' then case when s_status = 'succeeded' then 'status_mismatch' else 'matched' end
          when s_status <> 'succeeded' then 'missing_in_system'
          when b_amount <> s_amount then 'amount_mismatch'
          when s_at < ${start} or s_at >= ${end} then 'crossed_midnight'
          when abs(fee_fen - (s_amount * ${settings.feeRatePpm} + 500000) / 1000000) > ${reconcile_fee_rounding_fen} then 'fee_difference'
          else 'matched'
        end as class,
        coalesce(b_no, s_no) as out_no, s_id as payment_id, null::text as refund_id, b_status, s_status, b_amount, s_amount, fee_fen,
        case when s_id is null then null else (s_amount * ${settings.feeRatePpm} + 500000) / 1000000 end as expected_fee_fen
      from k
      offset 0
    )`;

  const refunds = sql`
    b as materialized (
      select out_no, amount_fen, status, ${feeFenSql} as fee_fen from reconcile_bill_lines where bill_key = ${r.billKey} and kind = 'refund' ${noRefundLines}
    ), s as (
      select id, payment_id, out_refund_no, amount_fen, status, succeeded_at from platform_refunds
      where merchant_id = ${r.merchantId} and channel = ${r.channel}
        and ((status = 'succeeded' and succeeded_at >= ${start} and succeeded_at < ${end}) or out_refund_no in (select out_no from b))
    ), c as materialized (
      select
        case
          when b.out_no is null then
            case when s.succeeded_at >= ${windowStart} ${onNextBill(sql.ref('s.out_refund_no'), 'refund')}
                 then 'crossed_midnight' else 'missing_in_bill' end
          when s.id is null then 'missing_in_system'
          when b.status = 'SUCCESS' and s.status <> 'succeeded' then 'status_mismatch'
          when b.status in ('FAIL', 'CHANGE') and s.status = 'succeeded' then 'status_mismatch'
          when b.amount_fen <> s.amount_fen then 'amount_mismatch'
          when s.status = 'succeeded' and (s.succeeded_at < ${start} or s.succeeded_at >= ${end}) then 'crossed_midnight'
          else 'matched'
        end as class,
        coalesce(b.out_no, s.out_refund_no) as out_no, s.payment_id, s.id as refund_id, b.status as b_status, s.status as s_status,
        b.amount_fen as b_amount, s.amount_fen as s_amount, b.fee_fen, null::bigint as expected_fee_fen
      from b full join s on b.out_no = s.out_refund_no
      offset 0
    )`;
  await deps.db.transaction().execute(async (trx) => {
    // One pass over a day's records: compiling it (JIT) costs more than it saves, and the join's hash should stay in memory.
    await sql`set local jit = off`.execute(trx);
    await sql.raw(`set local work_mem = '${reconcile_work_mem_mb}MB'`).execute(trx);
    await sql`with ${payments}, ${itemsAndTotals(r.runId, 'payment')}`.execute(trx);
    await sql`with ${refunds}, ${itemsAndTotals(r.runId, 'refund')}`.execute(trx);
  });
}

/** A line's fee in whole fen, half away from zero, in integers (as feeFenOf). */
const feeFenSql = sql`case when fee_milli < 0 then -((500 - fee_milli) / 1000) else (fee_milli + 500) / 1000 end`;

/**
 * The tail shared by both kinds, in one pass over the classified records `c`:
 * one row per class with its count and sums, and its records as a JSON array
 * when it is a difference; those become the items (a day may match a million
 * records; only the differences are kept one by one, matched ones are read
 * back from the bill when asked for) and the rows the totals.
 */
function itemsAndTotals(runId: string, kind: 'payment' | 'refund') {
  return sql`agg as materialized (
      select class, count(*) as n, coalesce(sum(b_amount), 0) as b, coalesce(sum(s_amount), 0) as s,
        jsonb_agg(jsonb_build_array(out_no, payment_id, refund_id, b_status, s_status, b_amount, s_amount, fee_fen, expected_fee_fen)) filter (where class <> 'matched') as records
      from c group by class
    ), ins as (
      insert into reconcile_items (run_id, class, kind, out_no, payment_id, refund_id, bill_status, system_status, bill_amount_fen, system_amount_fen, bill_fee_fen, expected_fee_fen)
      select ${runId}, agg.class, ${kind}, x->>0, x->>1, x->>2, x->>3, x->>4, (x->>5)::bigint, (x->>6)::bigint, (x->>7)::bigint, (x->>8)::bigint
      from agg cross join lateral jsonb_array_elements(agg.records) as x
      where agg.records is not null
    )
    insert into reconcile_class_totals (run_id, kind, class, n, bill_amount_fen, system_amount_fen)
    select ${runId}, ${kind}, class, n, b, s from agg`;
}

async function summarise(deps: Deps, runId: string, billId: string): Promise<{ counts: Record<string, number>; hash: string; feeFen: number; netFen: number }> {
  const rows = await deps.db.selectFrom('reconcile_class_totals').select(['class', (eb) => eb.fn.sum<string>('n').as('n')]).where('run_id', '=', runId).groupBy('class').execute();
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.class] = Number(r.n);
  // The result is the classification of every record that is not simply matched, plus the counts: equal on a re-run when nothing changed.
  const diffs = await sql<{ k: string | null }>`select md5(string_agg(kind || ':' || out_no || ':' || class || ':' || coalesce(bill_amount_fen::text, '-') || ':' || coalesce(system_amount_fen::text, '-'), ',' order by kind, out_no, class)) as k
    from reconcile_items where run_id = ${runId}`.execute(deps.db);
  const bill = await deps.db.selectFrom('reconcile_bills').select(['payment_fen', 'refund_fen', 'fee_milli']).where('id', '=', billId).executeTakeFirstOrThrow();
  const feeFen = feeFenOf(Number(bill.fee_milli));
  const netFen = Number(bill.payment_fen) - Number(bill.refund_fen) - feeFen;
  const hash = createHash('sha256')
    .update(JSON.stringify([Object.entries(counts).sort(), diffs.rows[0]?.k ?? '', feeFen, netFen]))
    .digest('hex');
  return { counts, hash, feeFen, netFen };
}

/** A bill's fee total in whole fen, half away from zero. */
