import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, isValidDate, periodStarts, splitByMonths, weekStart } from '../../api/_reports/period';
import { orderMeasures, ratioRounded, zeroOrderSums } from '../../api/_reports/measures';
import { cellText, attachment } from '../../api/_export/cells';
import { csvField } from '../../api/_export/csv';
import { periods } from '../../src/services/report-view';

describe('report periods', () => {
  it.each([
    // [from, to, whole months, daily pieces]
    ['2026-08-20', '2026-10-25', ['2026-09-01', '2026-09-30'], [['2026-08-20', '2026-08-31'], ['2026-10-01', '2026-10-25']]],
    ['2026-08-01', '2026-10-31', ['2026-08-01', '2026-10-31'], []],
    ['2026-08-01', '2026-08-31', ['2026-08-01', '2026-08-31'], []],
    ['2026-08-02', '2026-08-31', null, [['2026-08-02', '2026-08-31']]],
    ['2026-08-01', '2026-08-30', null, [['2026-08-01', '2026-08-30']]],
    ['2026-09-07', '2026-09-07', null, [['2026-09-07', '2026-09-07']]],
    ['2025-12-15', '2026-02-28', ['2026-01-01', '2026-02-28'], [['2025-12-15', '2025-12-31']]],
    ['2024-02-29', '2024-03-31', ['2024-03-01', '2024-03-31'], [['2024-02-29', '2024-02-29']]],
  ] as const)('splits %s…%s into whole months and days', (from, to, months, days) => {
    expect(splitByMonths(from, to)).toEqual({ months, days });
  });

  it('counts days, weeks from Monday and calendar dates exactly', () => {
    expect(daysBetween('2025-11-21', '2026-11-21')).toBe(366);
    expect(daysBetween('2026-01-01', '2026-01-01')).toBe(1);
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(weekStart('2026-11-23')).toBe('2026-11-23'); // a Monday
    expect(weekStart('2026-11-22')).toBe('2026-11-16'); // a Sunday
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(periodStarts('2026-01-30', '2026-03-01', 'month')).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
    expect(periodStarts('2026-11-20', '2026-11-23', 'week')).toEqual(['2026-11-16', '2026-11-23']);
  });

  it('offers this week from Monday, this month, last month and a year within the API limit', () => {
    const p = Object.fromEntries(periods('2026-03-04').map((x) => [x.key, x]));
    expect(p.week).toMatchObject({ from: '2026-03-02', to: '2026-03-04' });
    expect(p.month).toMatchObject({ from: '2026-03-01', to: '2026-03-04' });
    expect(p.last_month).toMatchObject({ from: '2026-02-01', to: '2026-02-28' });
    expect(daysBetween(p.year!.from, p.year!.to)).toBe(365);
  });
});

describe('report measures in integers', () => {
  it.each([
    [0, 0, 1, 0],
    [1, 3, 1, 0],
    [2, 3, 1, 1],
    [1, 2, 1, 1], // half rounds away from zero
    [-1, 2, 1, -1],
    [-1, 3, 1, 0],
    [2345, 10_000, 10_000, 2345],
    [1, 3, 10_000, 3333],
    [2, 3, 10_000, 6667],
    [9_000_000_000_000, 3, 10_000, 30_000_000_000_000_000], // beyond 2^53 before the division; exact with BigInt
  ])('ratioRounded(%i, %i, %i) = %i', (num, den, scale, want) => {
    if (want > Number.MAX_SAFE_INTEGER) expect(ratioRounded(num, den, scale)).toBe(Number(BigInt(num) * BigInt(scale) / BigInt(den)));
    else expect(ratioRounded(num, den, scale)).toBe(want);
  });

  it('works out a hand-worked store day', () => {
    // Three sales of ¥10.00, ¥20.01 and ¥5.00 (7 pieces, cost ¥21.00); one ¥5.00 piece back (cost ¥3.00).
    const m = orderMeasures({ orders: 3, salesFen: 3501, refundFen: 500, items: 7, returnedItems: 1, costFen: 2100, returnedCostFen: 300 });
    expect(m).toEqual({ orderCount: 3, salesFen: 3501, refundFen: 500, netSalesFen: 3001, netQty: 6, avgTicketFen: 1167, itemsPerSaleX100: 233, costFen: 1800, marginFen: 1201, marginBp: 4002 });
    expect(orderMeasures(zeroOrderSums)).toMatchObject({ avgTicketFen: 0, itemsPerSaleX100: 0, marginBp: 0 });
  });
});

describe('export cells', () => {
  it.each([
    ['fen', 0, '0.00'],
    ['fen', 1, '0.01'],
    ['fen', 100, '1.00'],
    ['fen', -1, '-0.01'],
    ['fen', 123456789, '1234567.89'],
    ['bp', 2345, '23.45%'],
    ['bp', -50, '-0.50%'],
    ['x100', 233, '2.33'],
    ['int', 7, '7'],
    ['text', '可口可乐', '可口可乐'],
  ] as const)('%s %s → %s', (kind, value, want) => {
    expect(cellText(kind, value)).toBe(want);
  });

  it('quotes CSV fields that need it and defuses formulas in text', () => {
    expect(csvField('a,b', true)).toBe('"a,b"');
    expect(csvField('say "hi"', true)).toBe('"say ""hi"""');
    expect(csvField('two\nlines', true)).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")', true)).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-12.00', false)).toBe('-12.00');
    expect(csvField('普通文字', true)).toBe('普通文字');
  });

  it('names a download in Chinese with an ASCII fallback', () => {
    expect(attachment('销售汇总_2026-11-01_2026-11-23.csv')).toBe(`attachment; filename="_____2026-11-01_2026-11-23.csv"; filename*=UTF-8''${encodeURIComponent('销售汇总_2026-11-01_2026-11-23.csv')}`);
  });
});
