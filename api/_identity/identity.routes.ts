import { Hono } from 'hono';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from './auth.js';
import { readJson } from '../_kernel/validate.js';
import { createInviteRequest, staffBindRequest, staffLoginRequest } from '../../shared/api/identity.js';
import { staffBind, staffLogin } from './login.service.js';
import { createInvite, listStaff } from './invites.service.js';
import { loginRateLimit } from './rate-limit.js';
import { storesByIds } from './identity.repository.js';

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
