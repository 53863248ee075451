import { describe, expect, it } from 'vitest';
import { amountLine, runStatus } from '../../src/services/reconcile';
import type { ReconcileItemView, ReconcileRunView } from '../../shared/api/reconcile';

const run: ReconcileRunView = { id: 'rrn_01JZZZZZZZZZZZZZZZZZZZZZZZ', channel: 'wechat', billDate: '2026-11-22', status: 'done', startedAt: '', finishedAt: null, counts: {}, exceptions: 0, unresolved: 0, feeFen: 0, netFen: 0, resultHash: null, error: null };

describe('the status an owner reads first', () => {
  it.each([
    [{}, '全部一致', 'ok'],
    [{ exceptions: 3, unresolved: 2 }, '2 条差异待处理', 'warn'],
    [{ exceptions: 3, unresolved: 0 }, '3 条差异已处理', 'ok'],
    [{ status: 'running' as const }, '对账中…', 'muted'],
    [{ status: 'failed' as const, error: '账单未上传' }, '对账失败：账单未上传', 'bad'],
  ])('%j reads %s', (patch, text, tone) => expect(runStatus({ ...run, ...patch })).toEqual({ text, tone }));

  it('shows amounts in yuan from fen, and the fee for a fee difference', () => {
    const item = { class: 'amount_mismatch', billAmountFen: 1234, systemAmountFen: 1200, billFeeFen: 8, expectedFeeFen: 7 } as ReconcileItemView;
    expect(amountLine(item)).toBe('账单 ¥12.34 / 系统 ¥12.00');
    expect(amountLine({ ...item, class: 'fee_difference' })).toBe('手续费 账单 ¥0.08 / 应为 ¥0.07');
    expect(amountLine({ ...item, systemAmountFen: null })).toBe('账单 ¥12.34 / 系统 —');
  });
});
