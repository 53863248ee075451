import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { AppError } from '../_kernel/errors.js';
import { readJson, readParams, readQuery } from '../_kernel/validate.js';
import { idOf } from '../../shared/api/common.js';
import { billDownloadRequest, billUploadQuery, reconcileExportQuery, reconcileItemsQuery, reconcileRunRequest, resolveExceptionRequest } from '../../shared/api/reconcile.js';
import { audit } from '../_audit/index.js';
import { storeBill, streamChunks } from './bills.service.js';
import { runReconcile } from './run.service.js';
import { downloadAndReconcile } from './download.service.js';
import { dayText, exportCsv, exportXlsx, itemViews, loadRun, runReport, runViews } from './report.js';
import { reconcile_bill_bytes_max, reconcile_items_page_max } from './limits.js';
import { itemWithRepair, recentDownloads, recentRuns, recordResolution } from './reconcile.repository.js';

export const reconcileRoutes = new Hono<AppEnv>();

const managers = ['owner', 'manager'] as const;
export const reconcile_runs_list_max = 60;
const runParams = z.object({ runId: idOf('rrn') });

async function viewOf(c: Context<AppEnv>, runId: string) {
  const deps = c.get('deps');
  const staff = staffOf(c.get('principal'));
  const [view] = await runViews(deps.db, staff.merchantId, [await loadRun(deps.db, staff.merchantId, runId)]);
  return view!;
}

/** A bill uploaded by hand (the raw file as the body), staged, then reconciled at once. */
reconcileRoutes.post('/reconcile/bills', requireAuth(managers), async (c) => {
  const q = readQuery(c, billUploadQuery);
  const staff = staffOf(c.get('principal'));
  const deps = c.get('deps');
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > reconcile_bill_bytes_max) throw new AppError('payload_too_large', `账单超过 ${reconcile_bill_bytes_max} 字节上限（reconcile_bill_bytes_max）`);
  const stored = await storeBill(deps, { merchantId: staff.merchantId, channel: q.channel, billDate: q.date, actorId: staff.staffId, source: 'upload', body: streamChunks(c.req.raw.body) });
  const run = await runReconcile(deps, { merchantId: staff.merchantId, channel: q.channel, billDate: q.date, actorId: staff.staffId });
  return c.json({ billId: stored.billId, replayed: stored.replayed, lines: stored.totals.lines, run: await viewOf(c, run.runId) }, stored.replayed ? 200 : 201);
});

/** Runs a day again against its latest bill; the result compares equal when nothing changed. */
reconcileRoutes.post('/reconcile/runs', requireAuth(managers), async (c) => {
  const body = await readJson(c, reconcileRunRequest);
  const staff = staffOf(c.get('principal'));
  const run = await runReconcile(c.get('deps'), { merchantId: staff.merchantId, channel: body.channel, billDate: body.date, actorId: staff.staffId });
  return c.json(await viewOf(c, run.runId), 201);
});

reconcileRoutes.get('/reconcile/runs', requireAuth(managers), async (c) => {
  const staff = staffOf(c.get('principal'));
  const db = c.get('deps').db;
  const runs = await recentRuns(db, staff.merchantId, reconcile_runs_list_max);
  return c.json({ items: await runViews(db, staff.merchantId, runs) });
});

reconcileRoutes.get('/reconcile/runs/:runId', requireAuth(managers), async (c) => {
  const { runId } = readParams(c, runParams);
  return c.json(await runReport(c.get('deps').db, staffOf(c.get('principal')).merchantId, runId));
});

reconcileRoutes.get('/reconcile/runs/:runId/items', requireAuth(managers), async (c) => {
  const { runId } = readParams(c, runParams);
  const q = readQuery(c, reconcileItemsQuery);
  const db = c.get('deps').db;
  const run = await loadRun(db, staffOf(c.get('principal')).merchantId, runId);
  const items = await itemViews(db, run, { classes: q.class ? [q.class] : undefined, after: q.after, limit: reconcile_items_page_max });
  // Matched records carry −(line number) as id, and their cursor is the line number.
  return c.json({ items, next: items.length === reconcile_items_page_max ? Math.abs(items[items.length - 1]!.id) : null });
});

reconcileRoutes.get('/reconcile/runs/:runId/export', requireAuth(managers), async (c) => {
  const { runId } = readParams(c, runParams);
  const { format } = readQuery(c, reconcileExportQuery);
  const db = c.get('deps').db;
  const merchantId = staffOf(c.get('principal')).merchantId;
  const name = `reconcile-${runId}.${format}`;
  if (format === 'csv') {
    return c.body(await exportCsv(db, merchantId, runId), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` });
  }
  const bytes = await exportXlsx(db, merchantId, runId);
  return c.body(bytes as unknown as ArrayBuffer, 200, { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'content-disposition': `attachment; filename="${name}"` });
});

/** The owner's word on an exception. Keyed by merchant × channel × day × record × class, so it holds for every re-run of the day. */
reconcileRoutes.post('/reconcile/runs/:runId/items/:itemId/resolve', requireAuth(managers), async (c) => {
  const { runId, itemId } = readParams(c, z.object({ runId: idOf('rrn'), itemId: z.coerce.number().int().positive() }));
  const { note } = await readJson(c, resolveExceptionRequest);
  const staff = staffOf(c.get('principal'));
  const db = c.get('deps').db;
  const run = await loadRun(db, staff.merchantId, runId);
  const item = await itemWithRepair(db, run.id, itemId);
  if (!item) throw new AppError('not_found', `找不到对账差异 ${itemId}`);
  if (item.action !== 'exception') throw new AppError('conflict', '该差异已自动处理，无需人工处理');
  const done = await recordResolution(db, { merchantId: staff.merchantId, staffId: staff.staffId, run, itemId, item, note });
  if (!done) throw new AppError('conflict', '该差异已处理过');
  const [view] = await itemViews(db, run, { after: itemId - 1, limit: 1 });
  return c.json(view);
});

export const reconcile_downloads_list_max = 30;

/** Fetches a chosen day's bill from the platform and reconciles it; a day already reconciled is run again (same result when nothing changed). */
reconcileRoutes.post('/reconcile/downloads', requireAuth(managers), async (c) => {
  const body = await readJson(c, billDownloadRequest);
  const staff = staffOf(c.get('principal'));
  const deps = c.get('deps');
  const r = await downloadAndReconcile(deps, { merchantId: staff.merchantId, channel: body.channel, billDate: body.date, actorId: staff.staffId, skipReconciled: false });
  await audit(deps.db, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'reconcile.download', subjectId: r.run?.runId ?? r.billId ?? body.date, detail: { channel: body.channel, date: body.date, outcome: r.outcome } });
  return c.json({ outcome: r.outcome, message: r.message, billId: r.billId, run: r.run ? await viewOf(c, r.run.runId) : null }, r.outcome === 'reconciled' ? 201 : 200);
});

/** The latest bill downloads, the cron's included, each with its outcome. */
reconcileRoutes.get('/reconcile/downloads', requireAuth(managers), async (c) => {
  const staff = staffOf(c.get('principal'));
  const rows = await recentDownloads(c.get('deps').db, staff.merchantId, reconcile_downloads_list_max);
  return c.json({
    items: rows.map((r) => ({ id: r.id, channel: r.channel, billDate: dayText(r.bill_date), outcome: r.outcome, message: r.message, runId: r.run_id, byCron: r.started_by === null, at: new Date(r.created_at).toISOString() })),
  });
});
