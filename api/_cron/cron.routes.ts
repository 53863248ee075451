import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { timingSafeEqual } from 'node:crypto';
import type { AppEnv } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { jobFailures, tick } from '../_jobs/index.js';

/** Vercel's scheduler sends `Authorization: Bearer $CRON_SECRET`; nothing else may run a job. */
const cronAuth = createMiddleware<AppEnv>(async (c, next) => {
  const secret = c.get('deps').config.cronSecret;
  if (!secret) throw new AppError('unavailable', '定时任务未启用', undefined, { detail: 'CRON_SECRET is not set' });
  const given = Buffer.from(c.req.header('authorization') ?? '');
  const wanted = Buffer.from(`Bearer ${secret}`);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw new AppError('unauthenticated', '定时任务凭证无效');
  await next();
});

/**
 * Each cron no longer does the work itself: with a queue configured (QSTASH_*)
 * it enqueues one message per merchant (per merchant × channel for bills)
 * and `/api/jobs/:job` does each; without one it runs the same messages here,
 * merchant by merchant, as a single shop's deployment needs.
 */
export const cronRoutes = new Hono<AppEnv>();

/** Customer reservations whose pickup day has passed expire and give their goods back to the shelf. */
cronRoutes.get('/cron/expire-customer-reservations', cronAuth, async (c) => {
  const deps = c.get('deps');
  const result = await tick(deps, 'expire-customer-reservations');
  deps.log.info('cron expire-customer-reservations', result);
  return c.json(result);
});

/** Unpaid orders whose hold has expired are cancelled (the payments job does this too, after asking the platforms). */
cronRoutes.get('/cron/release-reservations', cronAuth, async (c) => {
  const deps = c.get('deps');
  const result = await tick(deps, 'release-reservations');
  deps.log.info('cron release-reservations', result);
  return c.json(result);
});

/**
 * Pending payments queried and settled or closed, refunds sent and checked,
 * splits dispatched, expired orders cancelled; then WeChat mini-program
 * payments' shipping information uploaded or retried. Shipping rides on
 * this job rather than a cron of its own because it needs the same
 * two-minute rhythm and Vercel counts a project's crons.
 */
cronRoutes.get('/cron/payments', cronAuth, async (c) => {
  const deps = c.get('deps');
  const result = await tick(deps, 'payments');
  deps.log.info('cron payments', result);
  return c.json(result);
});

/**
 * 10:30 Beijing: yesterday's bills are out; every merchant × channel with one
 * is reconciled. The daily job also drops raw notification bodies past their
 * retention, which needs no schedule of its own.
 */
cronRoutes.get('/cron/reconcile', cronAuth, async (c) => {
  const deps = c.get('deps');
  const result = await tick(deps, 'reconcile');
  deps.log.info('cron reconcile', { ...result, runs: undefined, downloads: undefined });
  return c.json(result);
});

/** The deployment operator's view: failed job attempts across merchants and the queue's dead letters. */
cronRoutes.get('/ops/job-failures', cronAuth, async (c) => c.json(await jobFailures(c.get('deps'))));
