import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { newId } from '../../shared/ids';
import { businessDate } from '../../api/_kernel/clock';
import { maskPhone } from '../../shared/phone-mask';

/**
 * Customers' phones in every view an assistant gets are masked
 * (`139****5678`); owners and managers see them in full where their screens
 * call customers back (reservations, trade customers).
 */
const target = dbTargets().find((t) => t.name === 'pg' && t.available) ?? dbTargets()[0]!;

describe(`phones by role, on ${target.name}`, () => {
  let api: TestApi;
  let owner: string;
  let manager: string;
  let assistant: string;
  let storeId: string;
  let skuId: string;

  beforeAll(async () => {
    api = await startTestApi(target);
    [owner, manager, assistant] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_assistant_1')]);
    storeId = api.seed.storeIds.DEMO01!;
    skuId = (await api.deps.db.selectFrom('stock_levels').select('sku_id').where('store_id', '=', storeId).where('on_hand', '>=', 10).orderBy('sku_id').executeTakeFirstOrThrow()).sku_id;
  });
  afterAll(async () => api?.stop());

  it('masks a phone to its first three and last four digits, and hides a short one whole', () => {
    expect(maskPhone('13912345678')).toBe('139****5678');
    expect(maskPhone('0571-8888')).toBe('057****8888');
    expect(maskPhone('1234567')).toBe('*******');
    expect(maskPhone('')).toBe('');
  });

  it('masks reservation phones for an assistant, on create, list and cancel, and not for a manager or owner', async () => {
    const id = newId('reservation');
    const body = { reservationId: id, storeId, pickupBy: businessDate(api.deps.clock()), customerName: '刘女士', customerPhone: '13912345678', lines: [{ skuId, qty: 1 }] };
    const made = await api.call('POST', '/api/reservations', { token: assistant, body });
    expect(made.status).toBe(201);
    expect(made.body.reservation.customerPhone).toBe('139****5678');
    const list = async (token: string) => (await api.call('GET', `/api/reservations?storeId=${storeId}`, { token })).body.items.find((r: { id: string }) => r.id === id);
    expect((await list(assistant)).customerPhone).toBe('139****5678');
    expect((await list(manager)).customerPhone).toBe('13912345678');
    expect((await list(owner)).customerPhone).toBe('13912345678');
    const cancelled = await api.call('POST', `/api/reservations/${id}/cancel`, { token: assistant });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.reservation.customerPhone).toBe('139****5678');
  });

  it('masks trade customers\' phones for an assistant, in the list and the detail', async () => {
    const created = await api.call('POST', '/api/credit/customers', { token: owner, body: { name: '东方便利店', contact: '刘经理', phone: '13900000001', creditLimitFen: 100_000, termsDays: 30, prices: [] } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.customer.id as string;
    const listed = async (token: string) => (await api.call('GET', '/api/credit/customers', { token })).body.items.find((c: { id: string }) => c.id === id);
    expect((await listed(assistant)).phone).toBe('139****0001');
    expect((await listed(manager)).phone).toBe('13900000001');
    expect((await api.call('GET', `/api/credit/customers/${id}`, { token: assistant })).body.customer.phone).toBe('139****0001');
    expect((await api.call('GET', `/api/credit/customers/${id}`, { token: owner })).body.customer.phone).toBe('13900000001');
  });

  it('answers the counter\'s member lookup with the phone masked, for every role', async () => {
    for (const token of [assistant, manager]) {
      const res = await api.call('GET', '/api/members/lookup?phone=13800000001', { token });
      expect(res.status).toBe(200);
      expect(res.body.member.phoneMasked).toBe('138****0001');
      expect(JSON.stringify(res.body)).not.toContain('13800000001');
    }
  });
});
