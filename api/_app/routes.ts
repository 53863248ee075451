import { Hono, type Context, type ErrorHandler } from 'hono';
import type { AppEnv } from '../_kernel/context.js';
import type { Deps } from '../_kernel/deps.js';
import { identityRoutes } from '../_identity/identity.routes.js';
import { catalogRoutes } from '../_catalog/catalog.routes.js';
import { storePriceRoutes } from '../_catalog/store-prices.routes.js';
import { catalogImportRoutes } from '../_catalog/import/import.routes.js';
import { photoRoutes } from '../_catalog/photos/photos.routes.js';
import { reportRoutes } from '../_reports/reports.routes.js';
import { salesReportRoutes } from '../_reports/sales.routes.js';
import { exportRoutes } from '../_export/export.routes.js';
import { salesRoutes } from '../_sales/sales.routes.js';
import { memberRoutes } from '../_members/members.routes.js';
import { returnRoutes } from '../_returns/returns.routes.js';
import { reservationRoutes } from '../_reservations/reservations.routes.js';
import { inventoryHealthRoutes } from '../_inventory-health/health.routes.js';
import { cronRoutes } from '../_cron/cron.routes.js';
import { jobsRoutes } from '../_jobs/jobs.routes.js';
import { promotionRoutes } from '../_promotions/promotions.routes.js';
import { ledgerRoutes } from '../_ledger/ledger.routes.js';
import { paymentRoutes } from '../_payments/payments.routes.js';
import { paymentAdminRoutes } from '../_payments/admin.routes.js';
import { alipayAppAuthRoutes } from '../_payments/alipay/app-auth.routes.js';
import { shippingRoutes } from '../_shipping/shipping.routes.js';
import { storeLinkRoutes } from '../_storelink/admin.routes.js';
import { purchasingRoutes } from '../_purchasing/purchasing.routes.js';
import { stockOpsRoutes } from '../_stock/stock-ops.routes.js';
import { creditRoutes } from '../_credit/credit.routes.js';
import { commissionRoutes } from '../_commission/commission.routes.js';
import { splitRoutes } from '../_split/split.routes.js';
import { paymentAccountRoutes } from '../_payments/accounts.routes.js';
import { reconcileRoutes } from '../_reconcile/reconcile.routes.js';
import { shiftRoutes } from '../_shifts/shifts.routes.js';
import { onboardingRoutes } from '../_onboarding/onboarding.routes.js';
// Member messages (#17, messages stream).
import { messageRoutes } from '../_messages/messages.routes.js';
import { memberCentreRoutes } from '../_member-centre/member-centre.routes.js';
// Coupons (#17).
import { couponRoutes } from '../_coupons/coupons.routes.js';
// Stored value (#17).
import { storedValueRoutes } from '../_stored-value/stored-value.routes.js';
// Points mall and referral (#17).
import { pointsMallRoutes } from '../_points-mall/points-mall.routes.js';
import { referralRoutes } from '../_referrals/referrals.routes.js';

/** What the route table needs from the app that hands it a request. */
export interface RouteTableHost {
  deps: Deps;
  /** The context of the app that received the request, which ran the shared middleware. */
  outerOf(request: Request): Context<AppEnv>;
  onError: ErrorHandler<AppEnv>;
}

/**
 * Every API route except the health check, in the order `createApp` always
 * mounted them. This module (and through it every route module, zod's schemas
 * and the services) is loaded on the first request that is not a health
 * check; `createApp` has already run the shared middleware for it.
 */
export function routeTable(host: RouteTableHost): Hono<AppEnv> {
  const app = new Hono<AppEnv>().basePath('/api');

  // The request arrives through `fetch`, so this context is new: it takes the
  // variables the shared middleware set, sets the request id header as that
  // middleware does on responses made here, and hands the principal back for
  // the request log.
  app.use(async (c, next) => {
    const outer = host.outerOf(c.req.raw);
    const id = outer.get('requestId');
    c.set('deps', host.deps);
    c.set('requestId', id);
    c.header('X-Request-Id', id);
    await next();
    const principal = c.get('principal');
    if (principal) outer.set('principal', principal);
  });

  app.route('/', identityRoutes);
  app.route('/', onboardingRoutes);
  app.route('/', catalogRoutes);
  app.route('/', storePriceRoutes);
  app.route('/', catalogImportRoutes);
  app.route('/', photoRoutes);
  app.route('/', reportRoutes);
  app.route('/', salesRoutes);
  app.route('/', memberRoutes);
  app.route('/', memberCentreRoutes);
  app.route('/', returnRoutes);
  app.route('/', reservationRoutes);
  app.route('/', inventoryHealthRoutes);
  app.route('/', cronRoutes);
  app.route('/', jobsRoutes);
  app.route('/', promotionRoutes);
  app.route('/', ledgerRoutes);
  app.route('/', paymentRoutes);
  app.route('/', paymentAdminRoutes);
  app.route('/', alipayAppAuthRoutes);
  app.route('/', shippingRoutes);
  app.route('/', storeLinkRoutes);
  app.route('/', purchasingRoutes);
  app.route('/', stockOpsRoutes);
  app.route('/', creditRoutes);
  app.route('/', commissionRoutes);
  app.route('/', salesReportRoutes);
  app.route('/', exportRoutes);
  app.route('/', splitRoutes);
  app.route('/', paymentAccountRoutes);
  // Member messages (#17, messages stream).
  app.route('/', messageRoutes);
  app.route('/', reconcileRoutes);
  app.route('/', shiftRoutes);
  // Coupons (#17).
  app.route('/', couponRoutes);
  // Stored value (#17).
  app.route('/', storedValueRoutes);
  // Points mall and referral (#17).
  app.route('/', pointsMallRoutes);
  app.route('/', referralRoutes);

  // A path no route takes gets the answer of the app that received it, as when
  // these routes were mounted on that app directly (inside `api/index.ts`
  // that is the outer app's plain 404, through `createApp` alone the JSON one).
  app.notFound((c) => host.outerOf(c.req.raw).notFound());
  app.onError(host.onError);
  return app;
}
