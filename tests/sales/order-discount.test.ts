import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productPage, type ProductSummary } from '../../shared/api/catalog';
import { pricingContextResponse, type PricingContext } from '../../shared/api/orders';
import { priceOrder } from '../../shared/pricing/index';
import { addToBill, checkoutRequestFor, emptyBill, lineFor, pricingInputFor, setOrderDiscount, type CounterBill } from '../../src/services/counter-cart';
import { openOrderRequestFor } from '../../src/services/counter-pay';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, invariantsHold, orderId } from '../_support/selling';

/**
 * 整单优惠 from the counter (issue #14): the bill the counter builds and
 * prices with the shared engine is priced the same by checkout (the server
 * refuses any difference with price_mismatch), for cash with 抹零, a card
 * and an order waiting for WeChat Pay; the role's order-discount limit holds
 * and a manager's code lifts it once.
 */
const target = dbTargets().find((t) => t.name === 'pg' && t.available) ?? dbTargets().find((t) => t.available)!;

describe(`an order discount priced the same at the counter and on the server on ${target.name}`, () => {
  let api: TestApi;
  let assistant: string;
  let manager: string;
  let storeId: string;
  let context: PricingContext;
  let bill: CounterBill;

  const product = async (q: string): Promise<ProductSummary> => {
    const res = await api.call('GET', `/api/stores/${storeId}/products?q=${encodeURIComponent(q)}`, { token: assistant });
    const found = productPage.parse(res.body).items[0];
    if (!found) throw new Error(`no product for ${q}`);
    return found;
  };
  const totalFor = (b: CounterBill, cashTender: boolean) => priceOrder(pricingInputFor(b, context, { member: null, pointsToRedeem: 0, cashTender })).totalFen;
  const draft = (expectedTotalFen: number) => ({ clientOrderId: orderId(), storeId, deviceId: 'GTDEVICE01', expectedTotalFen });

  beforeAll(async () => {
    api = await startTestApi(target);
    [assistant, manager] = await Promise.all([api.staffToken('o_demo_assistant_1'), api.staffToken('o_demo_manager')]);
    storeId = api.seed.storeIds.DEMO01!;
    context = pricingContextResponse.parse((await api.call('GET', `/api/stores/${storeId}/pricing-context`, { token: assistant })).body);
    const [tea, water] = await Promise.all([product('wlj'), product('nfsq')]);
    bill = addToBill(addToBill(emptyBill, lineFor(tea, tea.skus[0]!), 3), lineFor(water, water.skus[0]!), 2);
  });
  afterAll(async () => api?.stop());

  it('takes 5% off the order for cash, the total the counter computed', async () => {
    const discounted = setOrderDiscount(bill, { kind: 'percent_off', bp: 500, reason: '老顾客' });
    const total = totalFor(discounted, true);
    expect(total).toBeLessThan(totalFor(bill, true));
    const res = await api.call('POST', '/api/orders', { token: assistant, body: checkoutRequestFor(discounted, { ...draft(total), member: null, pointsToRedeem: 0, cashReceivedFen: total + 1000 }) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.order.totalFen).toBe(total);
    expect(res.body.order.adjustments.map((a: { kind: string }) => a.kind)).toContain('order_discount');
  });

  it('takes an amount off for a card sale and for an order waiting for WeChat Pay, without 抹零', async () => {
    const discounted = setOrderDiscount(bill, { kind: 'amount_off', fen: 123, reason: '凑整' });
    const total = totalFor(discounted, false);
    const card = checkoutRequestFor(discounted, { ...draft(total), member: null, pointsToRedeem: 0, cashReceivedFen: 0, tenders: [{ method: 'card', amountFen: total, reference: 'POS1' }] });
    const paid = await api.call('POST', '/api/orders', { token: assistant, body: card });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(paid.body.order.totalFen).toBe(total);
    const open = await api.call('POST', '/api/orders', { token: assistant, body: openOrderRequestFor(discounted, { ...draft(total), memberId: null, pointsToRedeem: 0 }) });
    expect(open.status, JSON.stringify(open.body)).toBe(201);
    expect(open.body.order).toMatchObject({ status: 'open', totalFen: total });
  });

  it('refuses a total that leaves the order discount out', async () => {
    const discounted = setOrderDiscount(bill, { kind: 'percent_off', bp: 500, reason: '老顾客' });
    const undiscounted = totalFor(bill, false);
    const res = await api.call('POST', '/api/orders', {
      token: assistant,
      body: checkoutRequestFor(discounted, { ...draft(undiscounted), member: null, pointsToRedeem: 0, cashReceivedFen: 0, tenders: [{ method: 'card', amountFen: undiscounted, reference: 'POS2' }] }),
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('price_mismatch');
  });

  it('holds the assistant to 10% of the order, and takes a manager’s code once above it', async () => {
    const deep = setOrderDiscount(bill, { kind: 'percent_off', bp: 2000, reason: '老顾客' });
    const total = totalFor(deep, false);
    const request = (code?: string) =>
      checkoutRequestFor(deep, { ...draft(total), member: null, pointsToRedeem: 0, cashReceivedFen: 0, tenders: [{ method: 'card', amountFen: total, reference: 'POS3' }], ...(code ? { discountApprovalCode: code } : {}) });
    const refused = await api.call('POST', '/api/orders', { token: assistant, body: request() });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('整单最多减 10%');
    const approval = await api.call('POST', '/api/discount-approvals', { token: manager, body: { storeId, maxFen: 100_000, note: '老顾客' } });
    expect(approval.status).toBe(201);
    const sold = await api.call('POST', '/api/orders', { token: assistant, body: request(approval.body.code) });
    expect(sold.status, JSON.stringify(sold.body)).toBe(201);
    expect(sold.body.order.totalFen).toBe(total);
    expect((await api.call('POST', '/api/orders', { token: assistant, body: request(approval.body.code) })).status).toBe(403);
    expect(await checkInvariants(api)).toEqual(invariantsHold);
  });
});
