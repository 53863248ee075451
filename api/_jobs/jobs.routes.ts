import { Hono } from 'hono';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { merchantJobs, receive } from './service.js';

export const jobsRoutes = new Hono<AppEnv>();

/**
 * A delivery from the job queue. The raw body is read as text and checked
 * against `Upstash-Signature` before anything else; the work's failure is
 * answered 500 so the queue retries it (the work is idempotent, so a repeat
 * changes nothing) and, when its retries are spent, lists it as dead.
 */
jobsRoutes.post('/jobs/:job', async (c) => {
  const result = await receive(c.get('deps'), {
    job: c.req.param('job'),
    signature: c.req.header('upstash-signature'),
    body: await c.req.text(),
    messageId: c.req.header('upstash-message-id'),
    retried: c.req.header('upstash-retried'),
  });
  return c.json({ ok: result.ok, ...(result.error ? { error: result.error } : {}) }, result.ok ? 200 : 500);
});

/** The owner's view: each job's last outcome for this merchant. */
jobsRoutes.get('/merchant/jobs', requireAuth(['owner', 'manager']), async (c) => {
  const staff = staffOf(c.get('principal'));
  return c.json({ items: await merchantJobs(c.get('deps'), staff.merchantId) });
});
