import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { AppError } from '../_kernel/errors.js';
import { assertOrderAccess, assertStoreAccess } from '../_identity/index.js';
import { readJson, readParams, readQuery } from '../_kernel/validate.js';
import { idOf } from '../../shared/api/common.js';
import { paymentsListQuery, refundsQuery, refundToCashRequest } from '../../shared/api/payments.js';
import { page_size_default } from '../../shared/api/common.js';
import { refundToCash, retryRefund } from './refunds.service.js';
import { toPaymentView } from './attempts.service.js';
import { toRefundView } from './refund-view.js';
import { openAlerts, resolveAlert } from '../_alerts/index.js';
import { shippingTrail } from '../_shipping/index.js';
import { paymentOfMerchant, paymentsOfOrder, paymentsOfStores, paymentTrail, refundById, refundsOfOrder, refundsOfStores } from './admin.repository.js';

export const paymentAdminRoutes = new Hono<AppEnv>();

const managers = ['owner', 'manager'] as const;

/** Refunds of the caller's stores; `attention` lists those a manager must retry or pay in cash. */
paymentAdminRoutes.get('/refunds', requireAuth(managers), async (c) => {
  const q = readQuery(c, refundsQuery);
  const staff = staffOf(c.get('principal'));
  const deps = c.get('deps');
  const rows = await refundsOfStores(deps.db, { merchantId: staff.merchantId, storeIds: staff.storeIds, status: q.status ?? 'attention', orderId: q.orderId });
  return c.json({ items: rows.map(toRefundView) });
});

const refundParams = z.object({ refundId: idOf('rfd') });

paymentAdminRoutes.post('/refunds/:refundId/retry', requireAuth(managers), async (c) => {
  const { refundId } = readParams(c, refundParams);
  const deps = c.get('deps');
  const staff = staffOf(c.get('principal'));
  await retryRefund(deps, staff, refundId);
  const row = await refundById(deps.db, refundId);
  return c.json({ refund: toRefundView(row) });
});

paymentAdminRoutes.post('/refunds/:refundId/to-cash', requireAuth(managers), async (c) => {
  const { refundId } = readParams(c, refundParams);
  const { note } = await readJson(c, refundToCashRequest);
  const deps = c.get('deps');
  await refundToCash(deps, staffOf(c.get('principal')), refundId, note);
  const row = await refundById(deps.db, refundId);
  return c.json({ refund: toRefundView(row) });
});

/** The newest open alerts listed at once; older ones wait until these are resolved. */
export const alerts_listed_max = 100;

/** Open alerts for the owner: amounts that did not match, payments for closed orders, refunds refused. */
paymentAdminRoutes.get('/alerts', requireAuth(managers), async (c) => {
  const staff = staffOf(c.get('principal'));
  const rows = await openAlerts(c.get('deps').db, staff.merchantId, staff.storeIds, alerts_listed_max);
  return c.json({ items: rows.map((a) => ({ id: a.id, kind: a.kind, storeId: a.store_id, subjectId: a.subject_id, message: a.message, createdAt: a.created_at.toISOString(), resolvedAt: null })) });
});

const alertParams = z.object({ alertId: idOf('alr') });

paymentAdminRoutes.post('/alerts/:alertId/resolve', requireAuth(['owner']), async (c) => {
  const { alertId } = readParams(c, alertParams);
  const staff = staffOf(c.get('principal'));
  const done = await resolveAlert(c.get('deps').db, staff.merchantId, alertId, staff.staffId, c.get('deps').clock());
  if (!done) throw new AppError('not_found', `找不到未处理的提醒 ${alertId}`);
  return c.json({ ok: true });
});

/** Beijing is UTC+8 all year: a business day runs from 16:00 UTC the day before. */
const business_day_offset = '+08:00';

/**
 * The owner's payments list: by business day, store, channel and status, or
 * one order found by its receipt number. A store named in the query is checked
 * like any store route; without one the list covers the caller's stores.
 */
