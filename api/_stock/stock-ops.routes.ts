import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { AppError } from '../_kernel/errors.js';
import { assertStoreAccess } from '../_identity/index.js';
import { readJson, readParams, readQuery } from '../_kernel/validate.js';
import { audit } from '../_audit/index.js';
import { idOf } from '../../shared/api/common.js';
import {
  approveStocktakeRequest,
  batchTrackingRequest,
  countRequest,
  createTransferRequest,
  recordBatchRequest,
  startStocktakeRequest,
  stockAlertSettings,
  stockLimitsRequest,
  stocktakesQuery,
  transferQtyRequest,
  transfersQuery,
  writeOffRequest,
} from '../../shared/api/stock-ops.js';
import { cancelTransfer, createTransfer, listTransfers, receiveTransfer, shipTransfer, transferViews, writeOffTransfer } from './transfers.service.js';
import { approveStocktake, cancelStocktake, countLine, listStocktakes, startStocktake, stocktakeView } from './stocktakes.service.js';
import { batchById, batchesInStore, dayOf, recordBatch, setBatchTracked } from './batches.js';
import { saveStockLimits, stockLimitsOf } from './limits.repository.js';
import { alertSettings, setAlertSettings, storeAlerts } from './alerts.js';
import { assertManagerOf, skuInfo } from './stock-ops.common.js';

export const stockOpsRoutes = new Hono<AppEnv>();

const transferParams = z.object({ transferId: idOf('trf') });
const stocktakeParams = z.object({ stocktakeId: idOf('stk') });
const storeParams = z.object({ storeId: idOf('sto') });
const skuParams = z.object({ skuId: idOf('sku') });
const managers = ['owner', 'manager'] as const;

stockOpsRoutes.post('/transfers', requireAuth(managers), async (c) => {
  const body = await readJson(c, createTransferRequest);
  const r = await createTransfer(c.get('deps'), staffOf(c.get('principal')), body);
  return c.json(r, r.replayed ? 200 : 201);
});

stockOpsRoutes.get('/transfers', requireAuth('staff'), async (c) => {
  const q = readQuery(c, transfersQuery);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  if (q.storeId) await assertStoreAccess(deps.db, p, q.storeId);
  return c.json(await listTransfers(deps.db, p.merchantId, q.storeId ? [q.storeId] : p.storeIds, q.status));
});

stockOpsRoutes.get('/transfers/:transferId', requireAuth('staff'), async (c) => {
  const { transferId } = readParams(c, transferParams);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  const [view] = await transferViews(deps.db, p.merchantId, [transferId]);
  if (!view) throw new AppError('not_found', `找不到调拨单 ${transferId}`);
  if (p.role !== 'owner' && !p.storeIds.includes(view.fromStore.id) && !p.storeIds.includes(view.toStore.id)) throw new AppError('forbidden', '你不属于这张调拨单的门店');
  return c.json({ transfer: view, replayed: false });
});

stockOpsRoutes.post('/transfers/:transferId/ship', requireAuth(managers), async (c) => {
  const { transferId } = readParams(c, transferParams);
  const body = await readJson(c, transferQtyRequest);
  return c.json(await shipTransfer(c.get('deps'), staffOf(c.get('principal')), transferId, body));
});

stockOpsRoutes.post('/transfers/:transferId/receive', requireAuth(managers), async (c) => {
  const { transferId } = readParams(c, transferParams);
  const body = await readJson(c, transferQtyRequest);
  return c.json(await receiveTransfer(c.get('deps'), staffOf(c.get('principal')), transferId, body));
});

stockOpsRoutes.post('/transfers/:transferId/write-off', requireAuth(managers), async (c) => {
  const { transferId } = readParams(c, transferParams);
  const { note } = await readJson(c, writeOffRequest);
  return c.json(await writeOffTransfer(c.get('deps'), staffOf(c.get('principal')), transferId, note));
});

stockOpsRoutes.post('/transfers/:transferId/cancel', requireAuth(managers), async (c) => {
  const { transferId } = readParams(c, transferParams);
  return c.json(await cancelTransfer(c.get('deps'), staffOf(c.get('principal')), transferId));
});

stockOpsRoutes.post('/stocktakes', requireAuth(managers), async (c) => {
  const body = await readJson(c, startStocktakeRequest);
  const r = await startStocktake(c.get('deps'), staffOf(c.get('principal')), body);
  return c.json(r, r.replayed ? 200 : 201);
});

stockOpsRoutes.get('/stocktakes', requireAuth('staff'), async (c) => {
  const q = readQuery(c, stocktakesQuery);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  if (q.storeId) await assertStoreAccess(deps.db, p, q.storeId);
  return c.json({ items: await listStocktakes(deps.db, p.merchantId, q.storeId ? [q.storeId] : p.storeIds, q.status) });
});

stockOpsRoutes.get('/stocktakes/:stocktakeId', requireAuth('staff'), async (c) => {
  const { stocktakeId } = readParams(c, stocktakeParams);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  const view = await stocktakeView(deps.db, p.merchantId, stocktakeId);
  await assertStoreAccess(deps.db, p, view.storeId);
  return c.json({ stocktake: view, replayed: false });
});

stockOpsRoutes.post('/stocktakes/:stocktakeId/counts', requireAuth('staff'), async (c) => {
  const { stocktakeId } = readParams(c, stocktakeParams);
  const body = await readJson(c, countRequest);
  const r = await countLine(c.get('deps'), staffOf(c.get('principal')), stocktakeId, body);
  return c.json(r);
});

