import { z } from 'zod';
import { fen, idOf } from './common.js';

export const reconcile_note_length_max = 200;

export const reconcileClasses = ['matched', 'missing_in_bill', 'missing_in_system', 'amount_mismatch', 'status_mismatch', 'fee_difference', 'crossed_midnight'] as const;
export const reconcileClass = z.enum(reconcileClasses);
export type ReconcileClassName = z.infer<typeof reconcileClass>;

/** 中文 names of the classes, for the app and the exports. */
export const reconcileClassLabels: Record<ReconcileClassName, string> = {
  matched: '一致',
  missing_in_bill: '账单缺失（系统有，平台无）',
  missing_in_system: '系统缺失（平台有，系统无）',
  amount_mismatch: '金额不符',
  status_mismatch: '状态不符',
  fee_difference: '手续费差异',
  crossed_midnight: '跨日',
};

const channel = z.enum(['wechat', 'alipay']);
const day = z.iso.date();

export const billUploadQuery = z.strictObject({ channel, date: day });
export const reconcileRunRequest = z.strictObject({ channel, date: day });
export const resolveExceptionRequest = z.strictObject({ note: z.string().trim().min(1).max(reconcile_note_length_max) });
export const reconcileItemsQuery = z.strictObject({ class: reconcileClass.optional(), after: z.coerce.number().int().min(0).optional() });
export const reconcileExportQuery = z.strictObject({ format: z.enum(['csv', 'xlsx']) });

export const reconcileRunView = z.object({
  id: idOf('rrn'),
  channel,
  billDate: day,
  status: z.enum(['running', 'done', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  counts: z.record(z.string(), z.number().int()),
  exceptions: z.number().int(),
  unresolved: z.number().int(),
  feeFen: fen.nullable(),
  netFen: fen.nullable(),
  resultHash: z.string().nullable(),
  error: z.string().nullable(),
});
export type ReconcileRunView = z.infer<typeof reconcileRunView>;

export const reconcileItemView = z.object({
  id: z.number().int(),
  class: reconcileClass,
  kind: z.enum(['payment', 'refund']),
  outNo: z.string(),
  paymentId: z.string().nullable(),
  refundId: z.string().nullable(),
  billStatus: z.string().nullable(),
  systemStatus: z.string().nullable(),
  billAmountFen: fen.nullable(),
  systemAmountFen: fen.nullable(),
  billFeeFen: fen.nullable(),
  expectedFeeFen: fen.nullable(),
  repair: z.enum(['settled', 'adjusted', 'exception']).nullable(),
  /** Who resolved it (staff id and name) and when. */
  resolution: z.object({ note: z.string(), by: z.string(), byName: z.string(), at: z.string() }).nullable(),
});
export type ReconcileItemView = z.infer<typeof reconcileItemView>;

export const reconcileRunsResponse = z.object({ items: z.array(reconcileRunView) });
export const reconcileReport = z.object({
  run: reconcileRunView,
  bill: z.object({ id: z.string(), lines: z.number().int(), paymentFen: fen, refundFen: fen, feeFen: fen, netFen: fen }),
  exceptions: z.array(reconcileItemView),
});
export type ReconcileReport = z.infer<typeof reconcileReport>;
export const reconcileItemsResponse = z.object({ items: z.array(reconcileItemView), next: z.number().int().nullable() });
export const billUploadResponse = z.object({ billId: z.string(), replayed: z.boolean(), lines: z.number().int(), run: reconcileRunView });

export const billDownloadOutcomes = ['reconciled', 'already_reconciled', 'no_statement', 'not_ready', 'hash_mismatch', 'malformed', 'failed'] as const;
export const billDownloadOutcome = z.enum(billDownloadOutcomes);
export type BillDownloadOutcome = z.infer<typeof billDownloadOutcome>;
export const billDownloadOutcomeLabels: Record<BillDownloadOutcome, string> = {
  reconciled: '已下载并对账',
  already_reconciled: '已对过账（同一份账单）',
  no_statement: '当日无交易，平台无账单',
  not_ready: '账单尚未生成',
  hash_mismatch: '账单校验失败，已拒收',
  malformed: '账单格式错误',
  failed: '下载失败',
};
export const billDownloadRequest = z.strictObject({ channel, date: day });
export const billDownloadResponse = z.object({ outcome: billDownloadOutcome, message: z.string(), billId: z.string().nullable(), run: reconcileRunView.nullable() });
export const billDownloadView = z.object({ id: z.string(), channel, billDate: day, outcome: billDownloadOutcome, message: z.string().nullable(), runId: z.string().nullable(), byCron: z.boolean(), at: z.string() });
export const billDownloadsResponse = z.object({ items: z.array(billDownloadView) });
