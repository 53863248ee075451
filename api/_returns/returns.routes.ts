import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { assertStoreAccess } from '../_identity/index.js';
import { readJson, readParams, readQuery } from '../_kernel/validate.js';
import { returnDecisionRequest, returnLimitsRequest, returnRequest, returnsQuery } from '../../shared/api/returns.js';
import { decideReturn, requestReturn } from './returns.service.js';
import { returnViews } from './return-view.js';
import { returnIdsOf } from './returns.repository.js';
import { returnLimits, setReturnLimits } from './limits.js';
import { audit } from '../_audit/index.js';

export const returnRoutes = new Hono<AppEnv>();

export const returns_list_max = 100;
const returnParams = z.object({ returnId: z.string().regex(/^ret_[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ret_ id') });

returnRoutes.post('/returns', requireAuth('staff'), async (c) => {
  const body = await readJson(c, returnRequest);
  const result = await requestReturn(c.get('deps'), staffOf(c.get('principal')), body);
  return c.json(result, result.replayed ? 200 : 201);
});

returnRoutes.get('/returns', requireAuth('staff'), async (c) => {
  const q = readQuery(c, returnsQuery);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  if (q.storeId) await assertStoreAccess(deps.db, p, q.storeId);
  const stores = q.storeId ? [q.storeId] : p.storeIds;
  if (stores.length === 0) return c.json({ items: [] });
  const ids = await returnIdsOf(deps.db, p.merchantId, stores, q.status, returns_list_max);
  return c.json({ items: await returnViews(deps.db, p.merchantId, ids) });
});

returnRoutes.post('/returns/:returnId/approve', requireAuth(['owner', 'manager']), async (c) => {
  const { returnId } = readParams(c, returnParams);
  const { note } = await readJson(c, returnDecisionRequest);
  return c.json(await decideReturn(c.get('deps'), staffOf(c.get('principal')), returnId, 'approve', note));
});

returnRoutes.post('/returns/:returnId/reject', requireAuth(['owner', 'manager']), async (c) => {
  const { returnId } = readParams(c, returnParams);
  const { note } = await readJson(c, returnDecisionRequest);
  return c.json(await decideReturn(c.get('deps'), staffOf(c.get('principal')), returnId, 'reject', note));
});

returnRoutes.get('/settings/return-limits', requireAuth(['owner', 'manager']), async (c) => {
  const limits = await returnLimits(c.get('deps').db, staffOf(c.get('principal')).merchantId);
  return c.json({ items: Object.values(limits) });
});

returnRoutes.put('/settings/return-limits', requireAuth(['owner']), async (c) => {
  const body = await readJson(c, returnLimitsRequest);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  await setReturnLimits(deps.db, p.merchantId, body.items);
  await audit(deps.db, { merchantId: p.merchantId, actorId: p.staffId, action: 'settings.return_limits', subjectId: null, detail: { items: body.items } });
  return c.json({ items: Object.values(await returnLimits(deps.db, p.merchantId)) });
});
