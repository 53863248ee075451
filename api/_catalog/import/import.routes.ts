import { Hono } from 'hono';
import type { AppEnv } from '../../_kernel/context.js';
import { assertStoreAccess, requireAuth, staffOf } from '../../_identity/index.js';
import { readBodyLimited } from '../../_kernel/body.js';
import { AppError } from '../../_kernel/errors.js';
import { readQuery } from '../../_kernel/validate.js';
import { businessDate } from '../../_kernel/clock.js';
import { attachment } from '../../_export/index.js';
import { catalogExportQuery, catalogImportQuery, catalog_import_problems_shown_max, type CatalogImportResponse } from '../../../shared/api/catalog-import.js';
import { catalog_import_bytes_max } from '../../../shared/catalog/sheet.js';
import { readSheet } from './read-sheet.js';
import { planCounts, planImport } from './plan.js';
import { applyImport, fileHash, replayOf } from './apply.js';
import { catalogCsv, catalogRows, catalogXlsx, templateRows } from './sheet-files.js';

/** Merchant-wide prices and costs are the owner's (#15), so the sheet's three routes are too. */
const owner = requireAuth(['owner']);
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const catalogImportRoutes = new Hono<AppEnv>();

function tooLarge(): AppError {
  return new AppError('payload_too_large', `文件超过 ${catalog_import_bytes_max / 1024 / 1024} MB 上限（catalog_import_bytes_max）`);
}

/**
 * The file, sent as the raw body (the browser and tests) or as the `file`
 * field of a multipart form (the mini-programs' uploadFile can only send that).
 */
async function uploadedFile(request: Request): Promise<Uint8Array> {
  const body = await readBodyLimited(request, catalog_import_bytes_max, tooLarge, '没有收到文件');
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) return body;
  const form = await new Response(new Uint8Array(body) as Uint8Array<ArrayBuffer>, { headers: { 'content-type': type } }).formData().catch(() => {
    throw new AppError('bad_request', '上传内容无法读取');
  });
  const file = form.get('file');
  if (!file || typeof file === 'string') throw new AppError('bad_request', '表单里没有名为 file 的文件');
  return new Uint8Array(await file.arrayBuffer());
}

catalogImportRoutes.get('/catalog/template', owner, async (c) => {
  const deps = c.get('deps');
  const rows = await templateRows(deps.db, staffOf(c.get('principal')).merchantId);
  return c.body(new Uint8Array(await catalogXlsx(rows, true)), 200, { 'content-type': xlsxType, 'content-disposition': attachment('商品导入模板.xlsx'), 'cache-control': 'no-store' });
});

catalogImportRoutes.get('/catalog/export', owner, async (c) => {
  const { format } = readQuery(c, catalogExportQuery);
  const deps = c.get('deps');
  const rows = await catalogRows(deps.db, staffOf(c.get('principal')).merchantId);
  const name = `商品资料_${businessDate(deps.clock())}.${format}`;
  if (format === 'csv') return c.body(catalogCsv(rows), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': attachment(name), 'cache-control': 'no-store' });
  return c.body(new Uint8Array(await catalogXlsx(rows, false)), 200, { 'content-type': xlsxType, 'content-disposition': attachment(name), 'cache-control': 'no-store' });
});

/**
 * A dry run unless `apply=true`: the whole file is read and checked, and the
 * answer lists every bad row with its reason and what an import would do.
 * An import writes only a file with no problems, and one with prices below
 * cost only when the owner accepted them. Opening stock goes into the store
 * the query names (checked before the file is read: another merchant's is
 * 404) or else the owner's first store.
 */
catalogImportRoutes.post('/catalog/imports', owner, async (c) => {
  const q = readQuery(c, catalogImportQuery);
  const deps = c.get('deps');
  const staff = staffOf(c.get('principal'));
  if (q.storeId) await assertStoreAccess(deps.db, staff, q.storeId);
  const storeId = q.storeId ?? staff.storeIds[0] ?? null;
  const bytes = await uploadedFile(c.req.raw);
  if (q.apply === 'true') {
    // A repeat of an import already made answers as the first time, before the file is read against a catalog it has changed.
    const prior = await replayOf(deps.db, staff.merchantId, q.importId, fileHash(bytes), q.storeId ?? null);
    if (prior) return c.json({ applied: true, replayed: true, ...prior, problems: [], problemCount: 0, warnings: [], warningCount: 0 } satisfies CatalogImportResponse);
  }
  const plan = await planImport(deps.db, staff.merchantId, await readSheet(bytes));
  if (plan.opening.units > 0 && storeId === null) plan.problems.unshift({ line: 1, column: '期初库存', message: '表格填写了期初库存，但还没有门店可放：请先添加门店' });
  const answer: CatalogImportResponse = {
    applied: false,
    replayed: false,
    counts: planCounts(plan),
    problems: plan.problems.slice(0, catalog_import_problems_shown_max),
    problemCount: plan.problems.length,
    warnings: plan.warnings.slice(0, catalog_import_problems_shown_max),
    warningCount: plan.warnings.length,
    openingStoreId: plan.opening.units > 0 ? storeId : null,
  };
  if (q.apply !== 'true') return c.json(answer);
  const fields = (list: typeof plan.problems) => list.slice(0, catalog_import_problems_shown_max).map((p) => ({ path: `第${p.line}行.${p.column}`, message: p.message }));
  if (plan.problems.length > 0) throw new AppError('validation_failed', `有 ${plan.problems.length} 处问题，没有导入任何商品；请改正后重新上传`, fields(plan.problems));
  if (plan.warnings.length > 0 && q.acceptBelowCost !== 'true') throw new AppError('conflict', `有 ${plan.warnings.length} 个规格零售价低于成本价；确认无误请选择“仍然导入”`, fields(plan.warnings));
  const result = await applyImport(deps, staff, { importId: q.importId, sha256: fileHash(bytes), plan, storeId, namedStoreId: q.storeId ?? null });
  return c.json({ ...answer, applied: true, replayed: result.replayed, counts: result.counts, openingStoreId: result.openingStoreId } satisfies CatalogImportResponse, result.replayed ? 200 : 201);
});
