import { z } from 'zod';
import { fen, idOf } from './common.js';

export const todayQuery = z.strictObject({ storeId: idOf('sto').optional() });

export const todayResponse = z.object({
  /** The business day in Asia/Shanghai, YYYY-MM-DD. */
  date: z.string(),
  storeId: z.string().nullable(),
  takingsFen: fen,
  orderCount: z.number().int(),
  avgTicketFen: fen,
  byTender: z.array(z.object({ tender: z.string(), fen })),
});
export type TodayResponse = z.infer<typeof todayResponse>;

/** The longest period one sales report covers. */
export const report_range_days_max = 366;
/** Rows of a per-SKU report (and of best or slow sellers) at most. */
export const report_rows_max = 500;
export const report_rows_default = 20;

export const salesReportKinds = ['summary', 'trend', 'store', 'category', 'sku', 'assistant', 'channel', 'tender', 'best', 'slow'] as const;
export type SalesReportKind = (typeof salesReportKinds)[number];
export const salesReportTitles: Record<SalesReportKind, string> = {
  summary: '销售汇总',
  trend: '销售走势',
  store: '门店对比',
  category: '品类销售',
  sku: '商品销售',
  assistant: '店员业绩',
  channel: '渠道销售',
  tender: '收款方式',
  best: '畅销商品',
  slow: '滞销商品',
};

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

export const salesReportParams = z.strictObject({ report: z.enum(salesReportKinds) });
export const salesReportQuery = z.strictObject({
  storeId: idOf('sto').optional(),
  /** Business days in Asia/Shanghai, both included; by default this month so far. */
  from: isoDate.optional(),
  to: isoDate.optional(),
  granularity: z.enum(['day', 'week', 'month']).optional(),
  limit: z.coerce.number().int().min(1).max(report_rows_max).optional(),
  format: z.enum(['json', 'csv', 'xlsx']).optional(),
});
export type SalesReportQuery = z.infer<typeof salesReportQuery>;

/**
 * How a cell is shown: fen as yuan with two decimals, bp (basis points) as a
 * percent with two decimals, x100 (hundredths) as a number with two decimals.
 */
export const reportColumnKind = z.enum(['text', 'int', 'fen', 'bp', 'x100']);
export type ReportColumnKind = z.infer<typeof reportColumnKind>;
export const reportColumn = z.object({ key: z.string(), title: z.string(), kind: reportColumnKind });
export type ReportColumn = z.infer<typeof reportColumn>;
export const reportCell = z.union([z.string(), z.number().int()]);
export type ReportRow = Record<string, string | number>;

/** Every sales report is one table: the columns say what each cell is, the total row sums the table (when a sum means something). */
export const reportTable = z.object({
  report: z.enum(salesReportKinds),
  title: z.string(),
  from: z.string(),
  to: z.string(),
  storeIds: z.array(z.string()),
  granularity: z.enum(['day', 'week', 'month']).nullable(),
  columns: z.array(reportColumn),
  rows: z.array(z.record(z.string(), reportCell)),
  total: z.record(z.string(), reportCell).nullable(),
});
export type ReportTable = z.infer<typeof reportTable>;
