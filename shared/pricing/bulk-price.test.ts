import { describe, expect, it } from 'vitest';
import { bulkPriceRow, changedPrice } from './bulk-price.js';

const sku = { skuId: 'sku_1', retailPriceFen: 1000, memberPriceFen: 900, costFen: 600 };

describe('bulk price arithmetic', () => {
  it('rounds a percentage change to the fen, halves away from zero', () => {
    expect(changedPrice(1000, { kind: 'percent', bp: 500 })).toBe(1050);
    // 333 × 1.5% = 4.995 fen → 5; 330 × 1.5% = 4.95 → 5; 310 × 1.5% = 4.65 → 5; 300 × 1.5% = 4.5 → 5; 290 × 1.5% = 4.35 → 4.
    expect(changedPrice(333, { kind: 'percent', bp: 150 })).toBe(338);
    expect(changedPrice(300, { kind: 'percent', bp: 150 })).toBe(305);
    expect(changedPrice(290, { kind: 'percent', bp: 150 })).toBe(294);
    expect(changedPrice(300, { kind: 'percent', bp: -150 })).toBe(295);
    expect(changedPrice(290, { kind: 'percent', bp: -150 })).toBe(286);
  });

  it('adds an amount exactly', () => {
    expect(changedPrice(1000, { kind: 'amount', fen: -250 })).toBe(750);
  });

  it('changes only the chosen fields and keeps member ≤ retail', () => {
    const r = bulkPriceRow(sku, { kind: 'amount', fen: -200 }, ['retail']);
    expect(r.after).toEqual({ retailPriceFen: 800, memberPriceFen: 800 });
    expect(r.warnings).toEqual(['member_lowered_to_retail']);
    const m = bulkPriceRow(sku, { kind: 'percent', bp: 1000 }, ['member']);
    expect(m.after).toEqual({ retailPriceFen: 1000, memberPriceFen: 990 });
    expect(m.warnings).toEqual([]);
  });

  it('never goes below 0 and warns below cost', () => {
    const r = bulkPriceRow(sku, { kind: 'amount', fen: -5000 }, ['retail', 'member']);
    expect(r.after).toEqual({ retailPriceFen: 0, memberPriceFen: 0 });
    expect(r.warnings).toEqual(['clamped_at_zero', 'below_cost']);
    const cut = bulkPriceRow(sku, { kind: 'percent', bp: -3500 }, ['retail', 'member']);
    expect(cut.after).toEqual({ retailPriceFen: 650, memberPriceFen: 585 });
    expect(cut.warnings).toEqual(['below_cost']);
    expect(cut.before).toEqual({ retailPriceFen: 1000, memberPriceFen: 900 });
  });
});
