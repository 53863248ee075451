import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';

/**
 * Hand discounts are bounded per role: within the limit a sale goes through
 * and is audited; above it the assistant needs a manager's one-time code,
 * which one sale uses up; the owner alone moves the limits.
 */
const target = dbTargets().find((t) => t.name === 'pg' && t.available) ?? dbTargets().find((t) => t.available)!;

describe(`hand discounts within each role's limit on ${target.name}`, () => {
  let api: TestApi;
  let assistant: string;
  let manager: string;
  let owner: string;
  let storeId: string;

  beforeAll(async () => {
    api = await startTestApi(target);
    [assistant, manager, owner] = await Promise.all([api.staffToken('o_demo_assistant_1'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_owner')]);
    storeId = api.seed.storeIds.DEMO01!;
  });
  afterAll(async () => api?.stop());

  /** A one-line card sale (no 抹零) with `share` of the line's price taken off by hand. */
  async function sellWithDiscount(token: string, share: number, extra: Record<string, unknown> = {}) {
    const sku = await findSku(api, token, 'wlj');
    const off = Math.floor(sku.retailPriceFen * share);
    const total = sku.retailPriceFen - off;
    return api.call('POST', '/api/orders', {
      token,
      body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 1, discount: { kind: 'amount_off', fen: off, reason: '老顾客' } }], tenders: [{ method: 'card', amountFen: total, reference: 'POS1' }], expectedTotalFen: total, ...extra },
    });
  }
  const orders = async () => Number((await sql<{ n: string }>`select count(*) as n from orders`.execute(api.deps.db)).rows[0]!.n);
  const audits = async (action: string) => api.deps.db.selectFrom('audit_log').select(['subject_id', 'detail']).where('action', '=', action).execute();

  it('lets an assistant take 5% off and audits it', async () => {
    const res = await sellWithDiscount(assistant, 0.05);
    expect(res.status).toBe(201);
    const logged = (await audits('sale.hand_discount')).find((a) => a.subject_id === res.body.order.id);
    expect(logged?.detail).toMatchObject({ role: 'assistant', over: [], reasons: ['老顾客'] });
  });

  it('refuses 20% off from an assistant without a manager’s code, and writes nothing', async () => {
    const before = await orders();
    const res = await sellWithDiscount(assistant, 0.2);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('discount_limit_exceeded');
    expect(res.body.error.message).toContain('单品最多减 10%');
    expect(await orders()).toBe(before);
  });

  it('takes a manager’s code once, for this store and up to its amount', async () => {
    expect((await api.call('POST', '/api/discount-approvals', { token: assistant, body: { storeId, maxFen: 500, note: '老顾客' } })).status).toBe(403);
    const small = await api.call('POST', '/api/discount-approvals', { token: manager, body: { storeId, maxFen: 1, note: '只减一分' } });
    expect(small.status).toBe(201);
    expect((await sellWithDiscount(assistant, 0.2, { discountApprovalCode: small.body.code })).status).toBe(403);
    const approval = await api.call('POST', '/api/discount-approvals', { token: manager, body: { storeId, maxFen: 100_000, note: '老顾客' } });
    expect(approval.body.code).toMatch(/^\d{6}$/);
    const sale = await sellWithDiscount(assistant, 0.2, { discountApprovalCode: approval.body.code });
    expect(sale.status).toBe(201);
    const logged = (await audits('sale.hand_discount')).find((a) => a.subject_id === sale.body.order.id);
    expect(logged?.detail).toMatchObject({ over: ['line'], approvedBy: api.seed.staffIds.manager });
    const again = await sellWithDiscount(assistant, 0.2, { discountApprovalCode: approval.body.code });
    expect(again.status).toBe(403);
    expect(again.body.error.message).toContain('已使用');
  });

  it('keeps an offline sale over the limit (it has happened) and audits it as over', async () => {
    const res = await sellWithDiscount(assistant, 0.3, { offline: { receiptNo: 'DEVDISC-0001', billedAt: new Date().toISOString() } });
    expect(res.status).toBe(201);
    const logged = (await audits('sale.hand_discount')).find((a) => a.subject_id === res.body.order.id);
    expect(logged?.detail).toMatchObject({ over: ['line'], offline: true, approvedBy: null });
  });

  it('moves the limits only for the owner, audited, and applies them at once', async () => {
    const limits = { limits: [{ role: 'assistant', lineBpMax: 2500, orderBpMax: 1000, totalFenMax: 10_000 }] };
    expect((await api.call('PUT', '/api/discount-limits', { token: manager, body: limits })).status).toBe(403);
    const saved = await api.call('PUT', '/api/discount-limits', { token: owner, body: limits });
    expect(saved.body.items.find((i: { role: string }) => i.role === 'assistant')).toMatchObject({ lineBpMax: 2500 });
    expect((await api.call('GET', '/api/discount-limits', { token: assistant })).body.items).toHaveLength(3);
    expect((await sellWithDiscount(assistant, 0.2)).status).toBe(201);
    expect((await audits('discount.limits_changed')).length).toBe(1);
    expect(await checkInvariants(api)).toEqual(invariantsHold);
  });
});
