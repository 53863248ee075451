import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { timingSafeEqual } from 'node:crypto';
import { expireDue } from '../_reservations/index.js';
import type { AppEnv } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { expireOpenOrders } from '../_sales/index.js';
import { dropOldNotificationBodies, runPaymentJobs } from '../_payments/index.js';
import { reconcileYesterday } from '../_reconcile/index.js';
import { runShippingJobs } from '../_shipping/index.js';

/** Vercel's scheduler sends `Authorization: Bearer $CRON_SECRET`; nothing else may run a job. */
const cronAuth = createMiddleware<AppEnv>(async (c, next) => {
  const secret = c.get('deps').config.cronSecret;
  if (!secret) throw new AppError('unavailable', '定时任务未启用', undefined, { detail: 'CRON_SECRET is not set' });
  const given = Buffer.from(c.req.header('authorization') ?? '');
  const wanted = Buffer.from(`Bearer ${secret}`);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw new AppError('unauthenticated', '定时任务凭证无效');
  await next();
});

export const cronRoutes = new Hono<AppEnv>();

/** Customer reservations whose pickup day has passed expire and give their goods back to the shelf. */
cronRoutes.get('/cron/expire-customer-reservations', cronAuth, async (c) => {
  const deps = c.get('deps');
  const result = await expireDue(deps.db, deps.clock());
  deps.log.info('cron expire-customer-reservations', result);
  return c.json(result);
});

cronRoutes.get('/cron/release-reservations', cronAuth, async (c) => {
  const deps = c.get('deps');
  const result = await expireOpenOrders(deps.db, deps.clock());
  deps.log.info('cron release-reservations', result);
  return c.json(result);
});

/**
 * Pending payments queried and settled or closed, refunds sent and checked,
 * then expired orders cancelled; then WeChat mini-program payments' shipping
 * information uploaded or retried. Shipping rides on this job rather than a
 * cron of its own because it needs the same two-minute rhythm and Vercel
 * counts a project's crons.
 */
cronRoutes.get('/cron/payments', cronAuth, async (c) => {
  const deps = c.get('deps');
  const result = await runPaymentJobs(deps);
  let shipping;
  try {
    shipping = await runShippingJobs(deps);
  } catch (e) {
    deps.log.warn('shipping job failed', { error: e instanceof Error ? e.message : String(e) });
  }
  deps.log.info('cron payments', { ...result, shipping });
  return c.json({ ...result, shipping });
});

/**
 * 10:30 Beijing: yesterday's bills are out; every merchant × channel with one
 * is reconciled. The daily job also drops raw notification bodies past their
 * retention, which needs no schedule of its own.
 */
cronRoutes.get('/cron/reconcile', cronAuth, async (c) => {
  const deps = c.get('deps');
  const result = await reconcileYesterday(deps);
  const retention = await dropOldNotificationBodies(deps.db, deps.clock());
  deps.log.info('cron notification retention', retention);
  return c.json({ ...result, notificationBodiesCleared: retention.cleared });
});
