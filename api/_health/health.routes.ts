import { Hono } from 'hono';
import { sql } from 'kysely';
import type { AppEnv } from '../_http/context.js';

export const health_check_timeout_ms = 2000;

async function timed(driver: string, check: () => Promise<unknown>) {
  const started = performance.now();
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${health_check_timeout_ms} ms`)), health_check_timeout_ms).unref?.()),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started), driver };
  } catch (e) {
    return { ok: false, ms: Math.round(performance.now() - started), driver, error: e instanceof Error ? e.message : String(e) };
  }
}

export const healthRoutes = new Hono<AppEnv>();

/** Real checks, not a constant: a round trip to Postgres and one to the key-value store. */
healthRoutes.get('/health', async (c) => {
  const deps = c.get('deps');
  const [db, kv] = await Promise.all([
    timed(deps.dbDriver, () => sql`select 1`.execute(deps.db)),
    timed(deps.kv.driver, () => deps.kv.ping()),
  ]);
  const ok = db.ok && kv.ok;
  return c.json({ ok, db, kv }, ok ? 200 : 503);
});
