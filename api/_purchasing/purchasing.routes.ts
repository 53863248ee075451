import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { assertStoreAccess } from '../_identity/index.js';
import { readJson, readParams, readQuery } from '../_kernel/validate.js';
import { businessDate } from '../_kernel/clock.js';
import { idOf } from '../../shared/api/common.js';
import {
  createPurchaseOrderRequest,
  createSupplierRequest,
  payablesQuery,
  periodQuery,
  purchaseOrdersQuery,
  purchaseReturnRequest,
  purchasesReportQuery,
  receiveRequest,
  reorderQuery,
  supplierPaymentRequest,
  updateSupplierRequest,
} from '../../shared/api/purchasing.js';
import { createSupplier, listSuppliers, supplierOf, updateSupplier } from './suppliers.service.js';
import { changePurchaseOrderStatus, createPurchaseOrder, accessiblePurchaseOrder, listPurchaseOrders } from './orders.service.js';
import { purchaseOrderView } from './order-view.js';
import { receivePurchaseOrder } from './receiving.service.js';
import { returnToSupplier } from './purchase-returns.service.js';
import { paySupplier } from './payments.service.js';
import { listPayables, payablesAging } from './payables.service.js';
import { supplierStatement } from './statement.js';
import { reorderSuggestions } from './reorder.js';
import { purchasesReport } from './report.js';

/** Purchasing is the owner's and the manager's: an assistant can neither order goods nor pay for them. */
const managers = requireAuth(['owner', 'manager']);
const supplierParams = z.object({ supplierId: idOf('sup') });
const poParams = z.object({ poId: idOf('pco') });

export const purchasingRoutes = new Hono<AppEnv>();

purchasingRoutes.get('/purchasing/suppliers', managers, async (c) => {
  return c.json({ items: await listSuppliers(c.get('deps').db, staffOf(c.get('principal')).merchantId) });
});

purchasingRoutes.post('/purchasing/suppliers', managers, async (c) => {
  const body = await readJson(c, createSupplierRequest);
  return c.json({ supplier: await createSupplier(c.get('deps'), staffOf(c.get('principal')), body) }, 201);
});

purchasingRoutes.get('/purchasing/suppliers/:supplierId', managers, async (c) => {
  const { supplierId } = readParams(c, supplierParams);
  return c.json({ supplier: await supplierOf(c.get('deps').db, staffOf(c.get('principal')).merchantId, supplierId) });
});

purchasingRoutes.patch('/purchasing/suppliers/:supplierId', managers, async (c) => {
  const { supplierId } = readParams(c, supplierParams);
  const body = await readJson(c, updateSupplierRequest);
  return c.json({ supplier: await updateSupplier(c.get('deps'), staffOf(c.get('principal')), supplierId, body) });
});

purchasingRoutes.get('/purchasing/suppliers/:supplierId/statement', managers, async (c) => {
  const { supplierId } = readParams(c, supplierParams);
  const q = readQuery(c, periodQuery);
  return c.json(await supplierStatement(c.get('deps').db, staffOf(c.get('principal')).merchantId, supplierId, q.from, q.to));
});

purchasingRoutes.get('/purchasing/orders', managers, async (c) => {
  const q = readQuery(c, purchaseOrdersQuery);
  return c.json({ items: await listPurchaseOrders(c.get('deps'), staffOf(c.get('principal')), q) });
});

purchasingRoutes.post('/purchasing/orders', managers, async (c) => {
  const body = await readJson(c, createPurchaseOrderRequest);
  const result = await createPurchaseOrder(c.get('deps'), staffOf(c.get('principal')), body);
  return c.json(result, result.replayed ? 200 : 201);
});

purchasingRoutes.get('/purchasing/orders/:poId', managers, async (c) => {
  const { poId } = readParams(c, poParams);
  const deps = c.get('deps');
  const staff = staffOf(c.get('principal'));
  await accessiblePurchaseOrder(deps, staff, poId);
  return c.json({ order: await purchaseOrderView(deps.db, staff.merchantId, poId), replayed: false });
});

purchasingRoutes.post('/purchasing/orders/:poId/submit', managers, async (c) => {
  const { poId } = readParams(c, poParams);
  return c.json({ order: await changePurchaseOrderStatus(c.get('deps'), staffOf(c.get('principal')), poId, 'submit'), replayed: false });
});

purchasingRoutes.post('/purchasing/orders/:poId/cancel', managers, async (c) => {
  const { poId } = readParams(c, poParams);
  return c.json({ order: await changePurchaseOrderStatus(c.get('deps'), staffOf(c.get('principal')), poId, 'cancel'), replayed: false });
});

purchasingRoutes.post('/purchasing/orders/:poId/receipts', managers, async (c) => {
  const { poId } = readParams(c, poParams);
  const body = await readJson(c, receiveRequest);
  const result = await receivePurchaseOrder(c.get('deps'), staffOf(c.get('principal')), poId, body);
  return c.json(result, result.replayed ? 200 : 201);
});

purchasingRoutes.post('/purchasing/orders/:poId/returns', managers, async (c) => {
  const { poId } = readParams(c, poParams);
  const body = await readJson(c, purchaseReturnRequest);
  const result = await returnToSupplier(c.get('deps'), staffOf(c.get('principal')), poId, body);
  return c.json(result, result.replayed ? 200 : 201);
});

purchasingRoutes.get('/purchasing/payables', managers, async (c) => {
  const q = readQuery(c, payablesQuery);
  return c.json({ items: await listPayables(c.get('deps'), staffOf(c.get('principal')), q) });
});

purchasingRoutes.get('/purchasing/payables/aging', managers, async (c) => {
  return c.json(await payablesAging(c.get('deps'), staffOf(c.get('principal'))));
});

purchasingRoutes.post('/purchasing/payments', managers, async (c) => {
  const body = await readJson(c, supplierPaymentRequest);
  const result = await paySupplier(c.get('deps'), staffOf(c.get('principal')), body);
  return c.json(result, result.replayed ? 200 : 201);
});

purchasingRoutes.get('/purchasing/reorder', managers, async (c) => {
  const q = readQuery(c, reorderQuery);
  const deps = c.get('deps');
  const staff = staffOf(c.get('principal'));
  await assertStoreAccess(deps.db, staff, q.storeId);
  return c.json(await reorderSuggestions(deps.db, staff.merchantId, q.storeId, businessDate(deps.clock()), q.days, q.coverDays));
});

purchasingRoutes.get('/purchasing/report', managers, async (c) => {
  const q = readQuery(c, purchasesReportQuery);
  const deps = c.get('deps');
  const staff = staffOf(c.get('principal'));
  if (q.storeId) await assertStoreAccess(deps.db, staff, q.storeId);
  return c.json(await purchasesReport(deps.db, staff.merchantId, q.storeId ? [q.storeId] : staff.storeIds, q.from, q.to, q.groupBy));
});
