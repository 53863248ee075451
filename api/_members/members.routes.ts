import { Hono } from 'hono';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { readJson, readQuery } from '../_kernel/validate.js';
import { createMemberRequest, memberLookupQuery } from '../../shared/api/members.js';
import { createMember, memberCard } from './members.service.js';

export const memberRoutes = new Hono<AppEnv>();

/** The counter finds a member by phone or by the code on the member's card (their id). */
memberRoutes.get('/members/lookup', requireAuth('staff'), async (c) => {
  const q = readQuery(c, memberLookupQuery);
  const p = staffOf(c.get('principal'));
  return c.json({ member: await memberCard(c.get('deps').db, p.merchantId, q) });
});

memberRoutes.post('/members', requireAuth('staff'), async (c) => {
  const body = await readJson(c, createMemberRequest);
  const p = staffOf(c.get('principal'));
  return c.json({ member: await createMember(c.get('deps').db, p.merchantId, body) }, 201);
});
