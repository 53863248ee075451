import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';

/**
 * createApp answers health checks itself and hands every other request to
 * the route table it loads on first need (api/_app/routes.ts). These pin
 * what that hand-over must keep: the request id, the principal in the request
 * log, and whose 404 an unknown path gets.
 */
const target = dbTargets().find((t) => t.name === 'pg' && t.available) ?? dbTargets()[0]!;

describe(`the lazily loaded route table on ${target.name}`, () => {
  let api: TestApi;
  let ownerToken: string;

  beforeAll(async () => {
    api = await startTestApi(target);
    ownerToken = await api.staffToken('o_demo_owner');
  });
  afterAll(async () => api?.stop());

  it('logs the signed-in principal of a request the route table served', async () => {
    const lines: Record<string, unknown>[] = [];
    const info = api.deps.log.info;
    api.deps.log.info = (msg, fields = {}) => lines.push({ msg, ...fields });
    try {
      const res = await api.call('GET', '/api/me', { token: ownerToken });
      expect(res.status).toBe(200);
    } finally {
      api.deps.log.info = info;
    }
    const line = lines.find((l) => l.msg === 'request' && l.path === '/api/me');
    expect(line).toMatchObject({ method: 'GET', status: 200, merchantId: api.seed.merchantId, actor: api.seed.staffIds.owner });
  });

  it('answers with the request id the shared middleware took, on success and on error', async () => {
    const ok = await api.app.request('/api/me', { headers: { authorization: `Bearer ${ownerToken}`, 'x-request-id': 'route-table-1' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-request-id')).toBe('route-table-1');
    const refused = await api.app.request('/api/me', { headers: { 'x-request-id': 'route-table-2' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-request-id')).toBe('route-table-2');
    expect(await refused.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('answers an unknown path with the 404 of the app that received it', async () => {
    const alone = await api.app.request('/api/no-such-route');
    expect(alone.status).toBe(404);
    expect(await alone.json()).toMatchObject({ error: { code: 'not_found' } });
    // Mounted as api/index.ts mounts it, the outer app's own 404 answers, as before the route table was split off.
    const outer = new Hono().route('/', api.app);
    const mounted = await outer.request('/api/no-such-route');
    expect(mounted.status).toBe(404);
    expect(await mounted.text()).toBe('404 Not Found');
  });
});
