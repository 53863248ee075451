import { Hono } from 'hono';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { storeLinkUrl } from './store-link.js';
import { storesToPrint } from './stores.repository.js';

/** The owner's list of every store's aggregated QR link, to print. */
export const storeLinkRoutes = new Hono<AppEnv>();

storeLinkRoutes.get('/store-links', requireAuth(['owner']), async (c) => {
  const staff = staffOf(c.get('principal'));
  const deps = c.get('deps');
  const stores = await storesToPrint(deps.db, staff.merchantId);
  return c.json({ items: stores.map((s) => ({ storeId: s.id, code: s.code, name: s.name, address: s.address, url: storeLinkUrl(deps.config.publicBaseUrl, s.code) })) });
});