paymentAdminRoutes.get('/payments', requireAuth(managers), async (c) => {
  const q = readQuery(c, paymentsListQuery);
  const staff = staffOf(c.get('principal'));
  const deps = c.get('deps');
  if (q.storeId) await assertStoreAccess(deps.db, staff, q.storeId);
  const from = q.date ? new Date(`${q.date}T00:00:00${business_day_offset}`) : undefined;
  const to = from ? new Date(from.getTime() + 86_400_000) : undefined;
  const { rows, more } = await paymentsOfStores(deps.db, {
    merchantId: staff.merchantId,
    storeIds: q.storeId ? [q.storeId] : staff.storeIds,
    from,
    to,
    channel: q.channel,
    status: q.status,
    q: q.q,
    cursor: q.cursor,
    limit: q.limit ?? page_size_default,
  });
  const items = rows.map((r) => ({
    id: r.id,
    orderId: r.order_id,
    receiptNo: r.receipt_no ?? null,
    storeId: r.store_id,
    channel: r.channel,
    mode: r.mode,
    status: r.status,
    amountFen: r.amount_fen,
    refundedFen: r.refunded_fen,
    createdAt: r.created_at.toISOString(),
    succeededAt: r.succeeded_at ? r.succeeded_at.toISOString() : null,
  }));
  return c.json({ items, nextCursor: more ? (items[items.length - 1]?.id ?? null) : null });
});

const paymentParams = z.object({ paymentId: idOf('pay') });

/** One payment's whole trail: state changes, every notification with its outcome, its refunds, and its shipping uploads. */
paymentAdminRoutes.get('/payments/:paymentId/trail', requireAuth(managers), async (c) => {
  const { paymentId } = readParams(c, paymentParams);
  const staff = staffOf(c.get('principal'));
  const deps = c.get('deps');
  const p = await paymentOfMerchant(deps.db, staff.merchantId, paymentId);
  if (!p) throw new AppError('not_found', `找不到支付 ${paymentId}`);
  await assertStoreAccess(deps.db, staff, p.store_id);
  const [{ events, notifications, refunds }, shipping] = await Promise.all([paymentTrail(deps.db, p), shippingTrail(deps.db, p.id)]);
  return c.json({
    payment: { ...toPaymentView(p, deps.clock()), outTradeNo: p.out_trade_no, platformTradeNo: p.platform_trade_no, settledBy: p.settled_by, refundedFen: p.refunded_fen, surplus: p.surplus },
    events: events.map((e) => ({ event: e.event, source: e.source, actorId: e.actor_id, detail: e.detail, at: e.created_at.toISOString() })),
    notifications: notifications.map((n) => ({ id: n.id, kind: n.kind, outcome: n.outcome, amountFen: n.amount_fen, receivedAt: n.received_at.toISOString(), detail: n.detail })),
    refunds: refunds.map(toRefundView),
    shipping: {
      uploads: shipping.uploads.map((u) => ({ attempt: u.attempt, outcome: u.outcome, errcode: u.errcode, errmsg: u.errmsg, trigger: u.trigger, logisticsType: u.logistics_type, at: u.created_at.toISOString() })),
      events: shipping.events.map((e) => ({ id: Number(e.id), event: e.event, confirmReceiveTime: e.confirm_receive_time?.toISOString() ?? null, settlementTime: e.settlement_time?.toISOString() ?? null, receivedAt: e.received_at.toISOString() })),
    },
  });
});

/** The payments of one order, for the counter's order page and the owner's drill-down. */
paymentAdminRoutes.get('/orders/:orderId/payments', requireAuth('staff'), async (c) => {
  const { orderId } = readParams(c, z.object({ orderId: idOf('ord') }));
  const staff = staffOf(c.get('principal'));
  const deps = c.get('deps');
  await assertOrderAccess(deps.db, staff, orderId);
  const rows = await paymentsOfOrder(deps.db, orderId);
  return c.json({ items: rows.map((p) => toPaymentView(p, deps.clock())) });
});

/**
 * The platform refunds of one order, for the counter that did the return:
 * any staff member of the order's store may see whether the money reached
 * the customer's WeChat or Alipay (only managers may act on a failed one).
 */
paymentAdminRoutes.get('/orders/:orderId/refunds', requireAuth('staff'), async (c) => {
  const { orderId } = readParams(c, z.object({ orderId: idOf('ord') }));
  const staff = staffOf(c.get('principal'));
  const deps = c.get('deps');
  await assertOrderAccess(deps.db, staff, orderId);
  const rows = await refundsOfOrder(deps.db, staff.merchantId, orderId);
  return c.json({ items: rows.map(toRefundView) });
});
