import { Hono } from 'hono';
import type { AppEnv } from '../_http/context';
import { requireAuth, staffOf } from '../_http/auth';
import { assertStoreAccess } from '../_http/store-access';
import { readQuery } from '../_http/validate';
import { todayQuery } from '../../shared/api/reports';
import { businessDate } from '../_runtime/clock';
import { todayTakings } from './today';

export const reportRoutes = new Hono<AppEnv>();

reportRoutes.get('/boss/today', requireAuth(['owner', 'manager']), async (c) => {
  const { storeId } = readQuery(c, todayQuery);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  if (storeId) await assertStoreAccess(deps.db, p, storeId);
  const stores = storeId ? [storeId] : p.storeIds;
  return c.json(await todayTakings(deps.db, p.merchantId, stores, businessDate(deps.clock()), storeId ?? null));
});
