import { Hono } from 'hono';
import type { AppEnv, StaffPrincipal } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { assertStoreAccess } from '../_identity/index.js';
import { readQuery } from '../_kernel/validate.js';
import { journalEntriesQuery, trialBalanceQuery } from '../../shared/api/ledger.js';
import { listEntries } from './journal.repository.js';
import { trialBalance } from './trial-balance.js';

export const ledgerRoutes = new Hono<AppEnv>();

/**
 * An owner sees every entry of the merchant, merchant-wide ones included; a
 * manager sees only the entries of the stores assigned to them.
 */
function visibleStores(p: StaffPrincipal): readonly string[] | undefined {
  return p.role === 'owner' ? undefined : p.storeIds;
}

ledgerRoutes.get('/ledger/trial-balance', requireAuth(['owner', 'manager']), async (c) => {
  const q = readQuery(c, trialBalanceQuery);
  const db = c.get('deps').db;
  const p = staffOf(c.get('principal'));
  if (q.storeId) await assertStoreAccess(db, p, q.storeId);
  return c.json(await trialBalance(db, p.merchantId, { ...q, storeIds: visibleStores(p) }));
});

ledgerRoutes.get('/ledger/entries', requireAuth(['owner', 'manager']), async (c) => {
  const q = readQuery(c, journalEntriesQuery);
  const db = c.get('deps').db;
  const p = staffOf(c.get('principal'));
  if (q.storeId) await assertStoreAccess(db, p, q.storeId);
  const scope = q.storeId ? [q.storeId] : visibleStores(p);
  return c.json(await listEntries(db, { ...q, merchantId: p.merchantId, storeIds: scope }));
});
