import { createHash, randomInt } from 'node:crypto';
import { beijingTimestamp } from '../../api/_platform/alipay-time';
import { AlipayAppAuthSandbox } from './alipay-app-auth';
import { alipayOutgoing, tradeNotificationFields, type RefundNotice } from './alipay-pay-notify';
import type { SandboxKeys } from './keys';
import type { NotifyControl } from './notify-control';
import type { Paycodes } from './paycodes';

/**
 * The sandbox's Alipay trades, in memory. trade.create and trade.precreate
 * trades wait (WAIT_BUYER_PAY) until the payer acts through
 * `POST /sandbox/alipay/pay`; bar-code trades answer by the payment code's
 * behaviour. A precreate trade exists at Alipay only once its QR code is
 * scanned, so until then query and close answer ACQ.TRADE_NOT_EXIST, as the
 * real gateway does. Every change a notify_url should hear about is sent
 * through `NotifyControl`.
 */

export type AlipayTradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';
export type AlipayProduct = 'create' | 'precreate' | 'bar_code';

export interface SandboxRefund {
  outRequestNo: string;
  amountFen: number;
  reason: string;
  at: Date;
}

export interface SandboxTrade {
  outTradeNo: string;
  tradeNo: string;
  /** The app that made the trade (a provider's, for an authorised merchant). */
  appId: string;
  /** The merchant's app: `app_id` itself in direct mode, the authorising merchant's in a third-party call. */
  authAppId: string;
  sellerId: string;
  product: AlipayProduct;
  totalFen: number;
  subject: string;
  status: AlipayTradeStatus;
  scanned: boolean;
  buyerId?: string;
  buyerOpenId?: string;
  notifyUrl?: string;
  qrCode?: string;
  expiresAt?: Date;
  royaltyFreeze: boolean;
  createdAt: Date;
  paidAt?: Date;
  closedAt?: Date;
  refunds: SandboxRefund[];
  /** For a `userpaying` payment code: paid after this many more queries or at this instant. */
  userPaying?: { queriesLeft: number; payAtMs: number | undefined; payerId: string };
}

export const alipay_trades_max = 100_000;

/** The sandbox merchant's PID, fixed by its app id so that keys alone configure both sides. */
export function alipaySandboxSellerId(appId: string): string {
  const digest = createHash('sha256').update(`seller:${appId}`).digest();
  return `2088${(digest.readBigUInt64BE(0) % 10n ** 12n).toString().padStart(12, '0')}`;
}

function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}

export class AlipayPaySandbox {
  /**
   * By out_trade_no across all merchants. Alipay keeps out_trade_no per
   * merchant; the sandbox refuses a number another merchant already used
   * (Guitai's are unique across merchants), and never shows one merchant's
   * trade to another.
   */
  readonly trades = new Map<string, SandboxTrade>();
  /** The sandbox's own merchant, for calls without an app_auth_token (direct mode). */
  readonly sellerId: string;
  /** The merchants that authorise the sandbox's app as a third-party app. */
  readonly appAuth: AlipayAppAuthSandbox;

  constructor(
    readonly keys: SandboxKeys,
    readonly paycodes: Paycodes,
    readonly notify: NotifyControl,
    readonly now: () => number = Date.now,
  ) {
    this.sellerId = alipaySandboxSellerId(keys.alipay.appId);
    this.appAuth = new AlipayAppAuthSandbox(keys.alipay.appId, now);
  }

  newTradeNo(): string {
    return `${beijingTimestamp(new Date(this.now())).slice(0, 10).replaceAll('-', '')}22001${digits(15)}`;
  }

  newQrCode(): string {
    return `https://qr.alipay.com/bax0${digits(4)}${randomInt(2 ** 30).toString(36)}${digits(6)}`;
  }

  isFull(): boolean {
    return this.trades.size >= alipay_trades_max;
  }

  /** The trade as Alipay sees it now: expiry and a pending password are settled lazily, when someone looks. */
  visible(outTradeNo: string, options: { countQuery?: boolean } = {}): SandboxTrade | undefined {
    const trade = this.trades.get(outTradeNo);
    if (!trade || !trade.scanned) return undefined;
    this.settle(trade, options.countQuery ?? false);
    return trade;
  }

  byTradeNo(tradeNo: string): SandboxTrade | undefined {
    for (const trade of this.trades.values()) if (trade.tradeNo === tradeNo) return trade;
    return undefined;
  }

  byQrCode(qrCode: string): SandboxTrade | undefined {
    for (const trade of this.trades.values()) if (trade.qrCode === qrCode) return trade;
    return undefined;
  }

  settle(trade: SandboxTrade, countQuery: boolean): void {
    if (trade.status !== 'WAIT_BUYER_PAY') return;
    const now = this.now();
    const pending = trade.userPaying;
    if (pending) {
      if (countQuery) pending.queriesLeft -= 1;
      if (pending.queriesLeft <= 0 || (pending.payAtMs !== undefined && now >= pending.payAtMs)) {
        trade.userPaying = undefined;
        this.markPaid(trade, pending.payerId);
      }
      return;
    }
    if (trade.expiresAt && now >= trade.expiresAt.getTime()) this.markClosed(trade);
  }

  markPaid(trade: SandboxTrade, payerId?: string): void {
    trade.status = 'TRADE_SUCCESS';
    trade.scanned = true;
    trade.paidAt = new Date(this.now());
    if (payerId && !trade.buyerId && !trade.buyerOpenId) trade.buyerId = payerId;
    this.notifyChange(trade);
  }

  markClosed(trade: SandboxTrade): void {
    trade.status = 'TRADE_CLOSED';
    trade.closedAt = new Date(this.now());
    this.notifyChange(trade);
  }

  refundedFen(trade: SandboxTrade): number {
    return trade.refunds.reduce((sum, refund) => sum + refund.amountFen, 0);
  }

  addRefund(trade: SandboxTrade, refund: SandboxRefund): void {
    trade.refunds.push(refund);
    const refundedTotalFen = this.refundedFen(trade);
    if (refundedTotalFen === trade.totalFen) {
      trade.status = 'TRADE_CLOSED';
      trade.closedAt = refund.at;
    }
    this.notifyChange(trade, { outRequestNo: refund.outRequestNo, refundedTotalFen, at: refund.at });
  }

  notifyChange(trade: SandboxTrade, refund?: RefundNotice): void {
    if (!trade.notifyUrl) return;
    const fields = tradeNotificationFields(trade, new Date(this.now()), refund);
    this.notify.send(alipayOutgoing(fields, trade.notifyUrl, this.keys.alipay.alipayPrivateKey));
  }
}
