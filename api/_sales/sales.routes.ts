import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_http/context';
import { requireAuth, staffOf } from '../_http/auth';
import { assertStoreAccess } from '../_http/store-access';
import { readJson, readParams } from '../_http/validate';
import { idOf } from '../../shared/api/common';
import { checkoutRequest } from '../../shared/api/orders';
import { checkout } from './checkout.service';
import { orderViewById } from './order-view';
import { receiptForOrder } from './receipt';
import { escposBytes } from '../_receipt/escpos';

export const salesRoutes = new Hono<AppEnv>();

const orderParams = z.object({ orderId: idOf('ord') });

salesRoutes.post('/orders', requireAuth('staff'), async (c) => {
  const body = await readJson(c, checkoutRequest);
  const result = await checkout(c.get('deps'), staffOf(c.get('principal')), body);
  return c.json(result, result.replayed ? 200 : 201);
});

salesRoutes.get('/orders/:orderId', requireAuth('staff'), async (c) => {
  const { orderId } = readParams(c, orderParams);
  const p = staffOf(c.get('principal'));
  const order = await orderViewById(c.get('deps').db, p.merchantId, orderId);
  await assertStoreAccess(c.get('deps').db, p, order.storeId);
  return c.json({ order });
});

/** The electronic receipt as data: the page lays it out with shared/receipt. */
salesRoutes.get('/orders/:orderId/receipt', requireAuth('staff'), async (c) => {
  const { orderId } = readParams(c, orderParams);
  const p = staffOf(c.get('principal'));
  const receipt = await receiptForOrder(c.get('deps').db, p, orderId);
  return c.json({ receipt });
});

/** The same receipt as ESC/POS bytes (GBK) for a 58 mm printer, base64 for the counter's Bluetooth write. */
salesRoutes.get('/orders/:orderId/receipt.escpos', requireAuth('staff'), async (c) => {
  const { orderId } = readParams(c, orderParams);
  const p = staffOf(c.get('principal'));
  const receipt = await receiptForOrder(c.get('deps').db, p, orderId);
  return c.json({ base64: Buffer.from(escposBytes(receipt)).toString('base64') });
});
