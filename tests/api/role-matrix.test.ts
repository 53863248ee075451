import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { routes, type RouteDef } from '../../shared/api/routes';
import { routeTable } from '../../api/_app/routes';
import { healthRoutes } from '../../api/_health/health.routes';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';

/**
 * Every route of `shared/api/routes.ts` called by every kind of caller, to
 * check that the access the table declares is the access the API enforces.
 *
 * Refused means 401 (no or bad credentials) or 403 (wrong kind or role). A
 * resource of another merchant is refused with 404: lookups are scoped by the
 * caller's merchant, so a foreign id is as unknown as one that never existed,
 * and the answer does not tell the caller that it exists. A refused request
 * writes nothing: the content of every table is hashed before and after the
 * refused requests.
 */
const target = dbTargets().find((t) => t.name === 'pg' && t.available) ?? dbTargets()[0]!;

type Caller = 'none' | 'member' | 'assistant' | 'manager' | 'owner' | 'otherOwner';
const callers: readonly Caller[] = ['none', 'member', 'assistant', 'manager', 'owner', 'otherOwner'];
const batch_requests_max = 24;
const fake_id = 'zz_00000000000000000000000000';

/**
 * Valid bodies for the routes that read their body before they look up the
 * demo merchant's id in their path, sent only by the other merchant's owner:
 * an empty body would be refused (400) before the tenancy check this test is
 * about. The demo's own staff never send them, so nothing of the demo changes.
 */
const foreignBodies: Record<string, (p: Record<string, string>) => unknown> = {
  updateSku: () => ({ retailPriceFen: 1 }),
  batchTracking: () => ({ tracked: true }),
  setStockLimits: (p) => ({ items: [{ skuId: p.skuId, minQty: 1, maxQty: 2 }] }),
};

type Expectation = 'allowed' | 'refused' | 'foreign';

/** What the table says a caller gets, before tenancy: `foreign` is another merchant's resource. */
function expected(auth: RouteDef['auth'], caller: Caller, touchesDemo: boolean): Expectation {
  const role = caller === 'otherOwner' ? 'owner' : caller;
  let allowed: boolean;
  if (auth === 'public') allowed = true;
  else if (auth === 'platform' || auth === 'cron' || auth === 'queue') allowed = false;
  else if (caller === 'none') allowed = false;
  else if (auth === 'session') allowed = true;
  else if (auth === 'member') allowed = caller === 'member';
  else if (auth === 'staff') allowed = role !== 'member';
  else allowed = role !== 'member' && (auth as readonly string[]).includes(role);
  if (!allowed) return 'refused';
  return caller === 'otherOwner' && touchesDemo && auth !== 'public' ? 'foreign' : 'allowed';
}

interface Call {
  name: string;
  route: RouteDef;
  caller: Caller;
  url: string;
  expect: Expectation;
}