stockOpsRoutes.post('/stocktakes/:stocktakeId/approve', requireAuth(managers), async (c) => {
  const { stocktakeId } = readParams(c, stocktakeParams);
  const { uncounted } = await readJson(c, approveStocktakeRequest);
  return c.json(await approveStocktake(c.get('deps'), staffOf(c.get('principal')), stocktakeId, uncounted));
});

stockOpsRoutes.post('/stocktakes/:stocktakeId/cancel', requireAuth(managers), async (c) => {
  const { stocktakeId } = readParams(c, stocktakeParams);
  return c.json(await cancelStocktake(c.get('deps'), staffOf(c.get('principal')), stocktakeId));
});

stockOpsRoutes.put('/skus/:skuId/batch-tracking', requireAuth(managers), async (c) => {
  const { skuId } = readParams(c, skuParams);
  const { tracked } = await readJson(c, batchTrackingRequest);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  if (!(await skuInfo(deps.db, p.merchantId, [skuId])).has(skuId)) throw new AppError('not_found', `找不到商品 ${skuId}`);
  await setBatchTracked(deps.db, p.merchantId, skuId, tracked);
  await audit(deps.db, { merchantId: p.merchantId, actorId: p.staffId, action: 'sku.batch_tracking', subjectId: skuId, detail: { tracked } });
  return c.json({ skuId, tracked });
});

stockOpsRoutes.post('/stock/batches', requireAuth(managers), async (c) => {
  const body = await readJson(c, recordBatchRequest);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  await assertManagerOf(deps.db, p, body.storeId, '登记批次');
  const sku = (await skuInfo(deps.db, p.merchantId, [body.skuId])).get(body.skuId);
  if (!sku) throw new AppError('not_found', `找不到商品 ${body.skuId}`);
  const r = await deps.db.transaction().execute((trx) =>
    recordBatch(trx, { merchantId: p.merchantId, storeId: body.storeId, skuId: body.skuId, batchNo: body.batchNo, expiresOn: body.expiresOn, qty: body.qty, idempotencyKey: `batch_api:${body.clientBatchRecordId}`, createdBy: p.staffId }),
  );
  const b = await batchById(deps.db, r.batchId);
  return c.json({ batch: { id: b.id, storeId: b.store_id, skuId: b.sku_id, name: sku.name, batchNo: b.batch_no, expiresOn: dayOf(b.expires_on), qty: b.qty }, replayed: !r.created }, r.created ? 201 : 200);
});

stockOpsRoutes.get('/stores/:storeId/batches', requireAuth('staff'), async (c) => {
  const { storeId } = readParams(c, storeParams);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  await assertStoreAccess(deps.db, p, storeId);
  const rows = await batchesInStore(deps.db, p.merchantId, storeId);
  const skus = await skuInfo(deps.db, p.merchantId, rows.map((r) => r.sku_id));
  return c.json({ items: rows.map((b) => ({ id: b.id, storeId: b.store_id, skuId: b.sku_id, name: skus.get(b.sku_id)?.name ?? b.sku_id, batchNo: b.batch_no, expiresOn: dayOf(b.expires_on), qty: b.qty })) });
});

async function limitsOf(c: { get: (k: 'deps') => AppEnv['Variables']['deps'] }, storeId: string) {
  const rows = await stockLimitsOf(c.get('deps').db, storeId);
  return { items: rows.map((r) => ({ skuId: r.sku_id, minQty: r.min_qty, maxQty: r.max_qty })) };
}

stockOpsRoutes.get('/stores/:storeId/stock-limits', requireAuth(managers), async (c) => {
  const { storeId } = readParams(c, storeParams);
  await assertStoreAccess(c.get('deps').db, staffOf(c.get('principal')), storeId);
  return c.json(await limitsOf(c, storeId));
});

stockOpsRoutes.put('/stores/:storeId/stock-limits', requireAuth(managers), async (c) => {
  const { storeId } = readParams(c, storeParams);
  const body = await readJson(c, stockLimitsRequest);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  await assertManagerOf(deps.db, p, storeId, '设置库存上下限');
  const skus = await skuInfo(deps.db, p.merchantId, body.items.map((i) => i.skuId));
  const missing = body.items.filter((i) => !skus.has(i.skuId)).map((i) => i.skuId);
  if (missing.length > 0) throw new AppError('not_found', `找不到商品：${missing.join('、')}`);
  await saveStockLimits(deps.db, { merchantId: p.merchantId, storeId, staffId: p.staffId, items: body.items }, deps.clock);
  return c.json(await limitsOf(c, storeId));
});

stockOpsRoutes.get('/settings/stock-alerts', requireAuth(managers), async (c) => {
  return c.json(await alertSettings(c.get('deps').db, staffOf(c.get('principal')).merchantId));
});

stockOpsRoutes.put('/settings/stock-alerts', requireAuth(['owner']), async (c) => {
  const body = await readJson(c, stockAlertSettings);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  await setAlertSettings(deps.db, p.merchantId, body);
  await audit(deps.db, { merchantId: p.merchantId, actorId: p.staffId, action: 'settings.stock_alerts', subjectId: null, detail: body });
  return c.json(await alertSettings(deps.db, p.merchantId));
});

stockOpsRoutes.get('/stores/:storeId/stock-alerts', requireAuth(managers), async (c) => {
  const { storeId } = readParams(c, storeParams);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  await assertStoreAccess(deps.db, p, storeId);
  return c.json(await storeAlerts(deps.db, p.merchantId, storeId, deps.clock()));
});

stockOpsRoutes.get('/boss/stock-alert-counts', requireAuth(managers), async (c) => {
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  const items = [];
  for (const storeId of p.storeIds) {
    const a = await storeAlerts(deps.db, p.merchantId, storeId, deps.clock());
    items.push({ storeId, counts: a.counts, total: a.items.length });
  }
  return c.json({ items });
});
