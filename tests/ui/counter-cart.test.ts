import { describe, expect, it } from 'vitest';
import type { ProductSummary } from '../../shared/api/catalog';
import type { PricingContext } from '../../shared/api/orders';
import { priceOrder } from '../../shared/pricing/index';
import {
  addToBill,
  cashQuickNotes,
  changeFen,
  checkoutRequestFor,
  emptyBill,
  lineFor,
  parseDiscount,
  previewOf,
  pricingInputFor,
  ruleNamesOf,
  setLineDiscount,
  setLineQty,
  setOrderDiscount,
  yuanInputToFen,
} from '../../src/services/counter-cart';
import { newClientId, newDeviceId, pickPrng, seededPrng } from '../../src/services/counter-ids';
import { openOrderRequestFor } from '../../src/services/counter-pay';
import { handDiscountOf, handDiscountOver } from '../../shared/pricing/hand-discount';
import { discount_limits_default } from '../../shared/api/discounts';
import { checkoutRequest } from '../../shared/api/orders';

const id = (p: string, n: number) => `${p}_${String(n).padStart(26, '0')}`;

const tee: ProductSummary = {
  photoUrl: null,
  id: id('prd', 1),
  name: '纯棉T恤',
  categoryId: id('cat', 1),
  unit: '件',
  priceFen: 5900,
  skus: [
    { id: id('sku', 1), barcode: '6900000000011', spec: { 颜色: '白', 尺码: 'M' }, retailPriceFen: 5900, memberPriceFen: 4900, available: 10 },
    { id: id('sku', 2), barcode: '6900000000028', spec: { 颜色: '黑', 尺码: 'L' }, retailPriceFen: 6900, memberPriceFen: 5900, available: 3 },
  ],
};

const context: PricingContext = {
  bundles: [],
  thresholds: [{ id: 'thr_1', name: '满100减10', minSpendFen: 10000, offFen: 1000, repeat: false }],
  cashRounding: 'jiao',
  redeemPointsPerFen: 10,
  redeemCapBp: 5000,
  earnPointsPerYuan: 1,
};

const member = { id: id('mbr', 1), name: '李女士', phoneMasked: '138****0001', level: '金卡', points: 1000 };

