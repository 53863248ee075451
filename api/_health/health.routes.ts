import { Hono } from 'hono';
import type { AppEnv } from '../_kernel/context.js';
import type { Deps } from '../_kernel/deps.js';
import { schemaStatus, type SchemaStatus } from '../_db/schema-status.js';

export const health_check_timeout_ms = 2000;

/**
 * One check, timed. A failure's text (a host, a user name, a library's
 * message) goes to the log only: the answer is public, so it says no more
 * than ok or not.
 */
async function timed(log: Deps['log'], what: 'db' | 'kv', driver: string, check: () => Promise<unknown>) {
  const started = performance.now();
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${health_check_timeout_ms} ms`)), health_check_timeout_ms).unref?.()),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started), driver };
  } catch (e) {
    log.error('health check failed', { check: what, driver, error: e instanceof Error ? e.message : String(e) });
    return { ok: false, ms: Math.round(performance.now() - started), driver };
  }
}

export const healthRoutes = new Hono<AppEnv>();

/**
 * Real checks, not a constant: a round trip to Postgres and one to the
 * key-value store, and the schema against the migrations this code carries.
 * A database behind the code answers 503, so a deploy that skipped its
 * migrations shows at once instead of failing request by request.
 */
healthRoutes.get('/health', async (c) => {
  const deps = c.get('deps');
  let schema: SchemaStatus | undefined;
  const [db, kv] = await Promise.all([
    timed(deps.log, 'db', deps.dbDriver, async () => {
      schema = await schemaStatus((name, text) => deps.prepared(`health_${name}`, text, []));
    }),
    timed(deps.log, 'kv', deps.kv.driver, () => deps.kv.ping()),
  ]);
  const schemaOk = schema !== undefined && schema.pending.length === 0;
  const ok = db.ok && kv.ok && schemaOk;
  const shown = schema && { current: schema.current, latest: schema.latest, pending: schema.pending.length, ...(schema.unknown.length ? { unknown: schema.unknown } : {}), ok: schemaOk };
  return c.json({ ok, environment: deps.config.environment, db, kv, ...(shown ? { schema: shown } : {}) }, ok ? 200 : 503);
});
