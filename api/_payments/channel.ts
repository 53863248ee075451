/**
 * The contract between the payments core (attempts, notifications, refunds,
 * state changes in Postgres) and each platform adapter (WeChat Pay v3,
 * Alipay). An adapter talks to its platform and verifies what comes back; it
 * never touches the database. The core never speaks a platform's protocol.
 *
 * Amounts are integer fen on both sides of this interface; an adapter turns
 * them into the platform's form (fen for WeChat, exact yuan strings for
 * Alipay) and back, exactly.
 */

export type ChannelName = 'wechat' | 'alipay';

/** How a payment is taken. `jsapi`: in the mini-program; `qr`: a code shown at the counter; `code`: the customer's payment code scanned. */
export type PaymentMode = 'jsapi' | 'qr' | 'code';

export interface CreateTrade {
  outTradeNo: string;
  amountFen: number;
  /** Shown to the payer on the platform's page, e.g. "柜台演示商行-DEMO01 订单". At most 127 bytes for WeChat. */
  description: string;
  expiresAt: Date;
  /** Where the platform sends the payment notification. */
  notifyUrl: string;
  /** Placed with the profit-sharing flag (WeChat `settle_info.profit_sharing`, Alipay settle/royalty freeze). */
  profitSharing?: boolean;
}

/** What the mini-program needs to open the platform's pay sheet. */
export type JsapiParams =
  | { channel: 'wechat'; timeStamp: string; nonceStr: string; package: string; signType: 'RSA'; paySign: string }
  | { channel: 'alipay'; tradeNO: string };

/** The platform's view of one trade, mapped onto the states the core knows. */
export interface TradeState {
  /**
   * `succeeded`: paid (WeChat SUCCESS, also REFUND: it was paid; Alipay TRADE_SUCCESS / TRADE_FINISHED).
   * `pending`: not paid yet or the payer is entering a password (NOTPAY, USERPAYING, WAIT_BUYER_PAY).
   * `closed`: closed or reversed without payment (CLOSED, REVOKED, TRADE_CLOSED with nothing paid).
   * `failed`: the attempt failed for good (PAYERROR, insufficient balance, invalid auth code...).
   * `not_found`: the platform has no such trade.
   */
  state: 'succeeded' | 'pending' | 'closed' | 'failed' | 'not_found';
  outTradeNo: string;
  platformTradeNo?: string;
  /** What the platform says was paid, in fen (WeChat amount.total; Alipay total_amount converted exactly). */
  amountFen?: number;
  payerId?: string;
  paidAt?: Date;
  /** The merchant and app the platform names (WeChat mchid/appid; Alipay seller_id?/app_id): the core checks them. */
  merchantNo?: string;
  appId?: string;
  /**
   * Alipay `auth_app_id`: the merchant's app on whose behalf the trade was
   * made. Equal to `app_id` for a direct merchant; for a third-party app's
   * call it is the authorising merchant's app, and the core checks it against
   * the channel's `authAppId`.
   */
  authAppId?: string;
  /** WeChat Pay partner mode (#18): the sub-merchant (`sub_mchid`) and its app (`sub_appid`) the trade names; the core checks them against the payment's merchant. */
  subMerchantNo?: string;
  subAppId?: string;
  /** The platform's own code and message when the state is `failed` or a call was refused, for the assistant and the log. */
  failure?: { code: string; message: string };
}

export interface RefundRequest {
  outTradeNo: string;
  outRefundNo: string;
  refundFen: number;
  /** The trade's whole amount (WeChat requires it). */
  totalFen: number;
  reason: string;
  notifyUrl: string;
  /** Split money taken back from receivers inside this refund (Alipay `refund_royalty_parameters`); the same on every resend. */
  royaltyReturns?: RoyaltyReturn[];
}

/** One receiver giving back split money as part of a refund (Alipay: `trans_out`). */
export interface RoyaltyReturn {
  type: SplitReceiverAccount['type'];
  account: string;
  amountFen: number;
  description: string;
}