describe('counter bill', () => {
  it('adds, merges, changes and removes lines', () => {
    const white = tee.skus[0]!;
    let bill = addToBill(emptyBill, lineFor(tee, white));
    bill = addToBill(bill, lineFor(tee, white));
    expect(bill.lines).toHaveLength(1);
    expect(bill.lines[0]).toMatchObject({ qty: 2, spec: '白 / M' });
    bill = setLineQty(bill, white.id, 0);
    expect(bill.lines).toEqual([]);
  });

  it('previews member price, 满减, points and 抹零 line by line, and builds the request with that total', () => {
    let bill = addToBill(emptyBill, lineFor(tee, tee.skus[0]!), 2);
    bill = addToBill(bill, lineFor(tee, tee.skus[1]!));
    const input = pricingInputFor(bill, context, { member, pointsToRedeem: 1000, cashTender: true });
    const preview = previewOf(priceOrder(input), ruleNamesOf(context));
    expect(preview.lines[0]?.rows).toEqual([{ kind: 'member_price', label: '会员价', fen: 2000 }]);
    // 2 × 49 + 59 = 157; 满100减10 → 147; 1000 points = 100 fen → 146; 抹零 to the jiao.
    expect(preview.orderRows.map((r) => r.label)).toEqual(['满减·满100减10', '积分抵扣(1000分)']);
    expect(preview.totalFen).toBe(14600);
    const request = checkoutRequestFor(bill, {
      clientOrderId: newClientId('ord'),
      storeId: id('sto', 1),
      deviceId: 'GTDEVICE01',
      member,
      pointsToRedeem: 1000,
      cashReceivedFen: 20000,
      expectedTotalFen: preview.totalFen,
    });
    expect(request).toMatchObject({ memberId: member.id, pointsToRedeem: 1000, expectedTotalFen: 14600, tenders: [{ method: 'cash', amountFen: 20000 }] });
  });

  it('prices a 整单优惠 after 满减, keeps it through line changes and sends it in every request', () => {
    let bill = addToBill(emptyBill, lineFor(tee, tee.skus[0]!), 2);
    const parsed = parseDiscount({ kind: 'percent_off', percent: '5', reason: '老顾客' });
    if (!parsed.ok) throw new Error(parsed.message);
    bill = setOrderDiscount(bill, parsed.discount);
    bill = addToBill(bill, lineFor(tee, tee.skus[1]!));
    bill = setLineQty(bill, tee.skus[1]!.id, 2);
    expect(bill.orderDiscount).toEqual({ kind: 'percent_off', bp: 500, reason: '老顾客' });
    const result = priceOrder(pricingInputFor(bill, context, { member: null, pointsToRedeem: 0, cashTender: false }));
    const preview = previewOf(result, ruleNamesOf(context));
    // 2 × 59 + 2 × 69 = 256; 满100减10 → 246; 5% of that is 12.30 → 233.70.
    expect(preview.orderRows).toEqual([
      { kind: 'threshold', label: '满减·满100减10', fen: 1000 },
      { kind: 'order_discount', label: '整单优惠·老顾客', fen: 1230 },
    ]);
    expect(preview.totalFen).toBe(23370);
    // Within an assistant's limit (10% of the order, ¥50 in all); 20% is not.
    expect(handDiscountOver(handDiscountOf(result), discount_limits_default.assistant)).toEqual([]);
    const deep = setOrderDiscount(bill, { kind: 'percent_off', bp: 2000, reason: '老顾客' });
    expect(handDiscountOver(handDiscountOf(priceOrder(pricingInputFor(deep, context, { member: null, pointsToRedeem: 0, cashTender: false }))), discount_limits_default.assistant)).toEqual(['order']);

    const draft = { clientOrderId: newClientId('ord'), storeId: id('sto', 1), deviceId: 'GTDEVICE01', expectedTotalFen: preview.totalFen };
    const cash = checkoutRequestFor(bill, { ...draft, member: null, pointsToRedeem: 0, cashReceivedFen: 30000 });
    const open = openOrderRequestFor(bill, { ...draft, memberId: null, pointsToRedeem: 0 });
    for (const request of [cash, open]) {
      expect(request.orderDiscount).toEqual({ kind: 'percent_off', bp: 500, reason: '老顾客' });
      expect(checkoutRequest.safeParse(request).success).toBe(true);
    }
    expect(setOrderDiscount(bill, undefined).orderDiscount).toBeUndefined();
    // Removing the last line leaves no order to discount.
    let emptied = setLineQty(bill, tee.skus[0]!.id, 0);
    emptied = setLineQty(emptied, tee.skus[1]!.id, 0);
    expect(emptied).toEqual(emptyBill);
  });

  it('applies a line discount with its reason', () => {
    let bill = addToBill(emptyBill, lineFor(tee, tee.skus[0]!));
    const parsed = parseDiscount({ kind: 'percent_off', percent: '10', reason: '熟客' });
    expect(parsed).toEqual({ ok: true, discount: { kind: 'percent_off', bp: 1000, reason: '熟客' } });
    if (!parsed.ok) return;
    bill = setLineDiscount(bill, tee.skus[0]!.id, parsed.discount);
    const preview = previewOf(priceOrder(pricingInputFor(bill, null, { member: null, pointsToRedeem: 0, cashTender: true })), new Map());
    expect(preview.lines[0]?.rows).toEqual([{ kind: 'line_discount', label: '单品优惠·熟客', fen: 590 }]);
    expect(parseDiscount({ kind: 'amount_off', yuan: '5', reason: '' })).toMatchObject({ ok: false });
    expect(parseDiscount({ kind: 'amount_off', yuan: '5.5', reason: '瑕疵' })).toEqual({ ok: true, discount: { kind: 'amount_off', fen: 550, reason: '瑕疵' } });
  });

  it('reads yuan, gives change and suggests notes', () => {
    expect(yuanInputToFen('37.5')).toBe(3750);
    expect(yuanInputToFen('0.01')).toBe(1);
    expect(yuanInputToFen('1.234')).toBeNull();
    expect(yuanInputToFen('abc')).toBeNull();
    expect(changeFen(3750, 5000)).toBe(1250);
    expect(changeFen(3750, 3000)).toBeNull();
    expect(cashQuickNotes(3750)).toEqual([3750, 4000, 5000, 10000]);
    expect(cashQuickNotes(4000)).toEqual([4000, 5000, 6000, 10000]);
  });
});

describe('client ids', () => {
  it('makes ord_ and ret_ ULIDs that the API accepts, in order', () => {
    const a = newClientId('ord');
    const b = newClientId('ord');
    expect(a).toMatch(/^ord_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(newClientId('ret')).toMatch(/^ret_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(b > a).toBe(true);
  });

  it('falls back to a seeded PRNG where crypto.getRandomValues is missing', () => {
    const prng = pickPrng(undefined);
    for (let i = 0; i < 100; i++) {
      const x = prng();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    expect(seededPrng(1)()).toBe(seededPrng(1)());
    expect(newDeviceId(seededPrng(7))).toMatch(/^GT[0-9A-HJKMNP-TV-Z]{8}$/);
  });
});
