import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { newId } from '../../shared/ids';
import { businessDate } from '../../api/_kernel/clock';
import { addDays, shop_active_reservations_max, shop_reserved_qty_max } from '../../api/_reservations/reservations.service';
import { shop_reservations_per_hour_max } from '../../api/_reservations/reservations.routes';
import { login_attempts_per_minute_max } from '../../api/_identity/rate-limit';
import { public_catalog_requests_per_minute_max } from '../../api/_catalog/catalog.routes';
import { refused_notifications_per_minute_max } from '../../api/_payments/limits';
import { member_lookups_per_minute_max } from '../../api/_members/members.service';

/**
 * The API's rate limits and holding caps: each answers 429 `rate_limited`
 * (or 409 `limit_exceeded` for a cap) with a Chinese reason naming the
 * limit's constant and number, per the right identifier, and the client
 * address is the platform's, never the client's own X-Forwarded-For.
 */
const target = dbTargets().find((t) => t.name === 'pg' && t.available) ?? dbTargets()[0]!;

describe(`rate limits on ${target.name}`, () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(target);
  });
  afterAll(async () => api?.stop());

  /** Uses up a rule for one identifier straight on the limiter, so a test need not send hundreds of requests. */
  async function exhaust(name: string, max: number, windowSeconds: number, identifier: string) {
    for (let i = 0; i < max; i++) await api.deps.limiter.hit({ name, max, windowSeconds }, identifier);
  }

  it('limits login attempts per platform address, whatever X-Forwarded-For the client sends', async () => {
    const attempt = (i: number, realIp: string) =>
      api.call('POST', '/api/auth/staff/login', { body: {}, headers: { 'x-real-ip': realIp, 'x-forwarded-for': `10.0.${i % 250}.${i % 7}` } });
    const statuses: number[] = [];
    for (let i = 0; i < login_attempts_per_minute_max; i++) statuses.push((await attempt(i, '203.0.113.7')).status);
    expect(statuses.every((s) => s === 400)).toBe(true);
    const refused = await attempt(999, '203.0.113.7');
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited' });
    expect(refused.body.error.message).toContain(`每分钟最多 ${login_attempts_per_minute_max} 次（login_attempts_per_minute_max）`);
    // The wait is also a header, so a client can back off without reading the message.
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    // The shopper login shares the rule, and Vercel's own header outranks x-real-ip.
    expect((await api.call('POST', '/api/auth/shopper/login', { body: {}, headers: { 'x-real-ip': '203.0.113.7' } })).status).toBe(429);
    expect((await api.call('POST', '/api/auth/shopper/login', { body: {}, headers: { 'x-real-ip': '203.0.113.7', 'x-vercel-forwarded-for': '198.51.100.1' } })).status).toBe(400);
    expect((await attempt(0, '203.0.113.8')).status).toBe(400);
  });

  it('limits the public catalog per client address', async () => {
    await exhaust('public_catalog_requests_per_minute_max', public_catalog_requests_per_minute_max, 60, '198.51.100.20');
    const refused = await api.call('GET', '/api/public/stores/DEMO01/products', { headers: { 'x-real-ip': '198.51.100.20' } });
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toContain(`public_catalog_requests_per_minute_max`);
    expect((await api.call('GET', '/api/public/stores/DEMO01/categories', { headers: { 'x-real-ip': '198.51.100.21' } })).status).toBe(200);
  });

  it('shuts out a source of refused notifications per channel, never the platform’s genuine ones', async () => {
    await exhaust('refused_notifications_per_minute_max', refused_notifications_per_minute_max, 60, 'wechat:192.0.2.9');
    const count = async () => (await api.deps.db.selectFrom('payment_notifications').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;
    // The refusal that goes over the limit is still answered and logged as a refusal; from then on the source is blocked.
    const over = await api.call('POST', '/api/pay/wechat/notify', { rawBody: '{}', headers: { 'x-real-ip': '192.0.2.9' } });
    expect(over.status).not.toBe(429);
    const before = await count();
    const refused = await api.call('POST', '/api/pay/wechat/notify', { rawBody: '{}', headers: { 'x-real-ip': '192.0.2.9' } });
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toContain('refused_notifications_per_minute_max');
    expect(await count()).toBe(before);
    expect((await api.call('POST', '/api/pay/alipay/notify', { rawBody: 'a=1', headers: { 'x-real-ip': '192.0.2.9' } })).status).not.toBe(429);
    expect((await api.call('POST', '/api/pay/wechat/notify', { rawBody: '{}', headers: { 'x-real-ip': '192.0.2.10' } })).status).not.toBe(429);
  });

  it('limits and audits member lookups by phone, per member of staff', async () => {
    const assistant = await api.staffToken('o_demo_assistant_1');
    const manager = await api.staffToken('o_demo_manager');
    const audits = async () =>
      Number((await api.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'member.phone_lookup').executeTakeFirstOrThrow()).n);
    const found = await api.call('GET', '/api/members/lookup?phone=13800000001', { token: assistant });
    expect(found.status).toBe(200);
    const row = await api.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'member.phone_lookup').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ actor_id: api.seed.staffIds.assistant1, subject_id: found.body.member.id });
    expect(JSON.stringify(row.detail)).toContain('138****0001');
    expect(JSON.stringify(row.detail)).not.toContain('13800000001');
    for (let i = 1; i < member_lookups_per_minute_max; i++) await api.call('GET', '/api/members/lookup?phone=13900000000', { token: assistant });
    expect(await audits()).toBe(member_lookups_per_minute_max);
    const refused = await api.call('GET', '/api/members/lookup?phone=13800000001', { token: assistant });
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toContain(`每分钟最多 ${member_lookups_per_minute_max} 次（member_lookups_per_minute_max）`);
    expect(await audits()).toBe(member_lookups_per_minute_max);
    expect((await api.call('GET', '/api/members/lookup?phone=13800000001', { token: manager })).status).toBe(200);
  });

  describe('shop reservations', () => {
    let zhang: string;
    let skuId: string;
    let storeId: string;
    let today: string;
    const reserve = (qty: number) =>
      api.call('POST', '/api/shop/reservations', { token: zhang, body: { reservationId: newId('reservation'), storeId, pickupBy: addDays(today, 1), lines: [{ skuId, qty }] } });

    beforeAll(async () => {
      zhang = (await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code: await api.loginCode('wechat', 'o_demo_member_1'), storeCode: 'DEMO01' }, headers: { 'x-real-ip': '198.51.100.50' } })).body.token;
      storeId = api.seed.storeIds.DEMO01!;
      today = businessDate(api.deps.clock());
      const level = await api.deps.db.selectFrom('stock_levels').select(['sku_id']).where('store_id', '=', storeId).where('on_hand', '>=', 50).orderBy('sku_id').executeTakeFirstOrThrow();
      skuId = level.sku_id;
    });

    it('caps the quantity and the number of active reservations one member holds', async () => {
      const tooMuch = await reserve(shop_reserved_qty_max + 1);
      expect(tooMuch.status).toBe(409);
      expect(tooMuch.body.error).toMatchObject({ code: 'limit_exceeded' });
      expect(tooMuch.body.error.message).toContain('shop_reserved_qty_max');
      for (let i = 0; i < shop_active_reservations_max; i++) expect((await reserve(1)).status).toBe(201);
      const over = await reserve(1);
      expect(over.status).toBe(409);
      expect(over.body.error.message).toContain(`最多 ${shop_active_reservations_max} 个（shop_active_reservations_max）`);
    });

    it('limits reservations per member per hour', async () => {
      const member = await api.deps.db.selectFrom('members').select(['id', 'merchant_id']).where('phone', '=', '13800000001').executeTakeFirstOrThrow();
      await exhaust('shop_reservations_per_hour_max', shop_reservations_per_hour_max, 3600, `${member.merchant_id}:${member.id}`);
      const refused = await reserve(1);
      expect(refused.status).toBe(429);
      expect(refused.body.error.message).toContain(`每小时最多 ${shop_reservations_per_hour_max} 次（shop_reservations_per_hour_max）`);
    });
  });
});
