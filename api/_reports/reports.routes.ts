import { Hono } from 'hono';
import type { AppEnv, StaffPrincipal } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { assertStoreAccess } from '../_identity/index.js';
import { readQuery } from '../_kernel/validate.js';
import { todayQuery } from '../../shared/api/reports.js';
import { bestSellersQuery, bossQuery, dailyQuery } from '../../shared/api/boss.js';
import { businessDate } from '../_kernel/clock.js';
import type { Deps } from '../_kernel/deps.js';
import { todayTakings } from './today.js';
import { bestSellers, best_sellers_default, dailyTakings, daily_days_default, flaggedOrders, takingsByAssistant } from './boss.js';

export const reportRoutes = new Hono<AppEnv>();

const owners = requireAuth(['owner', 'manager']);

/** One store if asked (and allowed), else every store the caller may see. */
async function scope(deps: Deps, p: StaffPrincipal, storeId: string | undefined): Promise<string[]> {
  if (!storeId) return p.storeIds;
  await assertStoreAccess(deps.db, p, storeId);
  return [storeId];
}

reportRoutes.get('/boss/today', owners, async (c) => {
  const { storeId } = readQuery(c, todayQuery);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  return c.json(await todayTakings(deps.db, p.merchantId, await scope(deps, p, storeId), businessDate(deps.clock()), storeId ?? null));
});

reportRoutes.get('/boss/today/by-assistant', owners, async (c) => {
  const { storeId } = readQuery(c, bossQuery);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  const date = businessDate(deps.clock());
  return c.json({ date, items: await takingsByAssistant(deps.db, p.merchantId, await scope(deps, p, storeId), date) });
});

reportRoutes.get('/boss/daily', owners, async (c) => {
  const { storeId, days } = readQuery(c, dailyQuery);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  return c.json({ items: await dailyTakings(deps.db, p.merchantId, await scope(deps, p, storeId), businessDate(deps.clock()), days ?? daily_days_default) });
});

reportRoutes.get('/boss/best-sellers', owners, async (c) => {
  const { storeId, limit } = readQuery(c, bestSellersQuery);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  const date = businessDate(deps.clock());
  return c.json({ date, items: await bestSellers(deps.db, p.merchantId, await scope(deps, p, storeId), date, limit ?? best_sellers_default) });
});

reportRoutes.get('/boss/flagged-orders', owners, async (c) => {
  const { storeId } = readQuery(c, bossQuery);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  return c.json({ items: await flaggedOrders(deps.db, p.merchantId, await scope(deps, p, storeId)) });
});
