import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  NotificationRejected,
  type ChannelName,
  type ChannelNotification,
  type CreateTrade,
  type JsapiParams,
  type NotificationReply,
  type PaymentChannel,
  type PaymentMode,
  type RefundRequest,
  type RefundState,
  type TradeState,
} from '../../api/_payments/channel';
import { channelRegistry, type PaymentChannels } from '../../api/_payments/registry';

/**
 * A scriptable stand-in for a platform adapter, for the payments core's own
 * tests: the core's decisions (compare-and-set, outcomes, refunds, the
 * sweep) are tested here without any protocol; the real adapters are tested
 * against the platform vectors and the sandbox in their own suites. Its
 * notifications are HMAC-signed so forged ones can be told apart.
 */
export type CodeBehaviour = 'success' | 'userpaying' | 'insufficient' | 'invalid';

interface FakeTrade {
  amountFen: number;
  state: TradeState['state'];
  platformTradeNo: string;
  payerId?: string;
  mode: PaymentMode;
}

export class FakeChannel implements PaymentChannel {
  readonly merchantNo: string;
  readonly appId: string;
  readonly trades = new Map<string, FakeTrade>();
  readonly refunds = new Map<string, RefundState & { outTradeNo: string }>();
  /** What a payment code does, by its last digit unless set: 1 success, 2 userpaying, 3 insufficient. */
  codeBehaviour: (authCode: string) => CodeBehaviour = (code) => (code.endsWith('2') ? 'userpaying' : code.endsWith('3') ? 'insufficient' : code.endsWith('4') ? 'invalid' : 'success');
  refundBehaviour: 'succeed' | 'pending' | 'fail' | 'throw' = 'succeed';
  calls: string[] = [];
  /** The platform's clock, for notification timestamps; tests set it to the API's. */
  clock: () => Date = () => new Date();
  private seq = 0;
  private readonly secret: string;

  constructor(readonly name: ChannelName) {
    this.merchantNo = name === 'wechat' ? '1900000109' : '2088000000000000';
    this.appId = name === 'wechat' ? 'wxfake000000000001' : '2021000000000001';
    this.secret = `fake-secret-${name}`;
  }

  private platformNo(): string {
    this.seq++;
    return `${this.name === 'wechat' ? '4200' : '2026'}${String(this.seq).padStart(12, '0')}`;
  }

  async createJsapi(trade: CreateTrade, payerId: string): Promise<JsapiParams> {
    this.calls.push(`jsapi ${trade.outTradeNo}`);
    this.trades.set(trade.outTradeNo, { amountFen: trade.amountFen, state: 'pending', platformTradeNo: this.platformNo(), payerId, mode: 'jsapi' });
    return this.name === 'wechat'
      ? { channel: 'wechat', timeStamp: '1700000000', nonceStr: 'n', package: `prepay_id=wx${trade.outTradeNo}`, signType: 'RSA', paySign: 'sig' }
      : { channel: 'alipay', tradeNO: this.trades.get(trade.outTradeNo)!.platformTradeNo };
  }

  async createQr(trade: CreateTrade): Promise<{ codeUrl: string }> {
    this.calls.push(`qr ${trade.outTradeNo}`);
    this.trades.set(trade.outTradeNo, { amountFen: trade.amountFen, state: 'pending', platformTradeNo: this.platformNo(), mode: 'qr' });
    return { codeUrl: `fake://${this.name}/${trade.outTradeNo}` };
  }

  async payWithCode(trade: Omit<CreateTrade, 'notifyUrl' | 'expiresAt'>, authCode: string): Promise<TradeState> {
    this.calls.push(`code ${trade.outTradeNo}`);
    const behaviour = this.codeBehaviour(authCode);
    const t: FakeTrade = { amountFen: trade.amountFen, state: 'pending', platformTradeNo: this.platformNo(), payerId: 'payer', mode: 'code' };
    this.trades.set(trade.outTradeNo, t);
    if (behaviour === 'success') t.state = 'succeeded';
    if (behaviour === 'insufficient' || behaviour === 'invalid') t.state = 'failed';
    const state = this.stateOf(trade.outTradeNo);
    if (behaviour === 'insufficient') state.failure = { code: 'NOTENOUGH', message: '用户余额不足' };
    if (behaviour === 'invalid') state.failure = { code: 'AUTH_CODE_INVALID', message: '付款码无效' };
    return state;
  }

  private stateOf(outTradeNo: string): TradeState {
    const t = this.trades.get(outTradeNo);
    if (!t) return { state: 'not_found', outTradeNo };
    return {
      state: t.state,
      outTradeNo,
      ...(t.state === 'succeeded' ? { platformTradeNo: t.platformTradeNo, amountFen: t.amountFen, paidAt: new Date() } : {}),
      merchantNo: this.merchantNo,
      appId: this.appId,
      ...(t.payerId ? { payerId: t.payerId } : {}),
    };
  }

  async query(outTradeNo: string): Promise<TradeState> {
    this.calls.push(`query ${outTradeNo}`);
    return this.stateOf(outTradeNo);
  }

