import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { migrations } from '../../api/_db/migrator';
import { AppError } from '../../api/_kernel/errors';
import { channelRegistry } from '../../api/_payments/registry';

const pglite = dbTargets().find((t) => t.name === 'pglite')!;

/** What a 503 may never show a caller: a variable's name, a library's or a host's words. */
const leaks = /[A-Z][A-Z0-9]*_[A-Z0-9_]+|ECONNREFUSED|secret-host|is not set|not configured/;

describe('/api/health and the schema', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(pglite);
  });
  afterAll(async () => api?.stop());
  afterEach(() => vi.restoreAllMocks());

  it('is ok on a migrated database and says which migration it is at', async () => {
    const res = await api.call('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, environment: 'local', schema: { current: migrations.at(-1)!.name, latest: migrations.at(-1)!.name, pending: 0, ok: true } });
  });

  it('answers 503 when the database lacks a migration this code carries', async () => {
    const last = migrations.at(-1)!.name;
    await sql`delete from schema_migrations where name = ${last}`.execute(api.deps.db);
    try {
      const res = await api.call('GET', '/api/health');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ ok: false, schema: { pending: 1, ok: false } });
    } finally {
      await sql`insert into schema_migrations (name) values (${last})`.execute(api.deps.db);
    }
  });

  it('answers 503 for an unreachable key-value store without the error text, which only the log gets', async () => {
    vi.spyOn(api.deps.kv, 'ping').mockRejectedValue(new Error('connect ECONNREFUSED secret-host:6379 (UPSTASH_REDIS_REST_URL)'));
    const logged = vi.spyOn(api.deps.log, 'error');
    const res = await api.call('GET', '/api/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ ok: false, kv: { ok: false } });
    expect(JSON.stringify(res.body)).not.toMatch(leaks);
    expect(JSON.stringify(logged.mock.calls)).toContain('ECONNREFUSED');
  });

  it('answers a cron call on a deployment without CRON_SECRET with a 503 that does not name it', async () => {
    const config = api.deps.config as { cronSecret: string | undefined };
    const kept = config.cronSecret;
    config.cronSecret = undefined;
    try {
      const res = await api.call('GET', '/api/cron/payments', { headers: { authorization: 'Bearer x' } });
      expect(res.status).toBe(503);
      expect(JSON.stringify(res.body)).not.toMatch(leaks);
    } finally {
      config.cronSecret = kept;
    }
  });

  it('keeps the missing setting of a payment channel in the log detail, out of the answer', () => {
    const registry = channelRegistry({
      wechat: () => {
        throw new Error('WECHATPAY_MCHID is not set');
      },
    });
    const error = (() => {
      try {
        registry.platform('wechat');
      } catch (e) {
        return e;
      }
      throw new Error('no error');
    })() as AppError;
    expect(error.status).toBe(503);
    expect(error.message).not.toMatch(leaks);
    expect(error.detail).toContain('WECHATPAY_MCHID');
  });
});

describe('the Vercel function in production with a missing variable', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it('answers every request 503 without naming the variable or the error', async () => {
    const { DATABASE_URL: _d, CRON_SECRET: _c, ...rest } = saved;
    for (const k of ['DATABASE_URL', 'CRON_SECRET']) delete process.env[k];
    Object.assign(process.env, { ...rest, VERCEL_ENV: 'production', SESSION_SECRET: 's'.repeat(32), VERCEL_PROJECT_PRODUCTION_URL: 'guitai.example.com' });
    const written = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const { GET } = await import('../../api/index');
      for (const path of ['/api/health', '/api/orders', '/api/cron/payments']) {
        const res = await GET(new Request(`https://guitai.example.com${path}`));
        expect(res.status).toBe(503);
        expect(await res.text()).not.toMatch(leaks);
      }
      const log = written.mock.calls.map((c) => String(c[0])).join('');
      expect(log).toContain('DATABASE_URL is not set');
      expect(log).toContain('CRON_SECRET must be at least');
    } finally {
      written.mockRestore();
    }
  });
});
