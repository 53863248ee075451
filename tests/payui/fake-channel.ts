import type { ChannelName, CreateTrade, JsapiParams, PaymentChannel, RefundRequest, RefundState, TradeState } from '../../api/_payments/channel';
import { channelRegistry, type PaymentChannels } from '../../api/_payments/registry';

/**
 * An in-memory platform for API tests of the payment screens' server side:
 * a code ending in 1 pays at once, 2 waits for a password (USERPAYING) until
 * `confirm`, 3 fails for insufficient balance. Refunds succeed at once.
 */
export class FakeChannel implements PaymentChannel {
  readonly merchantNo = '1900000001';
  readonly appId = 'wx_fake';
  readonly trades = new Map<string, TradeState>();
  readonly refunds = new Map<string, RefundState>();
  constructor(readonly name: ChannelName) {}

  private put(t: TradeState): TradeState {
    this.trades.set(t.outTradeNo, t);
    return t;
  }

  async createJsapi(trade: CreateTrade): Promise<JsapiParams> {
    this.put({ state: 'pending', outTradeNo: trade.outTradeNo, amountFen: trade.amountFen });
    return this.name === 'wechat'
      ? { channel: 'wechat', timeStamp: '1', nonceStr: 'n', package: `prepay_id=${trade.outTradeNo}`, signType: 'RSA', paySign: 's' }
      : { channel: 'alipay', tradeNO: `T${trade.outTradeNo}` };
  }
  async createQr(trade: CreateTrade) {
    this.put({ state: 'pending', outTradeNo: trade.outTradeNo, amountFen: trade.amountFen });
    return { codeUrl: `weixin://wxpay/bizpayurl?pr=${trade.outTradeNo}` };
  }
  async payWithCode(trade: { outTradeNo: string; amountFen: number }, authCode: string): Promise<TradeState> {
    const base = { outTradeNo: trade.outTradeNo, amountFen: trade.amountFen, merchantNo: this.merchantNo, appId: this.appId };
    if (authCode.endsWith('1')) return this.put({ ...base, state: 'succeeded', platformTradeNo: `P${trade.outTradeNo}` });
    if (authCode.endsWith('2')) return this.put({ ...base, state: 'pending' });
    return this.put({ ...base, state: 'failed', failure: { code: 'NOTENOUGH', message: '余额不足' } });
  }
  /** The customer enters the password. */
  confirm(outTradeNo: string): void {
    const t = this.trades.get(outTradeNo);
    if (t) this.put({ ...t, state: 'succeeded', platformTradeNo: `P${outTradeNo}`, merchantNo: this.merchantNo, appId: this.appId });
  }
  async query(outTradeNo: string): Promise<TradeState> {
    return this.trades.get(outTradeNo) ?? { state: 'not_found', outTradeNo };
  }
  async cancel(outTradeNo: string): Promise<void> {
    const t = this.trades.get(outTradeNo);
    if (t && t.state === 'pending') this.put({ ...t, state: 'closed' });
  }
  async refund(r: RefundRequest): Promise<RefundState> {
    const s: RefundState = { state: 'succeeded', outRefundNo: r.outRefundNo, outTradeNo: r.outTradeNo, refundFen: r.refundFen, platformRefundNo: `R${r.outRefundNo}` };
    this.refunds.set(r.outRefundNo, s);
    return s;
  }
  async queryRefund(outRefundNo: string): Promise<RefundState> {
    return this.refunds.get(outRefundNo) ?? { state: 'not_found', outRefundNo };
  }
  parseNotification(): never {
    throw new Error('the fake platform sends no notifications');
  }
  notificationReply(ok: boolean) {
    return { status: ok ? 200 : 500, contentType: 'application/json', body: '{}' };
  }
}

export function fakeChannels(): { channels: PaymentChannels; wechat: FakeChannel; alipay: FakeChannel } {
  const wechat = new FakeChannel('wechat');
  const alipay = new FakeChannel('alipay');
  return { channels: channelRegistry({ wechat: () => wechat, alipay: () => alipay }), wechat, alipay };
}