  async cancel(outTradeNo: string): Promise<void> {
    this.calls.push(`cancel ${outTradeNo}`);
    const t = this.trades.get(outTradeNo);
    if (t && t.state === 'pending') t.state = 'closed';
  }

  async refund(r: RefundRequest): Promise<RefundState> {
    this.calls.push(`refund ${r.outRefundNo}`);
    if (this.refundBehaviour === 'throw') throw new Error('connection reset');
    const existing = this.refunds.get(r.outRefundNo);
    if (existing) return existing;
    const state: RefundState['state'] = this.refundBehaviour === 'succeed' ? 'succeeded' : this.refundBehaviour === 'pending' ? 'pending' : 'failed';
    const out = { state, outRefundNo: r.outRefundNo, outTradeNo: r.outTradeNo, platformRefundNo: `R${r.outRefundNo}`, refundFen: r.refundFen, ...(state === 'failed' ? { failure: { code: 'NOT_ENOUGH', message: '商户可用余额不足' } } : {}) };
    if (state !== 'failed') this.refunds.set(r.outRefundNo, out);
    return out;
  }

  async queryRefund(outRefundNo: string): Promise<RefundState> {
    this.calls.push(`queryRefund ${outRefundNo}`);
    return this.refunds.get(outRefundNo) ?? { state: 'not_found', outRefundNo };
  }

  /** Plays the payer: the trade is paid at the platform (no notification yet). */
  pay(outTradeNo: string): void {
    const t = this.trades.get(outTradeNo);
    if (!t) throw new Error(`no fake trade ${outTradeNo}`);
    t.state = 'succeeded';
  }

  /** A signed notification for a trade as the platform would send it; `tamper` changes the body after signing. */
  notification(outTradeNo: string, options: { amountFen?: number; at?: Date; tamper?: (body: Record<string, unknown>) => void; forge?: boolean; merchantNo?: string } = {}): { raw: string; headers: Record<string, string> } {
    const t = this.trades.get(outTradeNo);
    const body: Record<string, unknown> = {
      id: `N${++this.seq}`,
      kind: 'payment',
      outTradeNo,
      state: t?.state ?? 'succeeded',
      amountFen: options.amountFen ?? t?.amountFen ?? 1,
      platformTradeNo: t?.platformTradeNo ?? 'unknown',
      merchantNo: options.merchantNo ?? this.merchantNo,
      appId: this.appId,
    };
    return this.sign(body, options);
  }

  refundNotification(outRefundNo: string, state: RefundState['state']): { raw: string; headers: Record<string, string> } {
    const r = this.refunds.get(outRefundNo);
    return this.sign({ id: `N${++this.seq}`, kind: 'refund', outRefundNo, outTradeNo: r?.outTradeNo, state, refundFen: r?.refundFen, platformRefundNo: r?.platformRefundNo }, {});
  }

  private sign(body: Record<string, unknown>, options: { at?: Date; tamper?: (body: Record<string, unknown>) => void; forge?: boolean }) {
    const timestamp = String(Math.floor((options.at ?? this.clock()).getTime() / 1000));
    let raw = JSON.stringify(body);
    const signature = createHmac('sha256', options.forge ? 'not-the-secret' : this.secret).update(`${timestamp}\n${raw}`).digest('hex');
    if (options.tamper) {
      options.tamper(body);
      raw = JSON.stringify(body);
    }
    return { raw, headers: { 'content-type': 'application/json', 'x-fake-timestamp': timestamp, 'x-fake-signature': signature } };
  }

  parseNotification(rawBody: string, headers: Record<string, string>, now: Date): ChannelNotification {
    const timestamp = headers['x-fake-timestamp'] ?? '';
    const given = Buffer.from(headers['x-fake-signature'] ?? '', 'hex');
    const wanted = createHmac('sha256', this.secret).update(`${timestamp}\n${rawBody}`).digest();
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw new NotificationRejected('bad_signature', 'signature does not match');
    if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > 300) throw new NotificationRejected('stale', 'timestamp outside 5 minutes');
    const b = JSON.parse(rawBody) as Record<string, any>;
    if (b.kind === 'refund') return { kind: 'refund', notificationId: b.id, refund: { state: b.state, outRefundNo: b.outRefundNo, outTradeNo: b.outTradeNo, refundFen: b.refundFen, platformRefundNo: b.platformRefundNo } };
    return {
      kind: 'payment',
      notificationId: b.id,
      trade: { state: b.state, outTradeNo: b.outTradeNo, amountFen: b.amountFen, platformTradeNo: b.platformTradeNo, merchantNo: b.merchantNo, appId: b.appId },
    };
  }

  notificationReply(ok: boolean): NotificationReply {
    return ok ? { status: 204, contentType: 'text/plain', body: '' } : { status: 500, contentType: 'application/json', body: '{"code":"FAIL","message":"失败"}' };
  }
}

export function fakeChannels(): { wechat: FakeChannel; alipay: FakeChannel; registry: PaymentChannels } {
  const wechat = new FakeChannel('wechat');
  const alipay = new FakeChannel('alipay');
  return { wechat, alipay, registry: channelRegistry({ wechat: () => wechat, alipay: () => alipay }) };
}
