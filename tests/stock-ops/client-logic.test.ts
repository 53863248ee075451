import { describe, expect, it } from 'vitest';
import { nextStep, parseQty, reviewOrder, signed, startingQtys, varianceSummary } from '../../src/services/stock-ops';
import { countRequest, stockLimitsRequest, transfer_qty_max, type StocktakeView, type TransferView } from '../../shared/api/stock-ops';

const line = (skuId: string, countedQty: number | null, varianceQty: number | null, unitCostFen = 100): StocktakeView['lines'][number] => ({
  skuId,
  name: skuId,
  spec: '',
  barcode: '',
  expectedQty: 10,
  countedQty,
  bookQty: 10,
  varianceQty,
  unitCostFen,
  varianceFen: varianceQty === null ? null : varianceQty * unitCostFen,
  adjustedQty: null,
});

describe('stock operations on the phone', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    [String(transfer_qty_max), transfer_qty_max],
    [String(transfer_qty_max + 1), null],
    ['-1', null],
    ['1.5', null],
    ['', null],
    [' 7 ', 7],
  ])('reads the typed quantity %j as %j', (text, want) => {
    expect(parseQty(text, transfer_qty_max)).toBe(want);
  });

  it('starts shipping from what was requested and receiving from what was shipped', () => {
    const t = { status: 'shipped', lines: [{ skuId: 'a', requestedQty: 5, shippedQty: 3 }, { skuId: 'b', requestedQty: 2, shippedQty: 0 }] } as unknown as TransferView;
    expect(nextStep(t)).toBe('receive');
    expect(startingQtys(t)).toEqual({ a: 3, b: 0 });
    expect(startingQtys({ ...t, status: 'requested' })).toEqual({ a: 5, b: 2 });
    expect(nextStep({ status: 'received_short' })).toBe('write_off');
    expect(nextStep({ status: 'written_off' })).toBeNull();
  });

  it('sums gains and losses at cost, worked by hand: +2 × ¥1.00, −3 × ¥2.50, an exact count, one uncounted', () => {
    const lines = [line('gain', 12, 2), line('loss', 7, -3, 250), line('even', 10, 0), line('none', null, null)];
    expect(varianceSummary(lines)).toEqual({ gainFen: 200, lossFen: 750, lines: 2 });
    const { counted, uncounted } = reviewOrder(lines);
    expect(counted.map((l) => l.skuId)).toEqual(['loss', 'even', 'gain']);
    expect(uncounted.map((l) => l.skuId)).toEqual(['none']);
    expect([signed(2), signed(0), signed(-3)]).toEqual(['+2', '0', '-3']);
  });

  it('refuses malformed counts and limits before they reach the server', () => {
    expect(countRequest.safeParse({ clientScanId: 'scan_12345678', mode: 'add', qty: 1 }).success).toBe(false);
    expect(countRequest.safeParse({ clientScanId: 'scan_12345678', barcode: '6901234567892', skuId: 'sku_01JD0000000000000000000000', mode: 'add', qty: 1 }).success).toBe(false);
    expect(countRequest.safeParse({ clientScanId: 'scan_12345678', barcode: '6901234567892', mode: 'set', qty: 0 }).success).toBe(true);
    expect(stockLimitsRequest.safeParse({ items: [{ skuId: 'sku_01JD0000000000000000000000', minQty: 5, maxQty: 4 }] }).success).toBe(false);
    expect(stockLimitsRequest.safeParse({ items: [{ skuId: 'sku_01JD0000000000000000000000', minQty: 5, maxQty: 5 }] }).success).toBe(true);
  });
});
