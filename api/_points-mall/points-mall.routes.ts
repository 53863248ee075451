import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { enforceRate } from '../_kernel/rate-limit.js';
import { readJson, readParams, readQuery } from '../_kernel/validate.js';
import { assertStoreAccess, requireAuth, staffOf } from '../_identity/index.js';
import { idOf } from '../../shared/api/common.js';
import { counterRedeemRequest, giftRequest, handOverRequest, mallPickupCode, mall_redemptions_list_max, redemptionStatus, shopGiftsQuery, shopRedeemRequest } from '../../shared/api/points-mall.js';
import { createGift, ownerGifts, shopGifts, updateGift } from './gifts.service.js';
import { cancelRedemption, handOverByCode, redeemGift, redemptionByCode } from './redeem.service.js';
import { redemptionIdsOfMember, redemptionIdsOfStore, redemptionViews } from './redemption-view.js';

export const pointsMallRoutes = new Hono<AppEnv>();

/** Redemptions a member may send from the shop per hour, replays included: each one holds a gift at a store. */
export const shop_mall_redemptions_per_hour_max = 20;

const giftParams = z.object({ giftId: idOf('gft') });
const redemptionParams = z.object({ redemptionId: idOf('mrd') });
const storeParams = z.object({ storeId: idOf('sto') });
const storeRedemptionParams = z.object({ storeId: idOf('sto'), redemptionId: idOf('mrd') });
const storeCodeParams = z.object({ storeId: idOf('sto'), code: mallPickupCode });
const storeListQuery = z.strictObject({ status: redemptionStatus.optional() });

function memberOf(c: { get(key: 'principal'): AppEnv['Variables']['principal'] }) {
  const p = c.get('principal');
  if (p.kind !== 'member') throw new AppError('forbidden', '仅限顾客使用');
  return p;
}

// The shop (member session).

pointsMallRoutes.get('/shop/mall/gifts', requireAuth('member'), async (c) => {
  const m = memberOf(c);
  const q = readQuery(c, shopGiftsQuery);
  return c.json({ items: await shopGifts(c.get('deps').db, m, q.storeId) });
});

pointsMallRoutes.post('/shop/mall/redemptions', requireAuth('member'), async (c) => {
  const m = memberOf(c);
  const deps = c.get('deps');
  await enforceRate(deps, { name: 'shop_mall_redemptions_per_hour_max', max: shop_mall_redemptions_per_hour_max, windowSeconds: 3600 }, `${m.merchantId}:${m.memberId}`, '积分兑换');
  const body = await readJson(c, shopRedeemRequest);
  const result = await redeemGift(deps, { merchantId: m.merchantId, memberId: m.memberId, storeId: body.storeId, giftId: body.giftId, qty: body.qty, idempotencyKey: body.idempotencyKey, channel: 'shop', staffId: null });
  return c.json(result, result.replayed ? 200 : 201);
});

pointsMallRoutes.get('/shop/mall/redemptions', requireAuth('member'), async (c) => {
  const m = memberOf(c);
  const db = c.get('deps').db;
  return c.json({ items: await redemptionViews(db, m.merchantId, await redemptionIdsOfMember(db, m.merchantId, m.memberId, mall_redemptions_list_max)) });
});

pointsMallRoutes.post('/shop/mall/redemptions/:redemptionId/cancel', requireAuth('member'), async (c) => {
  const { redemptionId } = readParams(c, redemptionParams);
  const m = memberOf(c);
  return c.json({ redemption: await cancelRedemption(c.get('deps'), { merchantId: m.merchantId, memberId: m.memberId }, redemptionId), replayed: false });
});

// The owner's set-up.

pointsMallRoutes.get('/mall/gifts', requireAuth(['owner', 'manager']), async (c) => {
  const p = staffOf(c.get('principal'));
  return c.json({ items: await ownerGifts(c.get('deps').db, p.merchantId) });
});

pointsMallRoutes.post('/mall/gifts', requireAuth(['owner']), async (c) => {
  const p = staffOf(c.get('principal'));
  const body = await readJson(c, giftRequest);
  return c.json({ gift: await createGift(c.get('deps').db, p.merchantId, body) }, 201);
});

pointsMallRoutes.put('/mall/gifts/:giftId', requireAuth(['owner']), async (c) => {
  const { giftId } = readParams(c, giftParams);
  const p = staffOf(c.get('principal'));
  const body = await readJson(c, giftRequest);
  return c.json({ gift: await updateGift(c.get('deps').db, p.merchantId, giftId, body) });
});

// The counter (store access checked before anything is read).

pointsMallRoutes.get('/stores/:storeId/mall/redemptions', requireAuth('staff'), async (c) => {
  const { storeId } = readParams(c, storeParams);
  const p = staffOf(c.get('principal'));
  const db = c.get('deps').db;
  await assertStoreAccess(db, p, storeId);
  const q = readQuery(c, storeListQuery);
  return c.json({ items: await redemptionViews(db, p.merchantId, await redemptionIdsOfStore(db, p.merchantId, storeId, q.status, mall_redemptions_list_max)) });
});

pointsMallRoutes.get('/stores/:storeId/mall/pickups/:code', requireAuth('staff'), async (c) => {
  const { storeId } = readParams(c, storeParams.passthrough());
  const p = staffOf(c.get('principal'));
  const db = c.get('deps').db;
  // Another merchant's store is "not found" before the code is even looked at.
  await assertStoreAccess(db, p, storeId);
  const { code } = readParams(c, storeCodeParams);
  return c.json({ redemption: await redemptionByCode(db, p.merchantId, storeId, code) });
});

pointsMallRoutes.post('/stores/:storeId/mall/pickups', requireAuth('staff'), async (c) => {
  const { storeId } = readParams(c, storeParams);
  const p = staffOf(c.get('principal'));
  const deps = c.get('deps');
  await assertStoreAccess(deps.db, p, storeId);
  const body = await readJson(c, handOverRequest);
  return c.json({ redemption: await handOverByCode(deps, p, storeId, body.code), replayed: false });
});

pointsMallRoutes.post('/stores/:storeId/mall/redemptions', requireAuth('staff'), async (c) => {
  const { storeId } = readParams(c, storeParams);
  const p = staffOf(c.get('principal'));
  const deps = c.get('deps');
  await assertStoreAccess(deps.db, p, storeId);
  const body = await readJson(c, counterRedeemRequest);
  const result = await redeemGift(deps, { merchantId: p.merchantId, memberId: body.memberId, storeId, giftId: body.giftId, qty: body.qty, idempotencyKey: body.idempotencyKey, channel: 'counter', staffId: p.staffId });
  return c.json(result, result.replayed ? 200 : 201);
});

/** A manager cancels a gift still waiting at their store, for a member who asks at the counter. */
pointsMallRoutes.post('/stores/:storeId/mall/redemptions/:redemptionId/cancel', requireAuth(['owner', 'manager']), async (c) => {
  const { storeId } = readParams(c, storeParams.passthrough());
  const p = staffOf(c.get('principal'));
  const deps = c.get('deps');
  await assertStoreAccess(deps.db, p, storeId);
  const { redemptionId } = readParams(c, storeRedemptionParams);
  return c.json({ redemption: await cancelRedemption(deps, { merchantId: p.merchantId, staffId: p.staffId, storeIds: [storeId] }, redemptionId), replayed: false });
});
