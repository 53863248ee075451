import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { assertStoreAccess } from '../_identity/index.js';
import { readJson, readParams, readQuery } from '../_kernel/validate.js';
import { idOf } from '../../shared/api/common.js';
import { checkoutRequest, ordersQuery } from '../../shared/api/orders.js';
import { syncRequest } from '../../shared/api/sync.js';
import { AppError } from '../_kernel/errors.js';
import { activePromotions } from './catalog-for-sale.js';
import { sellingSettings } from './settings.js';
import { levelBenefits } from '../../shared/pricing/member-level.js';
import { listOrders } from './orders-list.js';
import { syncOrders } from './sync.service.js';
import { checkout } from './checkout.service.js';
import { createOpenOrder } from './open-order.service.js';
import { approveDiscount, discountLimits, saveDiscountLimits } from './hand-discounts.js';
import { discountApprovalRequest, discountLimitsRequest } from '../../shared/api/discounts.js';
import { orderViewById } from './order-view.js';
import { publicReceipt, receiptForOrder } from './receipt.js';
import { handoverRequest, pickupReadyRequest, receiptToken } from '../../shared/api/pickup.js';
import { announcePickup, handOver, waitingPickups } from './pickup.service.js';
import { storeIdOfMerchant } from './stores.repository.js';

export const salesRoutes = new Hono<AppEnv>();

const orderParams = z.object({ orderId: idOf('ord') });

salesRoutes.post('/orders', requireAuth('staff'), async (c) => {
  const body = await readJson(c, checkoutRequest);
  const staff = staffOf(c.get('principal'));
  if (body.awaitPayment) {
    await assertStoreAccess(c.get('deps').db, staff, body.storeId);
    const open = await createOpenOrder(c.get('deps'), { merchantId: staff.merchantId, staffId: staff.staffId, channel: 'counter', staff }, body);
    return c.json(open, open.replayed ? 200 : 201);
  }
  const result = await checkout(c.get('deps'), staff, body);
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
  const receipt = await receiptForOrder(c.get('deps').db, p, orderId, c.get('deps').config.publicBaseUrl);
  return c.json({ receipt });
});

/** The same receipt as ESC/POS bytes (GBK) for a 58 mm printer, base64 for the counter's Bluetooth write. */
salesRoutes.get('/orders/:orderId/receipt.escpos', requireAuth('staff'), async (c) => {
  const { orderId } = readParams(c, orderParams);
  const p = staffOf(c.get('principal'));
  const receipt = await receiptForOrder(c.get('deps').db, p, orderId, c.get('deps').config.publicBaseUrl);
  // The ESC/POS encoder brings iconv-lite with it; it is loaded for the first printed receipt, not on every cold start.
  const { escposBytes } = await import('../_receipt/index.js');
  return c.json({ base64: Buffer.from(escposBytes(receipt)).toString('base64') });
});

salesRoutes.get('/orders', requireAuth('staff'), async (c) => {
  const q = readQuery(c, ordersQuery);
  const p = staffOf(c.get('principal'));
  await assertStoreAccess(c.get('deps').db, p, q.storeId);
  return c.json(await listOrders(c.get('deps').db, p.merchantId, q));
});

salesRoutes.post('/sync/orders', requireAuth('staff'), async (c) => {
  const body = await readJson(c, syncRequest);
  return c.json(await syncOrders(c.get('deps'), staffOf(c.get('principal')), body));
});

const storeParams = z.object({ storeId: idOf('sto') });

/** The rules the counter (or a shopper's cart) previews prices with: the same ones checkout will apply. */
salesRoutes.get('/stores/:storeId/pricing-context', requireAuth('session'), async (c) => {
  const { storeId } = readParams(c, storeParams);
  const deps = c.get('deps');
  const p = c.get('principal');
  if (p.kind === 'staff') await assertStoreAccess(deps.db, p, storeId);
  else {
    const store = await storeIdOfMerchant(deps.db, p.merchantId, storeId);
    if (!store) throw new AppError('not_found', `找不到门店 ${storeId}`);
  }
  const promos = await activePromotions(deps.db, p.merchantId, storeId, deps.clock());
  const settings = await sellingSettings(deps.db, p.merchantId, storeId);
  return c.json({
    bundles: promos.bundles,
    discounts: promos.discounts,
    thresholds: promos.thresholds,
    cashRounding: settings.cashRounding,
    redeemPointsPerFen: settings.redeemPointsPerFen,
    redeemCapBp: settings.pointsRedeemCapBp,
    earnPointsPerYuan: settings.pointsPerYuan,
    memberLevels: settings.memberLevels.map((l) => {
      const { discountBp, pointsMultiplierBp } = levelBenefits(settings.memberLevels, l.name);
      return { name: l.name, discountBp, pointsMultiplierBp };
    }),
  });
});

/** Every role's hand-discount limits: the counter shows its own before sending a discounted sale. */
salesRoutes.get('/discount-limits', requireAuth('staff'), async (c) => {
  const limits = await discountLimits(c.get('deps').db, staffOf(c.get('principal')).merchantId);
  return c.json({ items: Object.entries(limits).map(([role, l]) => ({ role, ...l })) });
});

// What each role may give away is the owner's decision, as return limits are.
salesRoutes.put('/discount-limits', requireAuth(['owner']), async (c) => {
  const body = await readJson(c, discountLimitsRequest);
  const limits = await saveDiscountLimits(c.get('deps').db, staffOf(c.get('principal')), body.limits);
  return c.json({ items: Object.entries(limits).map(([role, l]) => ({ role, ...l })) });
});

salesRoutes.post('/discount-approvals', requireAuth(['owner', 'manager']), async (c) => {
  const body = await readJson(c, discountApprovalRequest);
  const deps = c.get('deps');
  return c.json(await approveDiscount(deps.db, staffOf(c.get('principal')), body, deps.clock()), 201);
});

/** The counter's list of paid shop orders waiting for handover, with their count for the badge. */
salesRoutes.get('/stores/:storeId/pickups', requireAuth('staff'), async (c) => {
  const { storeId } = readParams(c, storeParams);
  return c.json(await waitingPickups(c.get('deps'), staffOf(c.get('principal')), storeId));
});

/** Hands a paid shop order over against its 取货码; the same handover key again answers as the first time. */
salesRoutes.post('/stores/:storeId/pickups/handover', requireAuth('staff'), async (c) => {
  const { storeId } = readParams(c, storeParams);
  const staff = staffOf(c.get('principal'));
  // Another merchant's store is "not found" whatever the body says.
  await assertStoreAccess(c.get('deps').db, staff, storeId);
  const body = await readJson(c, handoverRequest);
  const result = await handOver(c.get('deps'), staff, storeId, body);
  return c.json(result, result.replayed ? 200 : 201);
});

/** 通知取货: the member whose paid order this is hears it is ready, if they subscribed (#17). */
salesRoutes.post('/stores/:storeId/pickups/ready', requireAuth('staff'), async (c) => {
  const { storeId } = readParams(c, storeParams);
  const staff = staffOf(c.get('principal'));
  await assertStoreAccess(c.get('deps').db, staff, storeId);
  const body = await readJson(c, pickupReadyRequest);
  return c.json(await announcePickup(c.get('deps'), staff, storeId, body));
});

const tokenParams = z.object({ token: receiptToken });

/** The shopper's receipt by the unguessable token its QR carries: no sign-in, and no way to find it by order id. */
salesRoutes.get('/public/receipts/:token', async (c) => {
  const { token } = readParams(c, tokenParams);
  const deps = c.get('deps');
  return c.json(await publicReceipt(deps.db, token, deps.config.publicBaseUrl));
});