describe(`who may call each route, on ${target.name}`, () => {
  let api: TestApi;
  const tokens: Partial<Record<Caller, string>> = {};
  let params: Record<string, string>;
  /** The path parameters whose values belong to the demo merchant. */
  const demoParams = new Set(['storeId', 'skuId', 'productId']);

  beforeAll(async () => {
    api = await startTestApi(target);
    await seedOtherMerchant(api.deps.db);
    const db = api.deps.db;
    const sku = await db.selectFrom('skus').select(['id', 'product_id', 'barcode']).where('merchant_id', '=', api.seed.merchantId).orderBy('id').executeTakeFirstOrThrow();
    params = { storeId: api.seed.storeIds.DEMO01!, code: 'DEMO01', skuId: sku.id, productId: sku.product_id, barcode: sku.barcode, report: 'summary', channel: 'wechat' };
    const shopperCode = await api.loginCode('wechat', 'o_demo_member_1');
    const [owner, manager, assistant, otherOwner, member] = await Promise.all([
      api.staffToken('o_demo_owner'),
      api.staffToken('o_demo_manager'),
      api.staffToken('o_demo_assistant_1'),
      api.staffToken('o_other_owner'),
      api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code: shopperCode, storeCode: 'DEMO01' } }).then((r) => r.body.token as string),
    ]);
    Object.assign(tokens, { owner, manager, assistant, otherOwner, member });
  });
  afterAll(async () => api?.stop());

  function calls(): Call[] {
    const out: Call[] = [];
    for (const [name, route] of Object.entries(routes) as [string, RouteDef][]) {
      const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      const url = route.path.replace(/:(\w+)/g, (_, p: string) => encodeURIComponent(params[p] ?? fake_id));
      const touchesDemo = names.some((n) => demoParams.has(n));
      for (const caller of callers) out.push({ name, route, caller, url, expect: expected(route.auth, caller, touchesDemo) });
    }
    return out;
  }

  async function send(c: Call): Promise<number> {
    const token = c.caller === 'none' ? undefined : tokens[c.caller];
    const withBody = c.route.method !== 'GET' && c.route.method !== 'DELETE';
    const foreign = c.expect === 'foreign' ? foreignBodies[c.name] : undefined;
    const body = foreign ? foreign(params) : {};
    const res = await api.call(c.route.method, c.url, { ...(token ? { token } : {}), ...(withBody ? { body } : {}) });
    return res.status;
  }

  async function inBatches(list: Call[]): Promise<{ call: Call; status: number }[]> {
    const results: { call: Call; status: number }[] = [];
    for (let i = 0; i < list.length; i += batch_requests_max) {
      const chunk = list.slice(i, i + batch_requests_max);
      const statuses = await Promise.all(chunk.map(send));
      chunk.forEach((call, k) => results.push({ call, status: statuses[k]! }));
    }
    return results;
  }

  /** A hash of every table's content: any insert, update or delete changes it. */
  async function fingerprint(): Promise<Map<string, string>> {
    const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(api.deps.db);
    const parts = tables.rows.map((t) => sql`select ${t.name} as name, coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as hash from ${sql.table(t.name)} x`);
    const rows = await sql<{ name: string; hash: string }>`${sql.join(parts, sql` union all `)}`.execute(api.deps.db);
    return new Map(rows.rows.map((r) => [r.name, r.hash]));
  }

  const describeCall = (r: { call: Call; status: number }) => `${r.call.caller} ${r.call.route.method} ${r.call.url} (${r.call.name}, ${JSON.stringify(r.call.route.auth)}) → ${r.status}`;

  it('lists every route the API mounts, and mounts every route it lists', () => {
    const table = routeTable({ deps: {} as never, outerOf: () => undefined as never, onError: () => new Response() });
    const mounted = new Set([
      ...table.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`),
      ...healthRoutes.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} /api${r.path}`),
    ]);
    const listed = new Set(Object.values(routes).map((r: RouteDef) => `${r.method} ${r.path}`));
    expect([...mounted].filter((m) => !listed.has(m)), 'mounted but missing from shared/api/routes.ts').toEqual([]);
    expect([...listed].filter((l) => !mounted.has(l)), 'listed but not mounted').toEqual([]);
  });

  it('refuses every caller the table does not allow, and writes nothing for them', async () => {
    // The platforms' notifications log every delivery, refused ones included, so they are checked apart.
    const refused = calls().filter((c) => c.expect !== 'allowed' && c.route.auth !== 'platform');
    const before = await fingerprint();
    const results = await inBatches(refused);
    const after = await fingerprint();
    const wrong = results.filter((r) => (r.call.expect === 'foreign' ? r.status !== 404 : r.status !== 401 && r.status !== 403));
    expect(wrong.map(describeCall)).toEqual([]);
    expect([...after].filter(([name, hash]) => before.get(name) !== hash).map(([name]) => name), 'tables written by refused requests').toEqual([]);
  });

  it('refuses an unsigned platform notification, whatever token it carries, and only logs it', async () => {
    const notify = Object.values(routes).filter((r: RouteDef) => r.auth === 'platform');
    expect(notify.length).toBeGreaterThan(0);
    const before = await fingerprint();
    const answers = await Promise.all(
      notify.flatMap((route: RouteDef) =>
        (['wechat', 'alipay'] as const).flatMap((channel) =>
          callers.map(async (caller) => {
            const token = caller === 'none' ? undefined : tokens[caller];
            const res = await api.call(route.method, route.path.replace(':channel', channel), { ...(token ? { token } : {}), ...(route.method === 'GET' ? {} : { rawBody: '{}' }) });
            // Each platform's own refusal: WeChat Pay any status but 2xx, Alipay the body `fail`.
            const accepted = channel === 'wechat' ? res.status < 300 : res.body === 'success';
            return { label: `${caller} ${channel}`, accepted };
          }),
        ),
      ),
    );
    const after = await fingerprint();
    expect(answers.filter((a) => a.accepted).map((a) => a.label)).toEqual([]);
    expect([...after].filter(([name, hash]) => before.get(name) !== hash).map(([name]) => name)).toEqual(['payment_notifications']);
  });

  it('lets in every caller the table allows', async () => {
    const allowed = calls().filter((c) => c.expect === 'allowed');
    const results = await inBatches(allowed);
    expect(results.filter((r) => r.status === 401 || r.status === 403).map(describeCall)).toEqual([]);
  });

  it('runs a scheduled job only with the cron secret', async () => {
    const res = await api.call('GET', routes.cronReleaseReservations.path, { token: 'test-cron-secret' });
    expect(res.status).toBe(200);
  });
});
