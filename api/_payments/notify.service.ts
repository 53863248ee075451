import type { Deps } from '../_kernel/deps.js';
import { NotificationRejected, type ChannelName, type ChannelNotification, type NotificationRejection, type NotificationReply } from './channel.js';
import { applyTrade, namesOtherMerchant, type SettleOutcome } from './settle.js';
import { paymentChannelIfBound } from './merchant-channel.js';
import { applyRefundStateTo, type RefundOutcome } from './refunds.service.js';
import { createHash } from 'node:crypto';
import { notify_body_bytes_max, rejected_notify_body_bytes_kept } from './limits.js';

/** Headers worth keeping with the raw body: the platform's signature envelope, nothing of ours. */
const kept_header_prefixes = ['wechatpay-', 'content-type', 'user-agent'];

function keptHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => kept_header_prefixes.some((p) => k.toLowerCase().startsWith(p))));
}

/**
 * What is kept of a notification's body. A verified one is the platform's
 * record of money and is kept whole (until the retention job); a refused one
 * may be anything a stranger posted, so only a hash of it and its first bytes
 * are kept, enough to recognise a repeat and to see what it looked like.
 */
function keptBody(rawBody: string, refused: boolean): { raw_body: string; body_sha256: string | null } {
  if (!refused) return { raw_body: rawBody.slice(0, notify_body_bytes_max), body_sha256: null };
  const bytes = Buffer.from(rawBody);
  // A cut through a multi-byte character decodes to U+FFFD, which is fine for a sample.
  return { raw_body: bytes.subarray(0, rejected_notify_body_bytes_kept).toString('utf8'), body_sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * What became of one notification, as logged: a settlement's or a refund's
 * outcome; a rejection's reason (bad signature, stale, malformed …);
 * `too_large` before anything is read; `error` when our own failure left it
 * unhandled, so the platform sends it again.
 */
export type NotifyOutcome = SettleOutcome | RefundOutcome | NotificationRejection | 'too_large' | 'error';

export interface NotifyResult {
  outcome: NotifyOutcome;
  reply: NotificationReply;
  /** Refused before it was read: too large, not signed by the platform, stale or malformed. */
  refused?: boolean;
}

/**
 * A platform's notification, on the raw body. Verification and decryption
 * come first and nothing unverified is read; then the state change, which is
 * compare-and-set and so idempotent under any number of copies in any order.
 * Every notification, accepted or refused, is logged with the named outcome,
 * an accepted one with its raw body and a refused one by hash and first
 * bytes. A notification that could not be handled because of our own failure
 * gets a failure reply, so the platform sends it again.
 */
export async function handleNotification(deps: Deps, channelName: ChannelName, rawBody: string, headers: Record<string, string>): Promise<NotifyResult> {
  // Notifications arrive without a merchant: the deployment's channel verifies and reads them, then each is checked against its payment's merchant.
  const channel = deps.payments.platform(channelName);
  const log = async (row: { kind: 'payment' | 'refund' | 'unknown'; outcome: NotifyOutcome; merchantId?: string | null; paymentId?: string | null; refundId?: string | null; outTradeNo?: string | null; outRefundNo?: string | null; notificationId?: string | null; amountFen?: number | null; detail?: string | null; refused?: boolean }) => {
    await deps.db
      .insertInto('payment_notifications')
      .values({
        channel: channelName,
        kind: row.kind,
        outcome: row.outcome,
        merchant_id: row.merchantId ?? null,
        payment_id: row.paymentId ?? null,
        refund_id: row.refundId ?? null,
        out_trade_no: row.outTradeNo ?? null,
        out_refund_no: row.outRefundNo ?? null,
        notification_id: row.notificationId ?? null,
        amount_fen: row.amountFen ?? null,
        headers: JSON.stringify(keptHeaders(headers)),
        ...keptBody(rawBody, row.refused === true),
        detail: row.detail ?? null,
      })
      .execute();
  };

  if (Buffer.byteLength(rawBody) > notify_body_bytes_max) {
    await log({ kind: 'unknown', outcome: 'too_large', refused: true, detail: `body over notify_body_bytes_max = ${notify_body_bytes_max}` });
    return { outcome: 'too_large', reply: channel.notificationReply(false), refused: true };
  }
  /**
   * A notification whose merchant is not its payment's (#18): refused, logged
   * with both, and nothing changes. The platform is told it was handled, since
   * sending it again cannot make it anyone's.
   */
  const refuseForeign = async (outTradeNo: string | null, outRefundNo: string | null, payment: { id: string; merchant_id: string }, amountFen: number | null, detail: string, refundId?: string): Promise<NotifyResult> => {
    deps.log.warn('notification refused: it names another merchant than its payment\'s', { channel: channelName, paymentId: payment.id, merchantId: payment.merchant_id, detail });
    await log({ kind: outRefundNo ? 'refund' : 'payment', outcome: 'wrong_merchant', merchantId: payment.merchant_id, paymentId: payment.id, refundId: refundId ?? null, outTradeNo, outRefundNo, notificationId: parsed.notificationId, amountFen, detail });
    return { outcome: 'wrong_merchant', reply: channel.notificationReply(true) };
  };
  let parsed: ChannelNotification;
  try {
    parsed = channel.parseNotification(rawBody, headers, deps.clock());
  } catch (e) {
    const outcome: NotifyOutcome = e instanceof NotificationRejected ? e.reason : 'malformed';
    await log({ kind: 'unknown', outcome, refused: true, detail: e instanceof Error ? e.message : String(e) });
    return { outcome, reply: channel.notificationReply(false), refused: true };
  }
  try {
    if (parsed.kind === 'payment') {
      const t = parsed.trade;
      const payment = await deps.db.selectFrom('payments').select(['id', 'merchant_id']).where('channel', '=', channelName).where('out_trade_no', '=', t.outTradeNo).executeTakeFirst();
      if (!payment) {
        await log({ kind: 'payment', outcome: 'unknown_order', outTradeNo: t.outTradeNo, notificationId: parsed.notificationId, amountFen: t.amountFen ?? null, detail: t.state });
        return { outcome: 'unknown_order', reply: channel.notificationReply(true) };
      }
      // The payment's merchant's own channel (#18): its sub-merchant number is what the notification must name.
      const merchantChannel = await paymentChannelIfBound(deps, payment.merchant_id, channelName);
      if (!merchantChannel) return refuseForeign(t.outTradeNo, null, payment, t.amountFen ?? null, 'the payment\'s merchant has no active binding on this channel');
      // Applied money is logged in the settlement's own transaction; every other outcome here.
      const result = await applyTrade(deps, merchantChannel, t, 'notify', { notificationId: parsed.notificationId, headers: JSON.stringify(keptHeaders(headers)), rawBody: rawBody.slice(0, notify_body_bytes_max), detail: t.state });
      if (result.outcome === 'wrong_merchant') return refuseForeign(t.outTradeNo, null, payment, t.amountFen ?? null, `names merchant ${t.merchantNo ?? '-'} / sub-merchant ${t.subMerchantNo ?? '-'}, the payment's is ${merchantChannel.merchantNo} / ${merchantChannel.subMerchantNo ?? '-'}`);
      if (!result.logged) await log({ kind: 'payment', outcome: result.outcome, merchantId: result.merchantId ?? null, paymentId: result.paymentId ?? null, outTradeNo: t.outTradeNo, notificationId: parsed.notificationId, amountFen: t.amountFen ?? null, detail: t.state });
      return { outcome: result.outcome, reply: channel.notificationReply(true) };
    }
    const r = parsed.refund;
    const refund = await deps.db.selectFrom('platform_refunds').select(['id', 'merchant_id', 'payment_id']).where('channel', '=', channelName).where('out_refund_no', '=', r.outRefundNo).executeTakeFirst();
    let refundChannel = channel;
    if (refund) {
      const bound = await paymentChannelIfBound(deps, refund.merchant_id, channelName);
      const payment = { id: refund.payment_id, merchant_id: refund.merchant_id };
      if (!bound) return refuseForeign(r.outTradeNo ?? null, r.outRefundNo, payment, r.refundFen ?? null, 'the refund\'s merchant has no active binding on this channel', refund.id);
      // A refund notification names the merchant (`sp_mchid`, or a bare `mchid`) and in partner mode the sub-merchant.
      if (namesOtherMerchant(bound, { ...(r.merchantNo !== undefined ? { merchantNo: r.merchantNo } : {}), ...(r.subMerchantNo !== undefined ? { subMerchantNo: r.subMerchantNo } : {}) })) {
        return refuseForeign(r.outTradeNo ?? null, r.outRefundNo, payment, r.refundFen ?? null, `names merchant ${r.merchantNo ?? '-'} / sub-merchant ${r.subMerchantNo ?? '-'}, the refund's is ${bound.merchantNo} / ${bound.subMerchantNo ?? '-'}`, refund.id);
      }
      refundChannel = bound;
    }
    const { outcome, refund: row } = await applyRefundStateTo(deps, refundChannel, r, 'notify');
    await log({ kind: 'refund', outcome, merchantId: row?.merchantId ?? null, paymentId: row?.paymentId ?? null, refundId: row?.id ?? null, outTradeNo: r.outTradeNo ?? null, outRefundNo: r.outRefundNo, notificationId: parsed.notificationId, amountFen: r.refundFen ?? null, detail: r.state });
    return { outcome, reply: channel.notificationReply(true) };
  } catch (e) {
    deps.log.error('notification not handled; the platform will send it again', { channel: channelName, error: e instanceof Error ? e.stack : String(e) });
    await log({ kind: parsed.kind, outcome: 'error', notificationId: parsed.notificationId, detail: e instanceof Error ? e.message : String(e) }).catch(() => undefined);
    return { outcome: 'error', reply: channel.notificationReply(false) };
  }
}