export interface RefundState {
  /** `pending`: accepted, not final (WeChat PROCESSING). `abnormal`: WeChat ABNORMAL (the payer's account cannot take it). */
  state: 'succeeded' | 'pending' | 'failed' | 'closed' | 'abnormal' | 'not_found';
  outRefundNo: string;
  outTradeNo?: string;
  platformRefundNo?: string;
  refundFen?: number;
  refundedAt?: Date;
  failure?: { code: string; message: string };
  /** The merchant (WeChat `mchid` or `sp_mchid`) and sub-merchant (`sub_mchid`) a refund notification names, checked against the refund's merchant. */
  merchantNo?: string;
  subMerchantNo?: string;
}

/** A profit-sharing receiver at the platform (WeChat receivers/add; Alipay royalty relation bind). */
export interface SplitReceiverAccount {
  type: 'MERCHANT_ID' | 'PERSONAL_OPENID' | 'loginName' | 'userId';
  account: string;
  name: string;
  /** WeChat relation_type: BRAND, STORE_OWNER (landlord), SERVICE_PROVIDER (platform), STAFF. */
  relation: 'BRAND' | 'STORE_OWNER' | 'SERVICE_PROVIDER' | 'STAFF';
}

export interface SplitRequest {
  outTradeNo: string;
  /** WeChat transaction_id / Alipay trade_no of the paid trade. */
  platformTradeNo: string;
  /** Fixed per payment, so a resend is the same split. */
  outOrderNo: string;
  receivers: { type: SplitReceiverAccount['type']; account: string; amountFen: number; description: string }[];
}

/** A split as the platform sees it. `finished` only means it ran: each receiver has its own result. */
export interface SplitState {
  state: 'processing' | 'finished' | 'not_found';
  outOrderNo: string;
  platformOrderId?: string;
  receivers: { type: string; account: string; amountFen: number; result: 'pending' | 'success' | 'closed'; failReason?: string }[];
}

export interface SplitReturnRequest {
  outOrderNo: string;
  outReturnNo: string;
  /** The receiver the money comes back from (WeChat: MERCHANT_ID receivers only). */
  returnAccount: string;
  amountFen: number;
  description: string;
}

export interface SplitReturnState {
  state: 'processing' | 'success' | 'failed';
  outReturnNo: string;
  failReason?: string;
}

/** A verified, decrypted notification. Anything else is a `NotificationRejected`. */
export type ChannelNotification =
  | { kind: 'payment'; trade: TradeState; notificationId: string }
  | { kind: 'refund'; refund: RefundState; notificationId: string };

/** Named reasons a notification is refused before any state is touched. */
export type NotificationRejection = 'bad_signature' | 'stale' | 'unknown_serial' | 'bad_ciphertext' | 'malformed';

export class NotificationRejected extends Error {
  constructor(
    readonly reason: NotificationRejection,
    message: string,
  ) {
    super(message);
  }
}

/** The HTTP answer a platform expects from a notification endpoint. */
export interface NotificationReply {
  status: number;
  contentType: string;
  body: string;
}

/**
 * A day's trade bill (对账单) as the platform answers: the file's bytes as
 * they arrive (WeChat's already gunzipped, Alipay's the zip), or why there is
 * none. Reading `body` to its end throws `BillHashMismatch` when the file is
 * not the one the platform announced.
 */
export type TradeBill = { outcome: 'ready'; body: AsyncIterable<Uint8Array> } | { outcome: 'no_statement' } | { outcome: 'not_ready' };

export class BillHashMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BillHashMismatch';
  }
}

export interface PaymentChannel {
  readonly name: ChannelName;
  /** The merchant number and app id this deployment is configured with (the core checks notifications against them). */
  readonly merchantNo: string;
  readonly appId: string;
  /** Alipay only: the merchant's app a notification's `auth_app_id` must name (the deployment's app id in direct mode). */
  readonly authAppId?: string;
  /** In WeChat Pay partner mode, the merchant's sub-merchant number and app this channel acts for (#18); absent in direct mode. */
  readonly subMerchantNo?: string;
  readonly subAppId?: string;

