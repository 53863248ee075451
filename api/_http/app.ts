import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './context.js';
import { AppError } from './errors.js';
import type { Deps } from '../_runtime/deps.js';
import { healthRoutes } from '../_health/health.routes.js';
import { identityRoutes } from '../_identity/identity.routes.js';
import { catalogRoutes } from '../_catalog/catalog.routes.js';
import { reportRoutes } from '../_reports/reports.routes.js';
import { salesReportRoutes } from '../_reports/sales.routes.js';
import { exportRoutes } from '../_export/export.routes.js';
import { salesRoutes } from '../_sales/sales.routes.js';
import { memberRoutes } from '../_members/members.routes.js';
import { returnRoutes } from '../_returns/returns.routes.js';
import { reservationRoutes } from '../_reservations/reservations.routes.js';
import { inventoryHealthRoutes } from '../_inventory-health/health.routes.js';
import { cronRoutes } from '../_cron/cron.routes.js';
import { promotionRoutes } from '../_promotions/promotions.routes.js';
import { ledgerRoutes } from '../_ledger/ledger.routes.js';
import { paymentRoutes } from '../_payments/payments.routes.js';
import { paymentAdminRoutes } from '../_payments/admin.routes.js';
import { storeLinkRoutes } from '../_storelink/store-link.routes.js';
import { purchasingRoutes } from '../_purchasing/purchasing.routes.js';
import { stockOpsRoutes } from '../_stock/stock-ops.routes.js';
import { creditRoutes } from '../_credit/credit.routes.js';
import { commissionRoutes } from '../_commission/commission.routes.js';
import { splitRoutes } from '../_split/split.routes.js';
import { reconcile_bill_upload_path, reconcileRoutes } from '../_reconcile/reconcile.routes.js';

/** Request bodies above this are refused before they are read. */
export const api_body_bytes_max = 64 * 1024;
export const request_id_length_max = 64;

export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>().basePath('/api');

  app.use(requestId({ limitLength: request_id_length_max, headerName: 'X-Request-Id' }));
  app.use(async (c, next) => {
    c.set('deps', deps);
    const started = performance.now();
    await next();
    const principal = c.get('principal');
    deps.log.info('request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      ...(principal ? { merchantId: principal.merchantId, actor: principal.kind === 'staff' ? principal.staffId : principal.memberId } : {}),
    });
  });
  if (deps.config.corsOrigins.length > 0) app.use(cors({ origin: deps.config.corsOrigins, credentials: false }));
  const jsonBodyLimit = bodyLimit({
    maxSize: api_body_bytes_max,
    onError: () => {
      throw new AppError('payload_too_large', `请求体超过 ${api_body_bytes_max} 字节上限（api_body_bytes_max）`);
    },
  });
  // A bill upload streams a raw file held to its own limit (reconcile_bill_bytes_max).
  app.use((c, next) => (c.req.path === reconcile_bill_upload_path ? next() : jsonBodyLimit(c, next)));

  app.route('/', healthRoutes);
  app.route('/', identityRoutes);
  app.route('/', catalogRoutes);
  app.route('/', reportRoutes);
  app.route('/', salesRoutes);
  app.route('/', memberRoutes);
  app.route('/', returnRoutes);
  app.route('/', reservationRoutes);
  app.route('/', inventoryHealthRoutes);
  app.route('/', cronRoutes);
  app.route('/', promotionRoutes);
  app.route('/', ledgerRoutes);
  app.route('/', paymentRoutes);
  app.route('/', paymentAdminRoutes);
  app.route('/', storeLinkRoutes);
  app.route('/', purchasingRoutes);
  app.route('/', stockOpsRoutes);
  app.route('/', creditRoutes);
  app.route('/', commissionRoutes);
  app.route('/', salesReportRoutes);
  app.route('/', exportRoutes);
  app.route('/', splitRoutes);
  app.route('/', reconcileRoutes);

  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));

  app.onError((err, c) => {
    if (err instanceof AppError) {
      const body = { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } };
      if (err.status >= 500) deps.log.error('request failed', { requestId: c.get('requestId'), code: err.code, message: err.message });
      return c.json(body, err.status as 400);
    }
    if (err instanceof HTTPException) {
      return c.json({ error: { code: err.status === 413 ? 'payload_too_large' : 'bad_request', message: err.message || 'bad request' } }, err.status);
    }
    deps.log.error('unhandled error', { requestId: c.get('requestId'), error: err instanceof Error ? err.stack : String(err) });
    return c.json({ error: { code: 'internal', message: 'internal error; the request id is in the X-Request-Id header' } }, 500);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
