import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { AppError } from '../_kernel/errors.js';
import { readJson, readParams } from '../_kernel/validate.js';
import { idOf } from '../../shared/api/common.js';
import { counterPaymentRequest, orderCancelRequest, shopOrderRequest, shopPaymentRequest } from '../../shared/api/payments.js';
import { createOpenOrder } from '../_sales/index.js';
import { orderViewById } from '../_sales/index.js';
import { pollPaymentForMember, pollPaymentForStaff, startCounterPayment, startShopPayment } from './attempts.service.js';
import { handleNotification } from './notify.service.js';
import { refused_notifications_per_minute_max } from './limits.js';
import { clientAddress } from '../_kernel/rate-limit.js';
import { confirmableShipment } from '../_shipping/index.js';
import { cancelCounterOrder } from './cancel.service.js';
import type { ChannelName } from './channel.js';
import { orderMember, storeOfMerchant } from './shop.repository.js';
import { paymentChannelIfBound } from './merchant-channel.js';
// Stored value (#17).
import { topUpPaymentRequest } from '../../shared/api/stored-value.js';
import { pollTopUp, startTopUpPayment } from './top-up-attempts.service.js';

export const paymentRoutes = new Hono<AppEnv>();

const orderParams = z.object({ orderId: idOf('ord') });
const paymentParams = z.object({ paymentId: idOf('pay') });

/** The counter takes the customer's payment code, or shows a QR, for an open order. */
paymentRoutes.post('/orders/:orderId/payments', requireAuth('staff'), async (c) => {
  const { orderId } = readParams(c, orderParams);
  const body = await readJson(c, counterPaymentRequest);
  const result = await startCounterPayment(c.get('deps'), staffOf(c.get('principal')), orderId, body);
  return c.json(result, result.replayed ? 200 : 201);
});

/**
 * The counter gives up on an order that waits for WeChat/Alipay (the customer pays cash or leaves): its pending
 * attempts are ended at the platform first, then the order is cancelled, or settled if the platform says it was paid.
 */
paymentRoutes.post('/orders/:orderId/cancel', requireAuth('staff'), async (c) => {
  const { orderId } = readParams(c, orderParams);
  const body = await readJson(c, orderCancelRequest);
  const result = await cancelCounterOrder(c.get('deps'), staffOf(c.get('principal')), orderId, body);
  return c.json(result);
});

/** Polled by the counter and by the shopper's page; asks the platform when it is worth asking. */
paymentRoutes.get('/payments/:paymentId', requireAuth('session'), async (c) => {
  const { paymentId } = readParams(c, paymentParams);
  const p = c.get('principal');
  const deps = c.get('deps');
  return c.json(p.kind === 'staff' ? await pollPaymentForStaff(deps, p, paymentId) : await pollPaymentForMember(deps, p, paymentId));
});

/** A shopper's own order from the mini-program: priced on the server, stock held until it is paid or expires. */
paymentRoutes.post('/shop/orders', requireAuth('member'), async (c) => {
  const body = await readJson(c, shopOrderRequest);
  const p = c.get('principal');
  if (p.kind !== 'member') throw new AppError('forbidden', '只有顾客可以在商城下单');
  const deps = c.get('deps');
  const store = await storeOfMerchant(deps.db, p.merchantId, body.storeId);
  if (!store) throw new AppError('not_found', `找不到门店 ${body.storeId}`);
  const result = await createOpenOrder(deps, { merchantId: p.merchantId, staffId: null, channel: 'self_service', tableNo: body.tableNo ?? null }, {
    clientOrderId: body.clientOrderId,
    storeId: body.storeId,
    memberId: p.memberId,
    lines: body.lines,
    tenders: [],
    expectedTotalFen: body.expectedTotalFen,
    ...(body.pointsToRedeem ? { pointsToRedeem: body.pointsToRedeem } : {}),
    ...(body.couponIds ? { couponIds: body.couponIds } : {}),
  }, { storedValueFen: body.storedValueFen ?? 0 });
  return c.json(result, result.replayed ? 200 : 201);
});

