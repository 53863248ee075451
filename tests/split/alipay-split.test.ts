import { describe, expect, it } from 'vitest';
import { AppError } from '../../api/_kernel/errors';
import { alipay_split_receivers_max, bindContent, finishContent, refundRoyaltyParameters, settleContent, settleQueryState } from '../../api/_payments/alipay/split';
import type { SplitRequest } from '../../api/_payments/channel';

/** The Alipay royalty requests as built for the gateway, and its answers read back: amounts are exact yuan strings both ways. */

const request = (amounts: number[], type: 'userId' | 'loginName' = 'userId'): SplitRequest => ({
  outTradeNo: 'pay_x',
  platformTradeNo: '2026112322001400000000000001',
  outOrderNo: 'spl_01JX',
  receivers: amounts.map((amountFen, i) => ({ type, account: type === 'userId' ? `20880000000002${String(i).padStart(2, '0')}` : `r${i}@example.com`, amountFen, description: `分成${i}` })),
});

describe('alipay.trade.order.settle content', () => {
  it.each([
    [1, '0.01'],
    [10, '0.10'],
    [99, '0.99'],
    [100, '1.00'],
    [12_345, '123.45'],
    [100_000_000_00, '100000000.00'],
  ])('%i fen is sent as "%s"', (fen, yuan) => {
    const content = settleContent(request([fen]));
    expect(content).toEqual({
      out_request_no: 'spl_01JX',
      trade_no: '2026112322001400000000000001',
      royalty_mode: 'async',
      royalty_parameters: [{ royalty_type: 'transfer', trans_in_type: 'userId', trans_in: '2088000000000200', amount: yuan, desc: '分成0' }],
    });
  });

  it.each([[0], [-1], [1.5], [100_000_000_01]])('refuses %s fen before any call', (fen) => {
    expect(() => settleContent(request([fen]))).toThrow(AppError);
  });

  it('keeps every receiver in order with its own type, up to alipay_split_receivers_max', () => {
    const many = request(Array.from({ length: alipay_split_receivers_max }, (_, i) => i + 1), 'loginName');
    const params = settleContent(many)['royalty_parameters'] as Record<string, string>[];
    expect(params).toHaveLength(alipay_split_receivers_max);
    expect(params.map((p) => p['amount']).slice(0, 3)).toEqual(['0.01', '0.02', '0.03']);
    expect(new Set(params.map((p) => p['trans_in_type']))).toEqual(new Set(['loginName']));
    expect(() => settleContent(request(Array.from({ length: alipay_split_receivers_max + 1 }, () => 1)))).toThrow(/alipay_split_receivers_max/);
    expect(() => settleContent(request([]))).toThrow(/alipay_split_receivers_max/);
  });

  it('refuses a WeChat account type and a missing trade_no', () => {
    const wechat = { ...request([1]), receivers: [{ type: 'MERCHANT_ID' as const, account: '1900000201', amountFen: 1, description: 'x' }] };
    expect(() => settleContent(wechat)).toThrow(/userId 或 loginName/);
    expect(() => settleContent({ ...request([1]), platformTradeNo: '' })).toThrow(/trade_no/);
  });

  it('finishes with royalty_finish alone, and binds a receiver under a request number fixed by its account', () => {
    expect(finishContent('2026112322001400000000000001', 'spl_01JX_U')).toEqual({ out_request_no: 'spl_01JX_U', trade_no: '2026112322001400000000000001', extend_params: { royalty_finish: 'true' } });
    const bind = bindContent({ type: 'loginName', account: 'brand@example.com', name: '品牌方', relation: 'BRAND' });
    expect(bind).toEqual({ receiver_list: [{ type: 'loginName', account: 'brand@example.com', name: '品牌方', memo: '品牌方' }], out_request_no: 'bind_loginName_brand_example_com' });
    expect(bindContent({ type: 'loginName', account: 'brand@example.com', name: '别名', relation: 'STAFF' })['out_request_no']).toBe(bind['out_request_no']);
  });

  it('returns split money inside a refund as refund_royalty_parameters with exact amounts', () => {
    expect(refundRoyaltyParameters([{ type: 'userId', account: '2088000000000201', amountFen: 3_007, description: '退回分账' }])).toEqual([
      { royalty_type: 'transfer', trans_out: '2088000000000201', trans_out_type: 'userId', amount: '30.07', desc: '退回分账' },
    ]);
    expect(() => refundRoyaltyParameters([{ type: 'userId', account: '2088000000000201', amountFen: 0, description: 'x' }])).toThrow(AppError);
  });
});

describe('alipay.trade.order.settle.query answers', () => {
  const detail = (over: Record<string, unknown>) => ({ operation_type: 'transfer', trans_out: '2088000000000001', trans_out_type: 'userId', trans_in: '2088000000000201', trans_in_type: 'userId', amount: '10.00', state: 'SUCCESS', detail_id: '1', ...over });

  it('reads each receiver; amounts given as strings or JSON numbers come out as exact fen', () => {
    const state = settleQueryState(
      {
        code: '10000',
        out_request_no: 'spl_01JX',
        settle_no: '2021071800253007',
        royalty_detail_list: [detail({ amount: '0.07' }), detail({ trans_in: '2088000000000202', amount: 10.1, state: 'FAIL', error_code: 'TXN_RESULT_ACCOUNT_BALANCE_NOT_ENOUGH', error_desc: '分账余额不足' }), detail({ operation_type: 'replenish', amount: '5.00' })],
      },
      'spl_01JX',
    );
    expect(state).toEqual({
      state: 'finished',
      outOrderNo: 'spl_01JX',
      platformOrderId: '2021071800253007',
      receivers: [
        { type: 'userId', account: '2088000000000201', amountFen: 7, result: 'success' },
        { type: 'userId', account: '2088000000000202', amountFen: 1010, result: 'closed', failReason: 'TXN_RESULT_ACCOUNT_BALANCE_NOT_ENOUGH 分账余额不足' },
      ],
    });
  });

  it('stays processing while any receiver is PROCESSING, and refuses a malformed amount', () => {
    expect(settleQueryState({ royalty_detail_list: [detail({}), detail({ trans_in: '2088000000000202', state: 'PROCESSING' })] }, 'o').state).toBe('processing');
    expect(() => settleQueryState({ royalty_detail_list: [detail({ amount: '1.005' })] }, 'o')).toThrow(RangeError);
    expect(() => settleQueryState({ royalty_detail_list: [detail({ amount: -1 })] }, 'o')).toThrow(RangeError);
  });
});
