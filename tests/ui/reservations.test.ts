import { describe, expect, it } from 'vitest';
import type { ReservationView } from '../../shared/api/reservations';
import { addDays, pickupCheckout, pickupPrice, reservationRequestFor } from '../../src/services/reservations';
import { doiText, figureRows, healthStore, percent, scoreTone } from '../../src/services/inventory-health';
import { emptyBill, type CounterBill } from '../../src/services/counter-cart';

const id = (p: string, n: number) => `${p}_${String(n).padStart(26, '0')}`;
const bill: CounterBill = {
  lines: [{ skuId: id('sku', 1), productId: id('prd', 1), categoryId: id('cat', 1), name: '王老吉凉茶', spec: '', unit: '罐', barcode: '1', retailPriceFen: 450, memberPriceFen: 427, qty: 2 }],
};
const draft = { reservationId: id('rsv', 1), storeId: id('sto', 1), member: null, name: ' 刘女士 ', phone: '13912345678', pickupBy: '2026-11-24', note: '', bill };

describe('reservation requests from the counter', () => {
  it('builds a walk-in request, trimmed, and refuses what the server would refuse', () => {
    expect(reservationRequestFor(draft, '2026-11-23')).toEqual({
      ok: true,
      request: { reservationId: id('rsv', 1), storeId: id('sto', 1), pickupBy: '2026-11-24', lines: [{ skuId: id('sku', 1), qty: 2 }], customerName: '刘女士', customerPhone: '13912345678' },
    });
    expect(reservationRequestFor({ ...draft, bill: emptyBill }, '2026-11-23')).toMatchObject({ ok: false });
    expect(reservationRequestFor({ ...draft, name: ' ' }, '2026-11-23')).toMatchObject({ ok: false });
    expect(reservationRequestFor({ ...draft, phone: '1391234567' }, '2026-11-23')).toMatchObject({ ok: false });
    expect(reservationRequestFor({ ...draft, pickupBy: '2026-11-22' }, '2026-11-23')).toMatchObject({ ok: false });
    expect(reservationRequestFor({ ...draft, pickupBy: addDays('2026-11-23', 30) }, '2026-11-23')).toMatchObject({ ok: true });
    expect(reservationRequestFor({ ...draft, pickupBy: addDays('2026-11-23', 31) }, '2026-11-23')).toMatchObject({ ok: false });
    const member = { id: id('mbr', 1), name: '张三', phoneMasked: '138****0001', level: '金卡会员', points: 10 };
    const m = reservationRequestFor({ ...draft, member, name: '', phone: '' }, '2026-11-23');
    expect(m.ok && m.request).toMatchObject({ memberId: id('mbr', 1) });
    expect(m.ok && 'customerName' in m.request).toBe(false);
  });

  it('prices a pickup at member prices for a member\'s reservation, and sends its id with the sale', () => {
    const r: ReservationView = {
      id: id('rsv', 2), storeId: id('sto', 1), channel: 'counter', memberId: null, customerName: '刘女士', customerPhone: '13912345678', pickupBy: '2026-11-24', status: 'active', note: '', orderId: null, createdAt: '', endedAt: null,
      lines: [{ skuId: id('sku', 1), categoryId: id('cat', 1), parentCategoryId: id('cat', 9), name: '王老吉凉茶', spec: '', qty: 2, retailPriceFen: 450, memberPriceFen: 427 }],
    };
    expect(pickupPrice(r, null).totalFen).toBe(900);
    // A 满减 on the parent category (饮料 › 凉茶) takes its saving off the pickup, as checkout will.
    const context = { bundles: [], thresholds: [{ id: 'prm_1', minSpendFen: 900, offFen: 100, repeat: false, scope: { categoryIds: [id('cat', 9)] } }], cashRounding: 'none' as const, redeemPointsPerFen: 100, redeemCapBp: 0, earnPointsPerYuan: 1 };
    expect(pickupPrice(r, context).totalFen).toBe(800);
    expect(pickupPrice({ ...r, lines: r.lines.map((l) => ({ ...l, parentCategoryId: null })) }, context).totalFen).toBe(900);
    expect(pickupPrice({ ...r, memberId: id('mbr', 1) }, null).totalFen).toBe(854);
    const request = pickupCheckout(r, pickupPrice(r, null), id('ord', 1), 'GTABCDEFGH');
    expect(request).toEqual({ clientOrderId: id('ord', 1), storeId: id('sto', 1), reservationId: id('rsv', 2), lines: [{ skuId: id('sku', 1), qty: 2 }], tenders: [{ method: 'cash', amountFen: 900 }], expectedTotalFen: 900, deviceId: 'GTABCDEFGH' });
  });
});

describe('inventory health labels', () => {
  it('formats rates, days and tones at their edges', () => {
    expect(percent(null)).toBe('—');
    expect(percent(0.1234)).toBe('12.3%');
    expect(doiText(-1)).toBe('无销售');
    expect(doiText(10.4)).toBe('10 天');
    expect([scoreTone(null), scoreTone(80), scoreTone(79), scoreTone(60), scoreTone(59)]).toEqual(['none', 'good', 'fair', 'fair', 'poor']);
    const stores = [{ id: id('sto', 1), code: 'A0001', name: '一店', address: '' }, { id: id('sto', 2), code: 'A0002', name: '二店', address: '' }];
    expect(healthStore({ kind: 'all' }, stores)?.id).toBe(id('sto', 1));
    expect(healthStore({ kind: 'store', storeId: id('sto', 2) }, stores)?.id).toBe(id('sto', 2));
    expect(healthStore({ kind: 'all' }, [])).toBeNull();
    const rows = figureRows({
      score: 50,
      components: { turnover: 0, sellThrough: 40, slowMoving: null, stockout: 100 },
      figures: { averageInventoryFen: 1, turnover: 0, daysOfInventory: -1, sellThrough: 0.2, slowMovingRate: null, stockoutRate: 0 },
      sums: { cogsFen: 0, inventoryFenDays: 30, soldQty: 1, endOnHandQty: 4, endValueFen: 0, slowValueFen: 0, stockoutDays: 0, skuDays: 30 },
    });
    expect(rows.map((r) => r.value)).toEqual(['0 次', '20%', '—', '0%']);
    expect(rows[0]!.label).toContain('无销售');
  });
});