  /** Mini-program payment: WeChat JSAPI prepay (payerId = openid); Alipay trade.create (payerId = buyer_id / open_id). */
  createJsapi(trade: CreateTrade, payerId: string): Promise<JsapiParams>;
  /** A code the customer scans: WeChat Native `code_url`; Alipay precreate `qr_code`. */
  createQr(trade: CreateTrade): Promise<{ codeUrl: string }>;
  /** The customer's payment code: WeChat codepay; Alipay trade.pay scene=bar_code. No notification follows on this path. */
  payWithCode(trade: Omit<CreateTrade, 'notifyUrl' | 'expiresAt'>, authCode: string): Promise<TradeState>;
  query(outTradeNo: string): Promise<TradeState>;
  /** Ends an unpaid trade: WeChat close (jsapi/qr) or reverse (code); Alipay close or cancel (code). Idempotent. */
  cancel(outTradeNo: string, mode: PaymentMode): Promise<void>;
  refund(request: RefundRequest): Promise<RefundState>;
  queryRefund(outRefundNo: string, outTradeNo: string): Promise<RefundState>;

  /** Profit sharing (分账), where the adapter supports it. Calls with an unknown outcome throw; refusals that are final come back as states. */
  addSplitReceiver?(receiver: SplitReceiverAccount): Promise<void>;
  requestSplit?(request: SplitRequest): Promise<SplitState>;
  querySplit?(outOrderNo: string, platformTradeNo: string): Promise<SplitState>;
  returnSplit?(request: SplitReturnRequest): Promise<SplitReturnState>;
  /** True where split money comes back inside the refund (`RefundRequest.royaltyReturns`, Alipay) rather than by `returnSplit` first (WeChat). */
  readonly splitReturnsWithRefund?: boolean;
  /** Gives the merchant whatever is still frozen on the trade (WeChat orders/unfreeze; Alipay settle with royalty_finish). */
  unfreezeSplit?(request: { platformTradeNo: string; outOrderNo: string; description: string }): Promise<SplitState>;

  /** The trade bill of a Beijing day (`YYYY-MM-DD`), where the adapter can download it. */
  tradeBill?(billDate: string): Promise<TradeBill>;

  /**
   * Verifies the signature over the raw body first, then the timestamp
   * window, then decrypts (GCM tag checked), then parses. Throws
   * `NotificationRejected`; never returns unverified data.
   */
  parseNotification(rawBody: string, headers: Record<string, string>, now: Date): ChannelNotification;
  /** The reply for a notification that was handled (`ok`) or that the platform should send again. */
  notificationReply(ok: boolean): NotificationReply;
}

/** Payment-code prefixes (付款码): WeChat 10–15, Alipay 25–30, 16–24 digits. */
export function channelOfAuthCode(authCode: string): ChannelName | null {
  if (!/^\d{16,24}$/.test(authCode)) return null;
  const prefix = Number(authCode.slice(0, 2));
  if (prefix >= 10 && prefix <= 15) return 'wechat';
  if (prefix >= 25 && prefix <= 30) return 'alipay';
  return null;
}

/**
 * Whose money a channel call moves (#18). In direct mode the deployment's own
 * merchant keys take the money, which suits one shop that deploys Guitai for
 * itself. As a service provider the deployment's provider keys make every call
 * on behalf of one merchant: WeChat Pay's partner APIs name the merchant's
 * sub-merchant number (`sub_mchid`, and `sub_appid` where the mini-program is
 * the merchant's own); Alipay's third-party app calls carry the merchant's
 * `app_auth_token`, and the trades are the authorising merchant's (`seller_id`).
 * A merchant with no binding on a channel takes no payments on it.
 */
export type MerchantBinding =
  | { channel: 'wechat'; mode: 'direct' }
  | { channel: 'wechat'; mode: 'partner'; subMchid: string; subAppid?: string }
  | { channel: 'alipay'; mode: 'direct' }
  | { channel: 'alipay'; mode: 'isv'; appAuthToken: string; authAppId: string; sellerId: string };
