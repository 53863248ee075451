import { Hono } from 'hono';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from './auth.js';
import { readJson } from '../_kernel/validate.js';
import { createInviteRequest, staffBindRequest, staffLoginRequest } from '../../shared/api/identity.js';
import { staffBind, staffLogin } from './login.service.js';
import { createInvite, listStaff } from './invites.service.js';
import { loginRateLimit } from './rate-limit.js';
import { storesByIds } from './identity.repository.js';
import { createStoreRequest, updateStaffRequest, updateStoreRequest } from '../../shared/api/staff-admin.js';
import { createStore, manageableStores, updateStore } from './stores.service.js';
import { openInvites, revokeInvite, updateStaff } from './staff-admin.service.js';
import { assertStoreAccess } from './store-access.js';

export const identityRoutes = new Hono<AppEnv>();

identityRoutes.post('/auth/staff/login', loginRateLimit, async (c) => {
  const body = await readJson(c, staffLoginRequest);
  return c.json(await staffLogin(c.get('deps'), body));
});

identityRoutes.post('/auth/staff/bind', loginRateLimit, async (c) => {
  const body = await readJson(c, staffBindRequest);
  return c.json(await staffBind(c.get('deps'), body));
});

identityRoutes.get('/stores', requireAuth('staff'), async (c) => {
  const p = staffOf(c.get('principal'));
  return c.json({ items: await storesByIds(c.get('deps').db, p.merchantId, p.storeIds) });
});

identityRoutes.get('/staff', requireAuth(['owner', 'manager']), async (c) => {
  return c.json(await listStaff(c.get('deps'), staffOf(c.get('principal'))));
});

identityRoutes.post('/staff/invites', requireAuth(['owner']), async (c) => {
  const body = await readJson(c, createInviteRequest);
  return c.json(await createInvite(c.get('deps'), staffOf(c.get('principal')), body), 201);
});

identityRoutes.get('/staff/invites', requireAuth(['owner']), async (c) => {
  return c.json(await openInvites(c.get('deps'), staffOf(c.get('principal'))));
});

identityRoutes.delete('/staff/invites/:code', requireAuth(['owner']), async (c) => {
  return c.json(await revokeInvite(c.get('deps'), staffOf(c.get('principal')), c.req.param('code')));
});

identityRoutes.patch('/staff/:staffId', requireAuth(['owner']), async (c) => {
  const body = await readJson(c, updateStaffRequest);
  return c.json(await updateStaff(c.get('deps'), staffOf(c.get('principal')), c.req.param('staffId'), body));
});

identityRoutes.get('/merchant/stores', requireAuth(['owner', 'manager']), async (c) => {
  return c.json({ items: await manageableStores(c.get('deps').db, staffOf(c.get('principal'))) });
});

identityRoutes.post('/merchant/stores', requireAuth(['owner']), async (c) => {
  const body = await readJson(c, createStoreRequest);
  return c.json({ store: await createStore(c.get('deps'), staffOf(c.get('principal')), body) }, 201);
});

// The store is checked before the body is read: another merchant's store is 404 whatever was sent.
identityRoutes.patch('/merchant/stores/:storeId', requireAuth(['owner']), async (c) => {
  const owner = staffOf(c.get('principal'));
  await assertStoreAccess(c.get('deps').db, owner, c.req.param('storeId'));
  const body = await readJson(c, updateStoreRequest);
  return c.json({ store: await updateStore(c.get('deps'), owner, c.req.param('storeId'), body) });
});
