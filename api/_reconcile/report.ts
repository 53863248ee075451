import { sql, type Kysely, type Selectable } from 'kysely';
import type { ReconcileRunsTable } from './tables.js';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { fenToYuan } from '../../shared/money.js';
import { reconcileClassLabels, reconcileClasses, type ReconcileItemView, type ReconcileReport, type ReconcileRunView } from '../../shared/api/reconcile.js';
import { reconcile_items_page_max, reconcile_matched_window_lines_min } from './limits.js';
import { feeFenOf, reconcileSettingsOf } from './settings.js';
import { beijingTimeText } from '../../shared/beijing-time.js';
import { csvField, csvLine, utf8_bom } from '../_export/index.js';

type RunRow = Selectable<ReconcileRunsTable>;

/** The runs' views with their exception counts (difference items left to the owner, and those still unresolved). */
export async function runViews(db: Kysely<DB>, merchantId: string, runs: RunRow[]): Promise<ReconcileRunView[]> {
  if (runs.length === 0) return [];
  const ids = runs.map((r) => r.id);
  const ex = await db
    .selectFrom('reconcile_repairs as x')
    .innerJoin('reconcile_items as i', 'i.id', 'x.item_id')
    .innerJoin('reconcile_runs as r', 'r.id', 'x.run_id')
    .leftJoin('reconcile_resolutions as s', (j) =>
      j.onRef('s.merchant_id', '=', 'r.merchant_id').onRef('s.channel', '=', 'r.channel').onRef('s.bill_date', '=', 'r.bill_date').onRef('s.kind', '=', 'i.kind').onRef('s.out_no', '=', 'i.out_no').onRef('s.class', '=', 'i.class'),
    )
    .select(['x.run_id', (eb) => eb.fn.countAll<string>().as('n'), (eb) => eb.fn.count<string>('s.note').as('resolved')])
    .where('x.run_id', 'in', ids)
    .where('x.action', '=', 'exception')
    .where('r.merchant_id', '=', merchantId)
    .groupBy('x.run_id')
    .execute();
  const byRun = new Map(ex.map((e) => [e.run_id, { n: Number(e.n), resolved: Number(e.resolved) }]));
  return runs.map((r) => {
    const e = byRun.get(r.id) ?? { n: 0, resolved: 0 };
    return {
      id: r.id,
      channel: r.channel,
      billDate: dayText(r.bill_date),
      status: r.status,
      startedAt: new Date(r.started_at).toISOString(),
      finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
      counts: (r.counts as Record<string, number> | null) ?? {},
      exceptions: e.n,
      unresolved: e.n - e.resolved,
      feeFen: r.fee_fen === null ? null : Number(r.fee_fen),
      netFen: r.net_fen === null ? null : Number(r.net_fen),
      resultHash: r.result_hash,
      error: r.error,
    };
  });
}

