import type { Deps } from '../_kernel/deps.js';
import { raiseAlert } from '../_alerts/index.js';
import { accessToken, dropAccessToken, orderApi, token_errcodes, type WechatAnswer } from './wechat-api.js';
import { attemptsOf, orderGoods, recordAttempt, shippablePayment, type ShippablePayment } from './shipping.repository.js';
import type { ShippingOutcome, ShippingUploadsTable } from './tables.js';
import { item_desc_chars_max, shipping_claim_ttl_s, shipping_upload_attempts_max } from './limits.js';

/**
 * WeChat's 发货信息录入 (developers.weixin.qq.com/miniprogram/dev/server/API/order_shipping/api_uploadshippinginfo):
 * after a mini-program trade the funds are frozen until shipping is recorded;
 * body `order_key{order_number_type, transaction_id}`, `logistics_type`,
 * `delivery_mode`, `shipping_list[1..15]{item_desc ≤ 120 字}`, `upload_time`
 * (RFC 3339, later than any earlier upload) and `payer.openid`. A payment's
 * shipping may be changed only once, so this module uploads each payment
 * once and never "updates". Only mini-program (JSAPI) payments are managed:
 * a payment code or Native QR at the counter is not a mini-program trade.
 */

/**
 * `logistics_type` 4 (用户自提): a shop's mini-program order is taken away
 * at the counter or picked up in the store, never sent by courier, so it has
 * no tracking number (upload_shipping_info: 1 express, 2 same-city, 3
 * virtual, 4 pick-up).
 */
export const logistics_pickup = 4;
/** `delivery_mode` 1 UNIFIED_DELIVERY: the whole order in one go, with exactly one `shipping_list` item. */
export const delivery_unified = 1;

/** errcodes meaning the payment is already shipped (10060002 fully shipped, 10060003 re-ship used, 10060023 nothing changed). */
const shipped_errcodes = new Set([10060002, 10060003, 10060023]);
/** 10060001: WeChat does not know the payment yet (ingested about a minute after payment) or the ids are wrong. */
const order_not_found_errcode = 10060001;

export type ShipResult = ShippingOutcome | 'not_shippable' | 'done' | 'busy' | 'exhausted';

/** `item_desc`: `name*qty` joined, cut at a code point to WeChat's 120 characters. */
export function itemDesc(goods: { name: string; qty: number }[]): string {
  const text = goods.map((g) => `${g.name}*${g.qty}`).join('、') || '门店商品';
  const chars = [...text];
  return chars.length <= item_desc_chars_max ? text : `${chars.slice(0, item_desc_chars_max - 1).join('')}…`;
}

/** RFC 3339 in Beijing time with its offset, as WeChat's examples give it (`2022-12-15T13:29:35.120+08:00`). */
export function rfc3339Beijing(at: Date): string {
  return `${new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 23)}+08:00`;
}

export function classify(answer: WechatAnswer): ShippingOutcome {
  if (answer.kind === 'network') return 'network_error';
  if (answer.errcode === 0) return 'uploaded';
  if (shipped_errcodes.has(answer.errcode)) return 'already_shipped';
  if (answer.errcode === order_not_found_errcode) return 'order_not_found';
  if (token_errcodes.has(answer.errcode)) return 'token_invalid';
  return 'failed';
}

/** The `upload_shipping_info` body (order_number_type 2: by transaction_id). */
export function shippingBody(p: ShippablePayment, goods: { name: string; qty: number }[], at: Date) {
  return {
    order_key: { order_number_type: 2, transaction_id: p.transaction_id },
    logistics_type: logistics_pickup,
    delivery_mode: delivery_unified,
    shipping_list: [{ item_desc: itemDesc(goods) }],
    upload_time: rfc3339Beijing(at),
    payer: { openid: p.openid },
  };
}

async function callUpload(deps: Deps, body: unknown): Promise<WechatAnswer> {
  const token = await accessToken(deps);
  if (typeof token !== 'string') return token.kind === 'network' ? token : { ...token, body: {} };
  return orderApi(deps, 'upload_shipping_info', token, body);
}

/**
 * Uploads one payment's shipping information once, and records the attempt
 * with its named outcome. The external call runs outside any transaction; a
 * short claim in the key-value store keeps the settle path, the job and a
 * reminder from calling together, and the unique (payment, attempt) and the
 * one-finished-upload index keep the record right if the claim ever lapses.
 */
export async function shipPayment(deps: Deps, paymentId: string, trigger: ShippingUploadsTable['trigger']): Promise<ShipResult> {
  const p = await shippablePayment(deps.db, paymentId);
  if (!p) return 'not_shippable';
  const claim = `shipping:claim:${paymentId}`;
  if (!(await deps.kv.set(claim, 1, { onlyIfAbsent: true, ttlSeconds: shipping_claim_ttl_s }))) return 'busy';
  try {
    const before = await attemptsOf(deps.db, paymentId);
    if (before.done) return 'done';
    if (before.count >= shipping_upload_attempts_max) return 'exhausted';
    const body = shippingBody(p, await orderGoods(deps.db, p.order_id), deps.clock());
    const answer = await callUpload(deps, body);
    const outcome = classify(answer);
    if (outcome === 'token_invalid') await dropAccessToken(deps);
    const attempt = before.count + 1;
    const recorded = await recordAttempt(deps.db, {
      merchant_id: p.merchant_id,
      payment_id: p.id,
      attempt,
      outcome,
      transaction_id: p.transaction_id,
      logistics_type: logistics_pickup,
      errcode: answer.kind === 'answer' ? answer.errcode : null,
      errmsg: answer.kind === 'answer' ? answer.errmsg.slice(0, 500) : answer.message,
      trigger,
      created_at: deps.clock(),
    });
    if (!recorded) return 'busy';
    if (outcome !== 'uploaded' && outcome !== 'already_shipped' && attempt >= shipping_upload_attempts_max) {
      await raiseAlert(deps.db, {
        merchantId: p.merchant_id,
        storeId: p.store_id,
        kind: 'shipping_upload_failed',
        subjectId: p.id,
        message: `微信支付单 ${p.transaction_id} 的发货信息上传 ${attempt} 次仍未成功（${outcome}），请在小程序后台「发货信息管理」手动录入，否则货款将被冻结`,
        detail: { outcome, errcode: answer.kind === 'answer' ? answer.errcode : null },
        dedupeKey: `shipping_upload_failed:${p.id}`,
      });
    }
    return outcome;
  } finally {
    await deps.kv.del(claim);
  }
}
