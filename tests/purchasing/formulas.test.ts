import { describe, expect, it } from 'vitest';
import { addDays, ageBalances, agingBucketOf, daysBetween } from '../../api/_purchasing/aging';
import { averageAfterReceipt, averageAfterReturn, roundHalfUp } from '../../api/_purchasing/costing';
import { suggestedReorderQty } from '../../api/_purchasing/reorder-formula';
import { allocateInOrder } from '../../api/_purchasing/payables.repository';

describe('aging buckets (days overdue = as-of day − due day)', () => {
  // Worked by hand: due 2026-03-01; 2026 is not a leap year, so March has 31 days.
  const table: [due: string, asOf: string, overdue: number, bucket: string][] = [
    ['2026-03-01', '2026-02-01', -28, 'current'], // not yet due
    ['2026-03-01', '2026-03-01', 0, 'current'], // due today is not overdue
    ['2026-03-01', '2026-03-02', 1, 'd1_30'], // first overdue day
    ['2026-03-01', '2026-03-31', 30, 'd1_30'], // last day of the first bucket
    ['2026-03-01', '2026-04-01', 31, 'd31_60'],
    ['2026-03-01', '2026-04-30', 60, 'd31_60'],
    ['2026-03-01', '2026-05-01', 61, 'd61_90'],
    ['2026-03-01', '2026-05-30', 90, 'd61_90'],
    ['2026-03-01', '2026-05-31', 91, 'd90_plus'],
    ['2026-03-01', '2027-03-01', 365, 'd90_plus'],
    ['2024-02-28', '2024-03-01', 2, 'd1_30'], // across a leap day
  ];
  it.each(table)('due %s, on %s: %i days overdue → %s', (due, asOf, overdue, bucket) => {
    expect(daysBetween(due, asOf)).toBe(overdue);
    expect(agingBucketOf(due, asOf)).toBe(bucket);
  });

  it('adds payment terms in calendar days across month and year ends', () => {
    expect(addDays('2026-01-31', 30)).toBe('2026-03-02');
    expect(addDays('2026-12-15', 30)).toBe('2027-01-14');
    expect(addDays('2026-05-05', 0)).toBe('2026-05-05');
    expect(addDays('2026-05-05', -28)).toBe('2026-04-07');
  });

  it('sums open balances per bucket and leaves settled ones out', () => {
    const asOf = '2026-06-30';
    const totals = ageBalances(
      [
        { dueDate: '2026-07-10', balanceFen: 1000 }, // current
        { dueDate: '2026-06-30', balanceFen: 1 }, // current (due today)
        { dueDate: '2026-06-01', balanceFen: 250 }, // 29 days → 1–30
        { dueDate: '2026-05-01', balanceFen: 300 }, // 60 days → 31–60
        { dueDate: '2026-04-01', balanceFen: 7 }, // 90 days → 61–90
        { dueDate: '2026-01-01', balanceFen: 99 }, // 180 days → 90+
        { dueDate: '2026-01-01', balanceFen: 0 }, // settled
      ],
      asOf,
    );
    expect(totals).toEqual({ current: 1001, d1_30: 250, d31_60: 300, d61_90: 7, d90_plus: 99, totalFen: 1657 });
  });
});

describe('moving-average cost, rounded half up', () => {
  it('rounds quotients half up', () => {
    expect(roundHalfUp(5n, 2n)).toBe(3n); // 2.5 → 3
    expect(roundHalfUp(7n, 3n)).toBe(2n); // 2.33 → 2
    expect(roundHalfUp(8n, 3n)).toBe(3n); // 2.67 → 3
    expect(roundHalfUp(0n, 3n)).toBe(0n);
  });

  const receipts: [onHand: number, avg: number, qty: number, cost: number, after: number, why: string][] = [
    [0, 500, 10, 300, 300, 'empty shelf: the new price'],
    [-4, 500, 10, 300, 300, 'oversold shelf carries no value'],
    [10, 100, 10, 200, 150, '(10×100 + 10×200) / 20 = 150 exactly'],
    [3, 100, 1, 101, 100, '(300 + 101) / 4 = 100.25 → 100'],
    [1, 100, 1, 101, 101, '(100 + 101) / 2 = 100.5 → 101 (half up)'],
    [2, 333, 1, 0, 222, 'free goods dilute: 666 / 3 = 222'],
    [1_000_000, 99_999_999, 1_000_000, 99_999_998, 99_999_999, 'large: 199999997000000 / 2000000 = 99999998.5 → 99999999'],
  ];
  it.each(receipts)('receive onHand=%i avg=%i + %i × %i → %i (%s)', (onHand, avg, qty, cost, after) => {
    expect(averageAfterReceipt(onHand, avg, qty, cost)).toBe(after);
  });

  const returns: [onHand: number, avg: number, qty: number, cost: number, after: number, why: string][] = [
    [20, 150, 10, 200, 100, '(3000 − 2000) / 10 = 100: undoes the second receipt above'],
    [4, 100, 1, 101, 100, '(400 − 101) / 3 = 99.67 → 100'],
    [5, 100, 5, 120, 100, 'nothing left: the last average stays'],
    [3, 10, 2, 100, 0, 'value would go below zero: zero'],
  ];
  it.each(returns)('return onHand=%i avg=%i − %i × %i → %i (%s)', (onHand, avg, qty, cost, after) => {
    expect(averageAfterReturn(onHand, avg, qty, cost)).toBe(after);
  });
});

describe('reorder suggestion = max(0, ⌈sold × (lead + cover) / days⌉ − available − on order)', () => {
  const table: [sold: number, days: number, lead: number, cover: number, available: number, onOrder: number, suggested: number][] = [
    [28, 28, 3, 7, 0, 0, 10], // one a day for ten days
    [28, 28, 3, 7, 4, 0, 6],
    [28, 28, 3, 7, 4, 6, 0], // already covered
    [28, 28, 3, 7, 20, 0, 0], // more than enough: never negative
    [10, 28, 3, 7, 0, 0, 4], // 100/28 = 3.57 → 4
    [1, 28, 0, 0, 0, 0, 0], // no lead time and no cover: nothing needed
    [0, 28, 5, 5, 0, 0, 0], // nothing sold
    [14, 7, 2, 5, -3, 0, 17], // 2 a day × 7 = 14, plus 3 oversold
    [-2, 7, 2, 5, 0, 0, 0], // returns above sales count as no sales
  ];
  it.each(table)('sold %i in %i days, lead %i, cover %i, available %i, on order %i → %i', (soldQty, days, leadTimeDays, coverDays, available, onOrder, suggested) => {
    expect(suggestedReorderQty({ soldQty, days, leadTimeDays, coverDays, available, onOrder })).toBe(suggested);
  });
});

describe('payment allocation, oldest first', () => {
  const open = [
    { id: 'a', receiptId: 'r1', balanceFen: 300 },
    { id: 'b', receiptId: 'r2', balanceFen: 500 },
  ];
  it.each([
    [1, [{ payableId: 'a', amountFen: 1 }]],
    [300, [{ payableId: 'a', amountFen: 300 }]],
    [301, [{ payableId: 'a', amountFen: 300 }, { payableId: 'b', amountFen: 1 }]],
    [800, [{ payableId: 'a', amountFen: 300 }, { payableId: 'b', amountFen: 500 }]],
  ])('%i fen', (amount, expected) => {
    expect(allocateInOrder(amount, open)).toEqual(expected);
  });
  it('refuses to leave money unallocated', () => {
    expect(() => allocateInOrder(801, open)).toThrow(RangeError);
  });
});