/** Date columns come back as Date objects on some drivers and strings on others. */
export function dayText(v: unknown): string {
  if (v instanceof Date) return `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
  return String(v).slice(0, 10);
}

export async function loadRun(db: Kysely<DB>, merchantId: string, runId: string): Promise<RunRow> {
  const run = await db.selectFrom('reconcile_runs').selectAll().where('id', '=', runId).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!run) throw new AppError('not_found', `找不到对账记录 ${runId}`);
  return run;
}

/**
 * A run's records of the given classes in a stable order, from `after` on.
 * Differences are the run's items (positive ids); matched records are not
 * stored one by one, so `['matched']` reads them from the bill on demand,
 * each with id −(its line number), and `after` is then a line number.
 */
export async function itemViews(db: Kysely<DB>, run: RunRow, filter: { classes?: readonly string[]; exceptionsOnly?: boolean; after?: number; limit?: number }): Promise<ReconcileItemView[]> {
  if (filter.classes?.length === 1 && filter.classes[0] === 'matched') return matchedViews(db, run, filter.after ?? 0, filter.limit);
  let q = db
    .selectFrom('reconcile_items as i')
    .leftJoin('reconcile_repairs as x', 'x.item_id', 'i.id')
    .leftJoin('reconcile_resolutions as s', (j) =>
      j
        .on('s.merchant_id', '=', run.merchant_id)
        .on('s.channel', '=', run.channel)
        .on('s.bill_date', '=', dayText(run.bill_date))
        .onRef('s.kind', '=', 'i.kind')
        .onRef('s.out_no', '=', 'i.out_no')
        .onRef('s.class', '=', 'i.class'),
    )
    .leftJoin('staff as who', 'who.id', 's.resolved_by')
    .select([
      'i.id', 'i.class', 'i.kind', 'i.out_no', 'i.payment_id', 'i.refund_id', 'i.bill_status', 'i.system_status', 'i.bill_amount_fen', 'i.system_amount_fen', 'i.bill_fee_fen', 'i.expected_fee_fen',
      'x.action', 's.note', 's.resolved_by', 's.resolved_at', 'who.name as resolver_name',
    ])
    .where('i.run_id', '=', run.id)
    .orderBy('i.id');
  if (filter.classes) q = q.where('i.class', 'in', filter.classes as never);
  if (filter.exceptionsOnly) q = q.where('x.action', '=', 'exception');
  if (filter.after !== undefined) q = q.where('i.id', '>', filter.after);
  if (filter.limit !== undefined) q = q.limit(filter.limit);
  const rows = await q.execute();
  const num = (v: number | null) => (v === null ? null : Number(v));
  return rows.map((r) => ({
    id: Number(r.id),
    class: r.class,
    kind: r.kind,
    outNo: r.out_no,
    paymentId: r.payment_id,
    refundId: r.refund_id,
    billStatus: r.bill_status,
    systemStatus: r.system_status,
    billAmountFen: num(r.bill_amount_fen),
    systemAmountFen: num(r.system_amount_fen),
    billFeeFen: num(r.bill_fee_fen),
    expectedFeeFen: num(r.expected_fee_fen),
    repair: r.action ?? null,
    resolution: r.note ? { note: r.note, by: r.resolved_by!, byName: r.resolver_name ?? r.resolved_by!, at: new Date(r.resolved_at!).toISOString() } : null,
  }));
}

/**
 * Matched records as of now: the bill's lines that have their record here
 * and are not among the run's differences (every record is in exactly one
 * class, so the rest of those is what matched).
 */
async function matchedViews(db: Kysely<DB>, run: RunRow, afterLine: number, limit: number | undefined): Promise<ReconcileItemView[]> {
  const [{ feeRatePpm }, bill] = await Promise.all([
    reconcileSettingsOf(db, run.merchant_id),
    db.selectFrom('reconcile_bills').select(['line_key', 'line_count']).where('id', '=', run.bill_id).executeTakeFirstOrThrow(),
  ]);
  const read = (from: number, to: number, n: number) =>
    sql<{
      line_no: number; kind: 'payment' | 'refund'; out_no: string; bill_status: string; bill_amount_fen: number; fee_milli: number;
      payment_id: string | null; refund_id: string | null; system_status: string | null; system_amount_fen: number | null;
    }>`select l.line_no, l.kind, l.out_no, l.status as bill_status, l.amount_fen as bill_amount_fen, l.fee_milli,
      coalesce(p.id, r.payment_id) as payment_id, r.id as refund_id, coalesce(p.status, r.status) as system_status, coalesce(p.amount_fen, r.amount_fen) as system_amount_fen
    from reconcile_bill_lines l
    left join payments p on l.kind = 'payment' and p.channel = ${run.channel} and p.out_trade_no = l.out_no and p.merchant_id = ${run.merchant_id}
    left join platform_refunds r on l.kind = 'refund' and r.channel = ${run.channel} and r.out_refund_no = l.out_no and r.merchant_id = ${run.merchant_id}
    where l.bill_key = ${bill.line_key} and l.line_no > ${from} and l.line_no <= ${to} and (p.id is not null or r.id is not null)
      and not exists (select 1 from reconcile_items i where i.run_id = ${run.id} and i.kind = l.kind and i.out_no = l.out_no)
    order by l.line_no
    limit ${n}`.execute(db);
  // A page reads a window of line numbers (the block-range index then skips the rest of the bill), widening it
  // while differences leave it short, rather than the whole bill once per page.
  const rows: Awaited<ReturnType<typeof read>>['rows'] = [];
  const want = limit ?? bill.line_count;
  let from = afterLine;
  let width = Math.max(2 * want, reconcile_matched_window_lines_min);
  while (rows.length < want && from < bill.line_count) {
    const to = Math.min(from + width, bill.line_count);
    rows.push(...(await read(from, to, want - rows.length)).rows);
    from = to;
    width *= 2;
  }
  return rows.map((r) => {
    const systemFen = r.system_amount_fen === null ? null : Number(r.system_amount_fen);
    return {
      id: -Number(r.line_no),
      class: 'matched',
      kind: r.kind,
      outNo: r.out_no,
      paymentId: r.payment_id,
      refundId: r.refund_id,
      billStatus: r.bill_status,
      systemStatus: r.system_status,
      billAmountFen: Number(r.bill_amount_fen),
      systemAmountFen: systemFen,
      billFeeFen: feeFenOf(Number(r.fee_milli)),
      expectedFeeFen: r.kind === 'payment' && systemFen !== null ? Math.floor((systemFen * feeRatePpm + 500_000) / 1_000_000) : null,
      repair: null,
      resolution: null,
    };
  });
}

export async function runReport(db: Kysely<DB>, merchantId: string, runId: string): Promise<ReconcileReport> {
  const run = await loadRun(db, merchantId, runId);
  const [view] = await runViews(db, merchantId, [run]);
  const bill = await db.selectFrom('reconcile_bills').selectAll().where('id', '=', run.bill_id).executeTakeFirstOrThrow();
  const feeFen = feeFenOf(Number(bill.fee_milli));
  return {
    run: view!,
    bill: { id: bill.id, lines: bill.line_count, paymentFen: Number(bill.payment_fen), refundFen: Number(bill.refund_fen), feeFen, netFen: Number(bill.payment_fen) - Number(bill.refund_fen) - feeFen },
    exceptions: await itemViews(db, run, { exceptionsOnly: true, limit: reconcile_items_page_max }),
  };
}

const itemHeaders = ['类型', '商户单号', '分类', '处理', '账单状态', '系统状态', '账单金额（元）', '系统金额（元）', '账单手续费（元）', '应收手续费（元）', '处理备注', '处理人', '处理时间'];
const repairLabels = { settled: '已补单', adjusted: '已自动调账', exception: '待处理' } as const;

/** An exception the owner has resolved reads as handled, not as still waiting. */
function repairText(i: ReconcileItemView): string {
  if (!i.repair) return '';
  return i.repair === 'exception' && i.resolution ? '已处理' : repairLabels[i.repair];
}

function itemRow(i: ReconcileItemView): (string | number | null)[] {
  const y = (f: number | null) => (f === null ? '' : fenToYuan(f));
  return [i.kind === 'payment' ? '支付' : '退款', i.outNo, reconcileClassLabels[i.class], repairText(i), i.billStatus ?? '', i.systemStatus ?? '', y(i.billAmountFen), y(i.systemAmountFen), y(i.billFeeFen), y(i.expectedFeeFen), i.resolution?.note ?? '', i.resolution?.byName ?? '', i.resolution ? beijingTimeText(i.resolution.at) : ''];
}

function summaryRows(report: ReconcileReport): [string, string][] {
  const r = report.run;
  return [
    ['渠道', r.channel === 'wechat' ? '微信支付' : '支付宝'],
    ['账单日期', r.billDate],
    ...reconcileClasses.map((c): [string, string] => [reconcileClassLabels[c], String(r.counts[c] ?? 0)]),
    ['收款（元）', fenToYuan(report.bill.paymentFen)],
    ['退款（元）', fenToYuan(report.bill.refundFen)],
    ['手续费（元）', fenToYuan(report.bill.feeFen)],
    ['净结算（元）', fenToYuan(report.bill.netFen)],
  ];
}

/** Every record that is not simply matched; matched ones are counted in the summary, not listed (a day may hold a million). */
async function differences(db: Kysely<DB>, merchantId: string, runId: string): Promise<ReconcileItemView[]> {
  const run = await loadRun(db, merchantId, runId);
  return itemViews(db, run, { classes: reconcileClasses.filter((c) => c !== 'matched') });
}

/** The item columns that hold amounts in yuan: written as numbers, so a negative one stays a number. */
const item_amount_columns: ReadonlySet<number> = new Set([6, 7, 8, 9]);
/** The summary rows whose value is text (channel, bill date); the rest are counts and amounts. */
const summary_text_rows = 2;

/**
 * UTF-8 with a BOM so Excel on Chinese Windows opens it as UTF-8. Every text
 * cell goes through the export module's csvField, which defuses what a
 * spreadsheet would run as a formula: trade numbers, statuses and the
 * owner's notes come from a bill file or a person, not from us.
 */
export async function exportCsv(db: Kysely<DB>, merchantId: string, runId: string): Promise<string> {
  const report = await runReport(db, merchantId, runId);
  let out = utf8_bom;
  summaryRows(report).forEach(([label, value], n) => {
    out += csvLine([csvField(label, true), csvField(value, n < summary_text_rows)]);
  });
  out += '\r\n' + csvLine(itemHeaders.map((h) => csvField(h, true)));
  for (const i of await differences(db, merchantId, runId)) {
    out += csvLine(itemRow(i).map((v, idx) => csvField(v === null ? '' : String(v), !item_amount_columns.has(idx))));
  }
  return out;
}

/** exceljs is loaded on the first spreadsheet asked for, not with the function, to keep it out of every cold start. */
export async function exportXlsx(db: Kysely<DB>, merchantId: string, runId: string): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const report = await runReport(db, merchantId, runId);
  const wb = new ExcelJS.Workbook();
  const summary = wb.addWorksheet('汇总');
  summary.columns = [{ header: '项目', width: 30 }, { header: '数值', width: 20 }];
  for (const [k, v] of summaryRows(report)) summary.addRow([k, /^-?\d+\.\d{2}$/.test(v) && k.includes('元') ? yuanCell(v) : v]);
  summary.getColumn(2).numFmt = '0.00';
  const sheet = wb.addWorksheet('差异明细');
  sheet.columns = itemHeaders.map((h) => ({ header: h, width: h.length > 6 ? 18 : 14 }));
  for (const i of await differences(db, merchantId, runId)) {
    sheet.addRow(itemRow(i).map((v, idx) => (idx >= 6 && idx <= 9 && typeof v === 'string' && v !== '' ? yuanCell(v) : v)));
  }
  for (const c of [7, 8, 9, 10]) sheet.getColumn(c).numFmt = '0.00';
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** A yuan amount as a number cell: the two-decimal string read by Excel is the nearest double, shown exactly with format 0.00. */
function yuanCell(yuan: string): number {
  return Number(yuan);
}
