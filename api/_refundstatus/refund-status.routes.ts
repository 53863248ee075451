import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_http/context';
import { requireAuth, staffOf } from '../_http/auth';
import { AppError } from '../_http/errors';
import { assertStoreAccess } from '../_http/store-access';
import { readParams } from '../_http/validate';
import { idOf } from '../../shared/api/common';
import { toRefundView } from '../_payments/refund-view';

/**
 * The platform refunds of one order, for the counter that did the return:
 * any staff member of the order's store may see whether the money reached
 * the customer's WeChat or Alipay (only managers may act on a failed one).
 */
export const refundStatusRoutes = new Hono<AppEnv>();

refundStatusRoutes.get('/orders/:orderId/refunds', requireAuth('staff'), async (c) => {
  const { orderId } = readParams(c, z.object({ orderId: idOf('ord') }));
  const staff = staffOf(c.get('principal'));
  const deps = c.get('deps');
  const order = await deps.db.selectFrom('orders').select('store_id').where('id', '=', orderId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
  if (!order) throw new AppError('not_found', `找不到订单 ${orderId}`);
  await assertStoreAccess(deps.db, staff, order.store_id);
  const rows = await deps.db.selectFrom('platform_refunds').selectAll().where('merchant_id', '=', staff.merchantId).where('order_id', '=', orderId).orderBy('created_at').execute();
  return c.json({ items: rows.map(toRefundView) });
});
