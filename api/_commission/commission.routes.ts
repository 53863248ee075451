import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { assertStoreAccess } from '../_identity/index.js';
import { readJson, readParams, readQuery } from '../_kernel/validate.js';
import { AppError } from '../_kernel/errors.js';
import { idOf } from '../../shared/api/common.js';
import { commissionRuleRequest, confirmStatementRequest, performance_days_max, performanceQuery, statementsQuery } from '../../shared/api/commission.js';
import { daysBetween } from '../../shared/credit/aging.js';
import { confirmStatement, deactivateRule, listRules, performance, saveRule, statements } from './commission.service.js';

export const commissionRoutes = new Hono<AppEnv>();

/** Staff performance: owners see every store, managers only theirs. */
commissionRoutes.get('/staff-performance', requireAuth(['owner', 'manager']), async (c) => {
  const q = readQuery(c, performanceQuery);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  const days = daysBetween(q.from, q.to) + 1;
  if (days < 1) throw new AppError('validation_failed', `起始日 ${q.from} 晚于结束日 ${q.to}`);
  if (days > performance_days_max) throw new AppError('validation_failed', `统计期最长 ${performance_days_max} 天（performance_days_max）`);
  if (q.storeId) await assertStoreAccess(deps.db, p, q.storeId);
  const stores = q.storeId ? [q.storeId] : p.storeIds;
  return c.json({ from: q.from, to: q.to, items: await performance(deps.db, p.merchantId, stores, q.from, q.to) });
});

// Commission is pay: rules and statements are the owner's; managers may read the rules.
commissionRoutes.get('/commission/rules', requireAuth(['owner', 'manager']), async (c) => {
  return c.json({ items: await listRules(c.get('deps').db, staffOf(c.get('principal')).merchantId) });
});

commissionRoutes.post('/commission/rules', requireAuth(['owner']), async (c) => {
  const body = await readJson(c, commissionRuleRequest);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  const id = await saveRule(deps.db, p, body);
  return c.json({ id, items: await listRules(deps.db, p.merchantId) }, 201);
});

commissionRoutes.post('/commission/rules/:ruleId/deactivate', requireAuth(['owner']), async (c) => {
  const { ruleId } = readParams(c, z.object({ ruleId: idOf('cmr') }));
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  await deactivateRule(deps.db, p, ruleId);
  return c.json({ items: await listRules(deps.db, p.merchantId) });
});

commissionRoutes.get('/commission/statements', requireAuth(['owner']), async (c) => {
  const q = readQuery(c, statementsQuery);
  return c.json({ month: q.month, items: await statements(c.get('deps').db, staffOf(c.get('principal')).merchantId, q.month) });
});

commissionRoutes.post('/commission/statements/confirm', requireAuth(['owner']), async (c) => {
  const body = await readJson(c, confirmStatementRequest);
  const deps = c.get('deps');
  return c.json({ statement: await confirmStatement(deps.db, staffOf(c.get('principal')), body, deps.clock()) });
});
