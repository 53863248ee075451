import { Hono } from 'hono';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { assertStoreAccess } from '../_identity/index.js';
import { readQuery } from '../_kernel/validate.js';
import { inventoryHealthQuery } from '../../shared/api/inventory-health.js';
import { inventoryHealth } from './health.service.js';

export const inventoryHealthRoutes = new Hono<AppEnv>();

inventoryHealthRoutes.get('/boss/inventory-health', requireAuth(['owner', 'manager']), async (c) => {
  const q = readQuery(c, inventoryHealthQuery);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  await assertStoreAccess(deps.db, p, q.storeId);
  return c.json(await inventoryHealth(deps.db, p.merchantId, q, deps.clock()));
});
