import { describe, expect, it } from 'vitest';
import { addDays, aging, agingBucket, creditRating, daysBetween, daysSalesOutstanding } from './aging.js';

describe('days between business days', () => {
  it.each([
    ['2026-01-01', '2026-01-01', 0],
    ['2026-01-31', '2026-03-01', 29],
    ['2024-02-28', '2024-03-01', 2],
    ['2026-03-01', '2026-02-28', -1],
  ])('%s → %s is %i days', (a, b, n) => {
    expect(daysBetween(a, b)).toBe(n);
    expect(addDays(a, n)).toBe(b);
  });
});

describe('aging buckets', () => {
  // Due 2026-03-31; the bucket edges are 0/1, 30/31, 60/61 and 90/91 days overdue.
  it.each([
    ['2026-03-01', 'current'],
    ['2026-03-31', 'current'],
    ['2026-04-01', 'd1_30'],
    ['2026-04-30', 'd1_30'],
    ['2026-05-01', 'd31_60'],
    ['2026-05-30', 'd31_60'],
    ['2026-05-31', 'd61_90'],
    ['2026-06-29', 'd61_90'],
    ['2026-06-30', 'd90_plus'],
  ])('as of %s → %s', (asOf, bucket) => {
    expect(agingBucket('2026-03-31', asOf)).toBe(bucket);
  });

  it('sums open balances per bucket and leaves settled invoices out', () => {
    const asOf = '2026-06-30';
    const out = aging(
      [
        { dueDate: '2026-07-10', balanceFen: 100 }, // current
        { dueDate: '2026-06-30', balanceFen: 1 }, // due today: current
        { dueDate: '2026-06-29', balanceFen: 250 }, // 1 day
        { dueDate: '2026-05-31', balanceFen: 300 }, // 30 days
        { dueDate: '2026-05-30', balanceFen: 400 }, // 31 days
        { dueDate: '2026-04-01', balanceFen: 500 }, // 90 days
        { dueDate: '2026-03-01', balanceFen: 600 }, // 121 days
        { dueDate: '2026-01-01', balanceFen: 0 }, // paid
      ],
      asOf,
    );
    expect(out).toEqual({ current: 101, d1_30: 550, d31_60: 400, d61_90: 500, d90_plus: 600, totalFen: 2151 });
  });
});

describe('days sales outstanding = receivables ÷ credit sales × days', () => {
  it.each([
    // 30 000 owed after 90 000 of credit sales in 30 days: 10 days.
    [30_000, 90_000, 30, 10],
    // 10 ÷ 30 × 31 = 10.33 → 10; 10 ÷ 30 × 32 = 10.67 → 11; 1 ÷ 2 × 1 = 0.5 → 1 (half up).
    [10, 30, 31, 10],
    [10, 30, 32, 11],
    [1, 2, 1, 1],
    [0, 500, 30, 0],
    // Everything still owed: the whole period.
    [500, 500, 30, 30],
  ])('%i ÷ %i × %i days = %i', (r, s, d, dso) => {
    expect(daysSalesOutstanding(r, s, d)).toBe(dso);
  });
  it('is null without credit sales', () => {
    expect(daysSalesOutstanding(100, 0, 30)).toBeNull();
  });
});

describe('credit rating', () => {
  const asOf = '2026-06-30';
  const onTime = (due: string) => ({ dueDate: due, settledDate: due });
  const late = (due: string, days: number) => ({ dueDate: due, settledDate: addDays(due, days) });
  it.each([
    ['nothing due yet', [{ dueDate: '2026-07-15', settledDate: null }], 'new', 0, 0],
    ['ten on time', Array.from({ length: 10 }, () => onTime('2026-05-01')), 'A', 10_000, 0],
    // 9 of 10 on time, one 30 days late: average 3 days → A at the edge.
    ['nine on time, one 30 late', [...Array.from({ length: 9 }, () => onTime('2026-05-01')), late('2026-05-01', 30)], 'A', 9000, 3],
    // One 35 days late: average 3.5 rounds up to 4, past A's 3 days → B.
    ['nine on time, one 35 late', [...Array.from({ length: 9 }, () => onTime('2026-05-01')), late('2026-05-01', 35)], 'B', 9000, 4],
    ['7 of 10 on time, three 50 late', [...Array.from({ length: 7 }, () => onTime('2026-04-01')), ...Array.from({ length: 3 }, () => late('2026-04-01', 50))], 'B', 7000, 15],
    ['half on time, half 60 late', [onTime('2026-03-01'), late('2026-03-01', 60)], 'C', 5000, 30],
    ['one of three on time', [onTime('2026-03-01'), late('2026-03-01', 10), late('2026-03-01', 20)], 'D', 3333, 10],
    // Open and 91 days overdue: D whatever else.
    ['one open 91 days', [...Array.from({ length: 20 }, () => onTime('2026-03-01')), { dueDate: '2026-03-31', settledDate: null }], 'D', 9523, 4],
    // Open for 10 days counts as 10 days late, and not on time.
    ['open 10 days', [onTime('2026-06-01'), { dueDate: '2026-06-20', settledDate: null }], 'C', 5000, 5],
  ] as const)('%s → %s', (_name, history, rating, onTimeBp, avg) => {
    const r = creditRating(history, asOf);
    expect(r.rating).toBe(rating);
    expect(r.onTimeBp).toBe(onTimeBp);
    expect(r.avgDaysLate).toBe(avg);
  });
});
