import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { SandboxKeys } from './keys';
import type { WechatTrades } from './wechat-pay-trades';

/**
 * The mini-program's server API for shipping information (发货信息管理):
 * `POST /cgi-bin/stable_token` (appid and secret checked) and
 * `POST /wxa/sec/order/upload_shipping_info?access_token=…`, which checks the
 * token, the required fields and that the transaction is one of the
 * sandbox's own paid JSAPI trades, by the payer who paid it. Like WeChat it
 * answers HTTP 200 with `{errcode, errmsg}`.
 *
 * `POST /sandbox/wechat/shipping/control {failNext, errcode?, network?}`
 * makes the next N uploads fail with that errcode, or with no usable answer
 * (HTTP 502, as a broken connection looks to the caller); `GET
 * /sandbox/wechat/shipping` lists what was received.
 */

export const shipping_token_ttl_s = 7200;
export const shipping_received_kept_max = 1_000;
export const shipping_control_body_bytes_max = 4 * 1024;
/** One upload and one re-ship per payment, as WeChat allows; the third call is 10060003. */
export const shipping_uploads_per_trade_max = 2;

export interface ReceivedShipping {
  at: string;
  transactionId: string;
  body: Record<string, unknown>;
  answer: { errcode: number; errmsg: string } | 'network';
}

export class WechatShipping {
  readonly tokens = new Set<string>();
  readonly received: ReceivedShipping[] = [];
  readonly shipped = new Map<string, number>();
  failures: { left: number; errcode: number | null } = { left: 0, errcode: null };

  record(r: ReceivedShipping): void {
    this.received.push(r);
    if (this.received.length > shipping_received_kept_max) this.received.shift();
  }
}

const err = (errcode: number, errmsg: string) => ({ errcode, errmsg });

function check(body: Record<string, any>, trades: WechatTrades, now: number): { errcode: number; errmsg: string } | undefined {
  const key = body.order_key;
  if (typeof key !== 'object' || key === null) return err(47001, 'data format error: order_key');
  if (key.order_number_type !== 2) return err(268485194, 'invalid order_number_type');
  if (typeof key.transaction_id !== 'string' || key.transaction_id === '') return err(268485195, 'missing transaction_id');
  if (![1, 2, 3, 4].includes(body.logistics_type)) return err(10060005, 'invalid logistics_type');
  if (body.delivery_mode !== 1 && body.delivery_mode !== 2) return err(268485224, 'invalid delivery_mode');
  if (!Array.isArray(body.shipping_list)) return err(47001, 'data format error: shipping_list');
  if (body.delivery_mode === 1 && body.shipping_list.length !== 1) return err(268485228, 'UNIFIED_DELIVERY needs exactly one item');
  for (const item of body.shipping_list as Record<string, unknown>[]) {
    if (typeof item.item_desc !== 'string' || item.item_desc === '') return err(10060008, 'item_desc empty');
    if ([...item.item_desc].length > 120) return err(10060009, 'item_desc too long');
  }
  if (typeof body.upload_time !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$/.test(body.upload_time)) return err(268485216, 'upload_time is not RFC 3339');
  const openid = body.payer?.openid;
  if (typeof openid !== 'string' || openid === '') return err(10060014, 'payer.openid missing');
  const trade = [...trades.trades.values()].find((t) => t.transactionId === key.transaction_id && t.tradeType === 'JSAPI' && (t.state === 'SUCCESS' || t.state === 'REFUND'));
  if (!trade || (trade.successMs ?? now) > now) return err(10060001, '支付单不存在');
  if (trade.openid !== openid) return err(10060031, '支付单不属于该用户');
  return undefined;
}

export function wechatShippingRoutes(keys: SandboxKeys, trades: WechatTrades, shipping: WechatShipping, now: () => number): Hono {
  const app = new Hono();
  const reply = (c: Context, body: object) => c.json(body);
  app.post('/cgi-bin/stable_token', bodyLimit({ maxSize: shipping_control_body_bytes_max }), async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    if (body.grant_type !== 'client_credential') return reply(c, err(40002, 'invalid grant_type'));
    if (body.appid !== keys.wechat.appId) return reply(c, err(40013, 'invalid appid'));
    if (body.secret !== keys.wechat.appSecret) return reply(c, err(40125, 'invalid appsecret'));
    const token = `sbx_${randomBytes(24).toString('base64url')}`;
    shipping.tokens.add(token);
    return reply(c, { access_token: token, expires_in: shipping_token_ttl_s });
  });
  app.post('/wxa/sec/order/upload_shipping_info', bodyLimit({ maxSize: 16 * 1024 }), async (c) => {
    const body = (await c.req.json().catch(() => null)) as Record<string, any> | null;
    const at = new Date(now()).toISOString();
    const transactionId = String(body?.order_key?.transaction_id ?? '');
    if (shipping.failures.left > 0) {
      shipping.failures.left--;
      const errcode = shipping.failures.errcode;
      shipping.record({ at, transactionId, body: body ?? {}, answer: errcode === null ? 'network' : err(errcode, 'sandbox failure') });
      return errcode === null ? c.body(null, 502) : reply(c, err(errcode, `sandbox failure ${errcode}`));
    }
    const token = c.req.query('access_token');
    let answer = !token ? err(41001, 'access_token missing') : !shipping.tokens.has(token) ? err(40001, 'invalid credential, access_token is invalid or not latest') : body === null ? err(47001, 'data format error') : check(body, trades, now());
    if (!answer) {
      const count = shipping.shipped.get(transactionId) ?? 0;
      if (count >= shipping_uploads_per_trade_max) answer = err(10060003, '支付单已使用重新发货机会');
      else {
        shipping.shipped.set(transactionId, count + 1);
        answer = err(0, 'ok');
      }
    }
    shipping.record({ at, transactionId, body: body ?? {}, answer });
    return reply(c, answer);
  });
  app.post('/sandbox/wechat/shipping/control', bodyLimit({ maxSize: shipping_control_body_bytes_max }), async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    const failNext = typeof body.failNext === 'number' && Number.isInteger(body.failNext) && body.failNext >= 0 ? body.failNext : undefined;
    if (failNext === undefined) return c.json({ error: 'failNext must be a whole number ≥ 0' }, 400);
    const errcode = body.network === true ? null : typeof body.errcode === 'number' ? body.errcode : -1;
    shipping.failures = { left: failNext, errcode };
    return c.json({ failNext, errcode });
  });
  app.post('/sandbox/wechat/shipping/tokens/revoke', (c) => {
    shipping.tokens.clear();
    return c.json({ ok: true });
  });
  app.get('/sandbox/wechat/shipping', (c) => {
    const tx = c.req.query('transactionId');
    return c.json({ items: tx ? shipping.received.filter((r) => r.transactionId === tx) : shipping.received });
  });
  return app;
}
