import { describe, expect, it } from 'vitest';
import { return_reason_length_max } from '../../shared/api/returns';
import { axisYuan, checkTrialBalance, dailyPoints, decisionNoteProblem, shortBeijingTime, tenderBars } from '../../src/services/boss-dashboard';

describe('dailyPoints', () => {
  it('orders days oldest first and keeps zero days', () => {
    const points = dailyPoints([
      { date: '2026-11-23', takingsFen: 1234, orderCount: 2 },
      { date: '2026-11-21', takingsFen: 0, orderCount: 0 },
      { date: '2026-11-22', takingsFen: 1, orderCount: 1 },
    ]);
    expect(points.map((p) => [p.label, p.fen])).toEqual([
      ['11-21', 0],
      ['11-22', 1],
      ['11-23', 1234],
    ]);
  });
});

describe('tenderBars', () => {
  it('adds channels the shopkeeper knows by one name and scales to the largest', () => {
    const bars = tenderBars([
      { tender: 'cash', fen: 500 },
      { tender: 'wechat_code', fen: 600 },
      { tender: 'wechat_jsapi', fen: 400 },
      { tender: 'alipay_code', fen: 1 },
    ]);
    expect(bars).toEqual([
      { label: '微信支付', fen: 1000, widthPct: 100 },
      { label: '现金', fen: 500, widthPct: 50 },
      { label: '支付宝', fen: 1, widthPct: 0 },
    ]);
  });

  it('has no bars for no takings and no division by zero for a zero day', () => {
    expect(tenderBars([])).toEqual([]);
    expect(tenderBars([{ tender: 'cash', fen: 0 }])).toEqual([{ label: '现金', fen: 0, widthPct: 0 }]);
  });
});

describe('decisionNoteProblem', () => {
  it.each([
    ['', '请写一句审批说明'],
    ['   ', '请写一句审批说明'],
    ['金额核对无误', null],
    ['x'.repeat(return_reason_length_max), null],
    ['x'.repeat(return_reason_length_max + 1), '说明太长了'],
  ])('%j → %j', (note, problem) => {
    expect(decisionNoteProblem(note)).toBe(problem);
  });
});

describe('checkTrialBalance', () => {
  const accounts = [
    { debitFen: 1000, creditFen: 0 },
    { debitFen: 0, creditFen: 900 },
    { debitFen: 0, creditFen: 100 },
  ];
  it('is balanced when lines add up to equal totals', () => {
    expect(checkTrialBalance(accounts, { debitFen: 1000, creditFen: 1000 })).toEqual({ debitFen: 1000, creditFen: 1000, balanced: true });
  });
  it('is not balanced when the sent totals disagree with the lines', () => {
    expect(checkTrialBalance(accounts, { debitFen: 1001, creditFen: 1001 }).balanced).toBe(false);
  });
  it('is not balanced when debits differ from credits', () => {
    expect(checkTrialBalance([{ debitFen: 1, creditFen: 0 }], { debitFen: 1, creditFen: 0 }).balanced).toBe(false);
  });
  it('is balanced for an empty ledger', () => {
    expect(checkTrialBalance([], { debitFen: 0, creditFen: 0 }).balanced).toBe(true);
  });
});

describe('formatting', () => {
  it('shows times in Beijing', () => {
    expect(shortBeijingTime('2026-11-23T16:05:00.000Z')).toBe('11-24 00:05');
    expect(shortBeijingTime('not a time')).toBe('');
  });
  it.each([
    [0, '¥0'],
    [720, '¥7.2'],
    [1000, '¥10'],
    [123456, '¥1,234.56'],
    [-2418, '-¥24.18'],
    [2.6, '¥0.03'],
  ])('labels the axis value %j as %j', (fen, label) => {
    expect(axisYuan(fen)).toBe(label);
  });
});
