import { Hono } from 'hono';
import type { AppEnv, StaffPrincipal } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { assertStoreAccess } from '../_identity/index.js';
import { AppError } from '../_kernel/errors.js';
import { readParams, readQuery } from '../_kernel/validate.js';
import { businessDate } from '../_kernel/clock.js';
import type { Deps } from '../_kernel/deps.js';
import { report_range_days_max, report_rows_default, report_rows_max, salesReportParams, salesReportQuery, type ReportTable, type SalesReportKind, type SalesReportQuery } from '../../shared/api/reports.js';
import { attachment, reportFileName } from '../_export/index.js';
import { reportCsv } from '../_export/index.js';
import { reportXlsx } from '../_export/index.js';
import { daysBetween, isValidDate, monthStart } from './period.js';
import { assistantReport, bestReport, categoryReport, channelReport, skuReport, slowReport, storeCountOf, storeReport, summaryReport, tenderReport, trendReport, type ReportScope } from './sales.js';

export const salesReportRoutes = new Hono<AppEnv>();

/** The stores and days a report covers: one store if asked (and allowed), else all the caller may see; this month so far by default. */
async function reportScope(deps: Deps, p: StaffPrincipal, q: SalesReportQuery): Promise<ReportScope> {
  const to = q.to ?? businessDate(deps.clock());
  const from = q.from ?? monthStart(to);
  if (!isValidDate(from) || !isValidDate(to)) throw new AppError('validation_failed', `日期不存在：${from} 至 ${to}`, [{ path: isValidDate(from) ? 'to' : 'from', message: 'not a calendar date' }]);
  if (from > to) throw new AppError('validation_failed', `开始日期 ${from} 晚于结束日期 ${to}`, [{ path: 'from', message: 'after to' }]);
  if (daysBetween(from, to) > report_range_days_max) {
    throw new AppError('validation_failed', `报表期间最长 ${report_range_days_max} 天（report_range_days_max），请缩短期间`, [{ path: 'to', message: `period longer than report_range_days_max (${report_range_days_max})` }]);
  }
  if (q.storeId) await assertStoreAccess(deps.db, p, q.storeId);
  const storeIds = q.storeId ? [q.storeId] : p.storeIds;
  const storeCount = await storeCountOf(deps.db, p.merchantId);
  return { merchantId: p.merchantId, storeIds, from, to, allStores: storeIds.length > 0 && storeIds.length === storeCount };
}

export async function buildSalesReport(deps: Deps, kind: SalesReportKind, s: ReportScope, q: SalesReportQuery): Promise<ReportTable> {
  const db = deps.db;
  switch (kind) {
    case 'summary':
      return summaryReport(db, s);
    case 'trend':
      return trendReport(db, s, q.granularity ?? 'day');
    case 'store':
      return storeReport(db, s);
    case 'category':
      return categoryReport(db, s);
    case 'sku':
      return skuReport(db, s, q.limit ?? report_rows_max);
    case 'assistant':
      return assistantReport(db, s);
    case 'channel':
      return channelReport(db, s);
    case 'tender':
      return tenderReport(db, s);
    case 'best':
      return bestReport(db, s, q.limit ?? report_rows_default);
    case 'slow':
      return slowReport(db, s, q.limit ?? report_rows_default);
  }
}

/** Owners see every store, managers their own; assistants see no reports. `?format=csv|xlsx` downloads the same table. */
salesReportRoutes.get('/reports/sales/:report', requireAuth(['owner', 'manager']), async (c) => {
  const { report } = readParams(c, salesReportParams);
  const q = readQuery(c, salesReportQuery);
  const deps = c.get('deps');
  const scope = await reportScope(deps, staffOf(c.get('principal')), q);
  const t = await buildSalesReport(deps, report, scope, q);
  if (q.format === 'csv') {
    return c.body(reportCsv(t), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': attachment(reportFileName(t, 'csv')), 'cache-control': 'no-store' });
  }
  if (q.format === 'xlsx') {
    const body = await reportXlsx(t);
    return c.body(new Uint8Array(body), 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': attachment(reportFileName(t, 'xlsx')),
      'cache-control': 'no-store',
    });
  }
  return c.json(t);
});
