import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { assertStoreAccess } from '../_identity/index.js';
import { AppError } from '../_kernel/errors.js';
import { readJson, readParams } from '../_kernel/validate.js';
import { idOf } from '../../shared/api/common.js';
import { shopTopUpRequest, counterTopUpRequest, storedValuePlanRequest, storedValueRefundRequest, storedValueSettings } from '../../shared/api/stored-value.js';
import { createPlan, listPlans, stopPlan } from './plans.service.js';
import { counterTopUp, openShopTopUp } from './top-up.service.js';
import { refundPrincipal } from './refund.service.js';
import { saveSettings, settingsOf, shopStoredValue, statementOf } from './statement.service.js';

export const storedValueRoutes = new Hono<AppEnv>();

const planParams = z.object({ planId: idOf('svp') });
const memberParams = z.object({ memberId: idOf('mbr') });
const storeParams = z.object({ storeId: idOf('sto') });

/** Every member of staff sees the plans (the counter offers them); only the owner makes and stops them. */
storedValueRoutes.get('/stored-value/plans', requireAuth('staff'), async (c) => {
  const p = staffOf(c.get('principal'));
  return c.json({ plans: await listPlans(c.get('deps').db, p.merchantId, false) });
});

storedValueRoutes.post('/stored-value/plans', requireAuth(['owner']), async (c) => {
  const body = await readJson(c, storedValuePlanRequest);
  const deps = c.get('deps');
  return c.json({ plan: await createPlan(deps.db, staffOf(c.get('principal')), body, deps.clock()) }, 201);
});

storedValueRoutes.post('/stored-value/plans/:planId/stop', requireAuth(['owner']), async (c) => {
  const { planId } = readParams(c, planParams);
  const deps = c.get('deps');
  return c.json({ plan: await stopPlan(deps.db, staffOf(c.get('principal')), planId, deps.clock()) });
});

storedValueRoutes.get('/settings/stored-value', requireAuth(['owner']), async (c) => {
  return c.json(await settingsOf(c.get('deps').db, staffOf(c.get('principal')).merchantId));
});

storedValueRoutes.put('/settings/stored-value', requireAuth(['owner']), async (c) => {
  const body = await readJson(c, storedValueSettings);
  return c.json(await saveSettings(c.get('deps'), staffOf(c.get('principal')), body));
});

/** The counter takes a top-up in cash or by card: the store is checked before the body is read. */
storedValueRoutes.post('/stores/:storeId/stored-value/top-ups', requireAuth('staff'), async (c) => {
  const { storeId } = readParams(c, storeParams);
  const staff = staffOf(c.get('principal'));
  const deps = c.get('deps');
  await assertStoreAccess(deps.db, staff, storeId);
  const body = await readJson(c, counterTopUpRequest);
  const result = await counterTopUp(deps, staff, storeId, body);
  return c.json(result, result.replayed ? 200 : 201);
});

/** A member's statement for the counter and the owner. */
storedValueRoutes.get('/members/:memberId/stored-value', requireAuth('staff'), async (c) => {
  const { memberId } = readParams(c, memberParams);
  return c.json(await statementOf(c.get('deps').db, staffOf(c.get('principal')).merchantId, memberId));
});

/** The owner pays back a member's unused principal (退卡); the bonus is forfeited. */
storedValueRoutes.post('/members/:memberId/stored-value/refund', requireAuth(['owner']), async (c) => {
  const { memberId } = readParams(c, memberParams);
  const body = await readJson(c, storedValueRefundRequest);
  const result = await refundPrincipal(c.get('deps'), staffOf(c.get('principal')), memberId, body);
  return c.json(result, result.replayed ? 200 : 201);
});

/** The shopper's own 储值: plans on offer, balance and statement, through their own token only. */
storedValueRoutes.get('/shop/stored-value', requireAuth('member'), async (c) => {
  const p = c.get('principal');
  if (p.kind !== 'member') throw new AppError('forbidden', '仅限顾客使用');
  return c.json(await shopStoredValue(c.get('deps').db, p.merchantId, p.memberId));
});

/** A shopper opens a top-up under a plan; it is paid with `POST /shop/stored-value/top-ups/:topUpId/pay` (the payments module). */
storedValueRoutes.post('/shop/stored-value/top-ups', requireAuth('member'), async (c) => {
  const body = await readJson(c, shopTopUpRequest);
  const p = c.get('principal');
  if (p.kind !== 'member') throw new AppError('forbidden', '仅限顾客使用');
  const result = await openShopTopUp(c.get('deps'), p, body);
  return c.json(result, result.replayed ? 200 : 201);
});
