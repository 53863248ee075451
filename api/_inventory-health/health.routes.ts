import { Hono } from 'hono';
import type { AppEnv } from '../_http/context';
import { requireAuth, staffOf } from '../_http/auth';
import { assertStoreAccess } from '../_http/store-access';
import { readQuery } from '../_http/validate';
import { inventoryHealthQuery } from '../../shared/api/inventory-health';
import { inventoryHealth } from './health.service';

export const inventoryHealthRoutes = new Hono<AppEnv>();

inventoryHealthRoutes.get('/boss/inventory-health', requireAuth(['owner', 'manager']), async (c) => {
  const q = readQuery(c, inventoryHealthQuery);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  await assertStoreAccess(deps.db, p, q.storeId);
  return c.json(await inventoryHealth(deps.db, p.merchantId, q, deps.clock()));
});
