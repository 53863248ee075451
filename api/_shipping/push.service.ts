import { createHash, timingSafeEqual } from 'node:crypto';
import type { Deps } from '../_kernel/deps.js';
import { paymentByTransaction } from './shipping.repository.js';
import { shipPayment } from './upload.service.js';
import { wechat_push_clock_skew_s_max } from './limits.js';

/**
 * WeChat's message push (消息推送) for the mini-program, in JSON plaintext
 * mode. Every request carries `signature = sha1(sort(token, timestamp,
 * nonce).join(''))` in the query; nothing is read before it is checked.
 * The events and their fields are those of 小程序发货信息管理服务 §三 相关消息推送
 * (developers.weixin.qq.com/miniprogram/dev/platform-capabilities/business-capabilities/order-shipping/order-shipping.html):
 * `Event`, `transaction_id`, `merchant_id`, `merchant_trade_no`, `pay_time`,
 * and at settlement `confirm_receive_method`, `confirm_receive_time`,
 * `settlement_time`. `confirm_receive_method` is reported inverted in the
 * community, so it is kept in the raw body and not interpreted. The safe
 * (encrypted) mode is not handled: 消息推送 must be set to plaintext JSON.
 */

export interface PushQuery {
  signature?: string | undefined;
  timestamp?: string | undefined;
  nonce?: string | undefined;
}

export function pushSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

/** Whether the push is WeChat's: the signature matches and the timestamp is recent (a replayed push is refused). */
export function verifyPush(token: string | undefined, q: PushQuery, now: Date): boolean {
  if (!token || !q.signature || !q.timestamp || !q.nonce || !/^\d{1,12}$/.test(q.timestamp)) return false;
  const wanted = Buffer.from(pushSignature(token, q.timestamp, q.nonce));
  const given = Buffer.from(q.signature.toLowerCase());
  if (wanted.length !== given.length || !timingSafeEqual(wanted, given)) return false;
  return Math.abs(now.getTime() / 1000 - Number(q.timestamp)) <= wechat_push_clock_skew_s_max;
}

/** Unix seconds as WeChat sends them (number or digits), or null when absent or zero (reported empty at times). */
function unixTime(value: unknown): Date | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : 0;
  return n > 0 ? new Date(n * 1000) : null;
}

export type PushOutcome = 'recorded' | 'duplicate' | 'malformed';

/**
 * Records one verified push: `trade_manage_remind_access_api` (upload is
 * expected), `trade_manage_remind_shipping` (an order unshipped for 48 h:
 * uploaded now if ours), `trade_manage_order_settlement` (shipping complete,
 * then settlement with `confirm_receive_time` and `settlement_time`). Other
 * events are recorded as they came. A repeat of the same body is a duplicate.
 */
export async function recordPush(deps: Deps, rawBody: string): Promise<PushOutcome> {
  let body: Record<string, unknown>;
  try {
    const parsed = JSON.parse(rawBody) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'malformed';
    body = parsed as Record<string, unknown>;
  } catch {
    return 'malformed';
  }
  const event = typeof body.Event === 'string' ? body.Event : typeof body.MsgType === 'string' ? body.MsgType : 'unknown';
  const transactionId = typeof body.transaction_id === 'string' && body.transaction_id !== '' ? body.transaction_id : null;
  const payment = transactionId ? await paymentByTransaction(deps.db, transactionId) : undefined;
  const inserted = await deps.db
    .insertInto('shipping_events')
    .values({
      event: event.slice(0, 100),
      merchant_id: payment?.merchant_id ?? null,
      payment_id: payment?.id ?? null,
      transaction_id: transactionId,
      confirm_receive_time: unixTime(body.confirm_receive_time),
      settlement_time: unixTime(body.settlement_time),
      body_hash: createHash('sha256').update(rawBody).digest('hex'),
      raw_body: rawBody,
      received_at: deps.clock(),
    })
    .onConflict((oc) => oc.column('body_hash').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return 'duplicate';
  if (event === 'trade_manage_remind_shipping' && payment) {
    // WeChat says the order is still unshipped: try now rather than at the job's next turn.
    await shipPayment(deps, payment.id, 'remind').catch((e: unknown) => deps.log.warn('shipping upload on reminder failed; the job retries', { paymentId: payment.id, error: e instanceof Error ? e.message : String(e) }));
  }
  return 'recorded';
}
