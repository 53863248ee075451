import { describe, expect, it } from 'vitest';
import { agingRows, beijingToday, centisLabel, monthToDate, previousMonth, tierLabel } from '../../src/services/credit-view';

describe('credit and commission view helpers', () => {
  it('labels aging buckets in order', () => {
    expect(agingRows({ current: 1, d1_30: 2, d31_60: 3, d61_90: 4, d90_plus: 5, totalFen: 15 }).map((r) => [r.label, r.fen])).toEqual([
      ['未到期', 1],
      ['逾期1–30天', 2],
      ['逾期31–60天', 3],
      ['逾期61–90天', 4],
      ['逾期90天以上', 5],
    ]);
  });
  it.each([
    ['2026-03-31T15:59:59Z', '2026-03-31'],
    ['2026-03-31T16:00:00Z', '2026-04-01'],
  ])('Beijing day at %s is %s', (at, day) => expect(beijingToday(new Date(at))).toBe(day));
  it('ranges and months', () => {
    expect(monthToDate('2026-03-17')).toEqual({ from: '2026-03-01', to: '2026-03-17' });
    expect(previousMonth('2026-01-05')).toBe('2025-12');
    expect(previousMonth('2026-11-23')).toBe('2026-10');
  });
  it.each([
    [235, '2.35'],
    [5, '0.05'],
    [-150, '-1.50'],
    [-50, '-0.50'],
  ])('%i hundredths → %s', (c, s) => expect(centisLabel(c)).toBe(s));
  it('describes tiers', () => {
    expect(tierLabel('percent', { fromFen: 0, toFen: 100_000, rateBp: 150 })).toBe('0–1000元 1.5%');
    expect(tierLabel('per_item', { fromFen: 100_000, toFen: null, perItemFen: 50 })).toBe('1000–∞元 每件0.50元');
  });
});
