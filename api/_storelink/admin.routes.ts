import { Hono } from 'hono';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { storeLinkUrl } from './store-link.js';

/** The owner's list of every store's aggregated QR link, to print. */
export const storeLinkRoutes = new Hono<AppEnv>();

storeLinkRoutes.get('/store-links', requireAuth(['owner']), async (c) => {
  const staff = staffOf(c.get('principal'));
  const deps = c.get('deps');
  const stores = await deps.db.selectFrom('stores').select(['id', 'code', 'name', 'address']).where('merchant_id', '=', staff.merchantId).orderBy('code').execute();
  return c.json({ items: stores.map((s) => ({ storeId: s.id, code: s.code, name: s.name, address: s.address, url: storeLinkUrl(deps.config.publicBaseUrl, s.code) })) });
});
