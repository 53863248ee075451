import { describe, expect, it } from 'vitest';
import { checkoutRequest } from '../../shared/api/orders';
import { newId } from '../../shared/ids';
import { priceOrder } from '../../shared/pricing/index';
import { pricingInputFor, type CounterBill, type CounterLine } from '../../src/services/counter-cart';
import { accountCheckoutRequest, approvalIdGroups, billAtCustomerPrices, creditCheck, matchCustomers, parseApprovalId, signedFen } from '../../src/services/counter-account';

const line = (skuId: string, retail: number, member: number, qty: number): CounterLine => ({
  skuId,
  productId: 'prd_x',
  categoryId: 'cat_x',
  name: skuId,
  spec: '',
  unit: '件',
  barcode: '',
  retailPriceFen: retail,
  memberPriceFen: member,
  qty,
});

describe('sale on account at the counter', () => {
  const tea = newId('sku');
  const cola = newId('sku');
  const bill: CounterBill = { lines: [line(tea, 550, 500, 24), line(cola, 300, 280, 2)] };

  it('prices listed SKUs at the customer price and the rest at retail, never at member price', () => {
    const priced = billAtCustomerPrices(bill, [{ skuId: tea, priceFen: 480 }]);
    expect(priced.lines.map((l) => [l.retailPriceFen, l.memberPriceFen])).toEqual([
      [480, 480],
      [300, 300],
    ]);
    // 24 × 4.80 + 2 × 3.00 = 121.20, no 抹零 on account.
    const result = priceOrder(pricingInputFor(priced, null, { member: null, pointsToRedeem: 0, cashTender: false }));
    expect(result.totalFen).toBe(12_120);
  });

  it.each([
    // limit, owed, sale → available, left after, over by
    ['nothing owed, well within', 10_000, 0, 4_000, 10_000, 6_000, 0],
    ['reaching the limit exactly is within', 10_000, 6_000, 4_000, 4_000, 0, 0],
    ['one fen past', 10_000, 6_000, 4_001, 4_000, -1, 1],
    ['already over before the sale', 10_000, 12_000, 100, -2_000, -2_100, 2_100],
    ['no credit at all', 0, 0, 1, 0, -1, 1],
  ])('%s', (_n, limit, owed, sale, available, left, over) => {
    const c = creditCheck({ creditLimitFen: limit, balanceFen: owed }, sale);
    expect([c.availableFen, c.leftAfterFen, c.overByFen, c.owedAfterFen]).toEqual([available, left, over, owed + sale]);
  });

  it.each([
    [-400, '-¥4.00'],
    [-1, '-¥0.01'],
    [0, '¥0.00'],
    [2_000, '¥20.00'],
  ])('shows %i fen of room as %s', (fen, text) => expect(signedFen(fen)).toBe(text));

  it('makes a request the API accepts, with the approval only when there is one', () => {
    const base = { clientOrderId: newId('order'), storeId: newId('store'), deviceId: 'dev-1', customerId: newId('tradeCustomer'), totalFen: 12_120 };
    const plain = accountCheckoutRequest(bill, { ...base, approvalId: null });
    expect(checkoutRequest.safeParse(plain).success).toBe(true);
    expect(plain.tenders).toEqual([{ method: 'account', amountFen: 12_120 }]);
    expect(plain).not.toHaveProperty('creditApprovalId');
    const approvalId = newId('creditApproval');
    const approved = accountCheckoutRequest(bill, { ...base, approvalId });
    expect(checkoutRequest.safeParse(approved).success).toBe(true);
    expect(approved.creditApprovalId).toBe(approvalId);
    expect(accountCheckoutRequest(bill, { ...base, totalFen: 0, approvalId: null }).tenders).toEqual([]);
  });

  it('reads an approval number however it was passed on', () => {
    const id = newId('creditApproval');
    const body = id.slice(4);
    expect(parseApprovalId(id)).toBe(id);
    expect(parseApprovalId(` ${body.toLowerCase()} `)).toBe(id);
    expect(parseApprovalId(approvalIdGroups(id))).toBe(id);
    expect(parseApprovalId(`CAP-${body.slice(0, 13)}-${body.slice(13)}`)).toBe(id);
    expect(parseApprovalId(body.slice(1))).toBeNull();
    // U is not a ULID letter.
    expect(parseApprovalId(`${body.slice(0, 25)}U`)).toBeNull();
    expect(parseApprovalId('')).toBeNull();
  });

  it('finds active customers by name, contact or phone', () => {
    const items = [
      { name: '东方便利店', contact: '刘经理', phone: '13900000001', active: true },
      { name: '西城超市', contact: '王姐', phone: '13900000002', active: true },
      { name: '东方批发（停用）', contact: '', phone: '13900000003', active: false },
    ];
    expect(matchCustomers(items, '').map((c) => c.name)).toEqual(['东方便利店', '西城超市']);
    expect(matchCustomers(items, '东方').map((c) => c.name)).toEqual(['东方便利店']);
    expect(matchCustomers(items, '0002').map((c) => c.name)).toEqual(['西城超市']);
    expect(matchCustomers(items, '东方 刘').map((c) => c.name)).toEqual(['东方便利店']);
    expect(matchCustomers(items, '东方 王')).toEqual([]);
  });
});
