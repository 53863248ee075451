import { createVerify, type KeyObject } from 'node:crypto';
import { NotificationRejected, type ChannelNotification, type RefundState } from '../channel.js';
import { notificationSignContent, parseNotificationForm, type FormFields } from './form.js';
import { parseAlipayTime, tradeFacts, tradeStatusState, type AlipayRecord } from './state.js';

/**
 * An Alipay asynchronous notification (`trade_status_sync`), from the raw
 * form body to a `ChannelNotification`:
 *
 * 1. decode the form once; 2. verify `sign` (RSA2 with the Alipay public key)
 * over the sorted `k=v` pairs without `sign` and `sign_type`, then — as the
 * official SDK tolerates — with `sign_type`; 3. only then read the fields.
 *
 * Alipay notifications carry no freshness rule (they are retried for about
 * 25 hours) and `app_id`/`seller_id` are handed to the core to compare.
 *
 * A notification about a refund still names the trade (TRADE_SUCCESS after a
 * partial refund, TRADE_CLOSED after a full one) and adds `out_biz_no` (the
 * refund's `out_request_no`), `gmt_refund` and `refund_fee`. It becomes a
 * `refund` notification. `refund_fee` is the trade's refunded total so far,
 * not this refund's amount, so `refundFen` stays unset: the core knows what
 * it asked for and can confirm with `queryRefund`.
 */

export function verifyNotificationSignature(fields: FormFields, alipayPublicKey: KeyObject): boolean {
  const signature = fields['sign'];
  if (!signature) return false;
  const check = (content: string) => createVerify('RSA-SHA256').update(content, 'utf8').verify(alipayPublicKey, signature, 'base64');
  return check(notificationSignContent(fields)) || (fields['sign_type'] !== undefined && check(notificationSignContent(fields, true)));
}

function malformed(message: string): NotificationRejected {
  return new NotificationRejected('malformed', message);
}

function isRefundNotification(fields: FormFields): boolean {
  return Boolean(fields['gmt_refund'] || fields['out_biz_no'] || fields['refund_fee']);
}

export function parseAlipayNotification(rawBody: string, alipayPublicKey: KeyObject): ChannelNotification {
  const fields = parseNotificationForm(rawBody);
  if (!fields) throw malformed('A field appears twice in the notification form.');
  if (!fields['sign']) throw new NotificationRejected('bad_signature', 'The notification carries no sign.');
  if (!verifyNotificationSignature(fields, alipayPublicKey)) throw new NotificationRejected('bad_signature', 'The notification signature does not verify with the Alipay public key.');

  const notificationId = fields['notify_id'];
  const outTradeNo = fields['out_trade_no'];
  if (!notificationId) throw malformed('The notification has no notify_id.');
  if (!outTradeNo) throw malformed('The notification has no out_trade_no (not a trade notification).');
  const record: AlipayRecord = fields;

  if (isRefundNotification(fields)) {
    const refund: RefundState = {
      state: 'succeeded',
      // Alipay uses the out_trade_no as the request number of a refund made without one.
      outRefundNo: fields['out_biz_no'] || outTradeNo,
      outTradeNo,
    };
    if (fields['trade_no']) refund.platformRefundNo = fields['trade_no'];
    const at = parseAlipayTime(fields['gmt_refund']);
    if (at) refund.refundedAt = at;
    return { kind: 'refund', refund, notificationId };
  }

  const state = tradeStatusState(fields['trade_status']);
  if (!state) throw malformed(`Unknown trade_status ${JSON.stringify(fields['trade_status'] ?? '')}.`);
  try {
    return { kind: 'payment', trade: { state, ...tradeFacts(record, outTradeNo) }, notificationId };
  } catch (e) {
    if (e instanceof RangeError) throw malformed(`The notification's total_amount is not an Alipay amount: ${e.message}`);
    throw e;
  }
}