paymentRoutes.get('/shop/orders/:orderId', requireAuth('member'), async (c) => {
  const { orderId } = readParams(c, orderParams);
  const p = c.get('principal');
  if (p.kind !== 'member') throw new AppError('forbidden', '只有顾客可以查看自己的订单');
  const deps = c.get('deps');
  const owner = await orderMember(deps.db, p.merchantId, orderId);
  if (!owner || owner.member_id !== p.memberId) throw new AppError('not_found', `找不到订单 ${orderId}`);
  const shipped = await confirmableShipment(deps.db, orderId);
  // The confirm-receipt component names the merchant that took the money: the sub-merchant in partner mode (#18).
  const wechat = shipped ? await paymentChannelIfBound(deps, p.merchantId, 'wechat') : undefined;
  const confirmReceipt = shipped && wechat ? { transactionId: shipped.transactionId, merchantId: wechat.subMerchantNo ?? wechat.merchantNo, merchantTradeNo: shipped.outTradeNo } : null;
  return c.json({ order: await orderViewById(deps.db, p.merchantId, orderId), confirmReceipt });
});

paymentRoutes.post('/shop/orders/:orderId/pay', requireAuth('member'), async (c) => {
  const { orderId } = readParams(c, orderParams);
  const body = await readJson(c, shopPaymentRequest);
  const p = c.get('principal');
  if (p.kind !== 'member') throw new AppError('forbidden', '只有顾客可以支付自己的订单');
  const result = await startShopPayment(c.get('deps'), p, orderId, body);
  return c.json(result, result.replayed ? 200 : 201);
});

// Stored value (#17): a shopper's top-up is paid and settled like an order's payment.
const topUpParams = z.object({ topUpId: idOf('svt') });

paymentRoutes.post('/shop/stored-value/top-ups/:topUpId/pay', requireAuth('member'), async (c) => {
  const { topUpId } = readParams(c, topUpParams);
  const body = await readJson(c, topUpPaymentRequest);
  const p = c.get('principal');
  if (p.kind !== 'member') throw new AppError('forbidden', '只有顾客可以支付自己的充值');
  const result = await startTopUpPayment(c.get('deps'), p, topUpId, body.clientPaymentId);
  return c.json(result, result.replayed ? 200 : 201);
});

paymentRoutes.get('/shop/stored-value/top-ups/:topUpId', requireAuth('member'), async (c) => {
  const { topUpId } = readParams(c, topUpParams);
  const p = c.get('principal');
  if (p.kind !== 'member') throw new AppError('forbidden', '只有顾客可以查看自己的充值');
  return c.json(await pollTopUp(c.get('deps'), p, topUpId));
});

const channelParams = z.object({ channel: z.enum(['wechat', 'alipay']) });

const refusedRule = { name: 'refused_notifications_per_minute_max', max: refused_notifications_per_minute_max, windowSeconds: 60 };

/**
 * The platforms' notifications: the raw body, untouched, goes to
 * verification. A source over its limit of refusals is answered 429 before
 * anything is read or logged (see refused_notifications_per_minute_max).
 */
paymentRoutes.post('/pay/:channel/notify', async (c) => {
  const { channel } = readParams(c, channelParams);
  const deps = c.get('deps');
  const source = `${channel}:${clientAddress(c)}`;
  if (await deps.kv.get(`notify-blocked:${source}`)) {
    throw new AppError('rate_limited', `支付通知验签失败过于频繁：每分钟最多 ${refused_notifications_per_minute_max} 次（refused_notifications_per_minute_max），请稍后再试`);
  }
  const raw = await c.req.text();
  const headers: Record<string, string> = {};
  c.req.raw.headers.forEach((value, key) => (headers[key.toLowerCase()] = value));
  const { reply, refused } = await handleNotification(deps, channel as ChannelName, raw, headers);
  if (refused && !(await deps.limiter.hit(refusedRule, source)).allowed) await deps.kv.set(`notify-blocked:${source}`, 1, { ttlSeconds: refusedRule.windowSeconds });
  // A 204 carries no body at all.
  if (reply.status === 204) return c.body(null, 204);
  return c.body(reply.body, reply.status as 200, { 'content-type': reply.contentType });
});
