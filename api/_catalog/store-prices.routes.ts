import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_kernel/context.js';
import { assertStoreAccess, requireAuth, staffOf } from '../_identity/index.js';
import { readJson, readParams, readQuery } from '../_kernel/validate.js';
import { idOf } from '../../shared/api/common.js';
import { priceChangeQuery, priceChangeRequest, storePriceRequest, storePricesQuery } from '../../shared/api/store-prices.js';
import { listStorePrices, removeStorePrice, setStorePrice } from './store-prices.service.js';
import { applyPriceChange, previewPriceChange } from './price-changes.service.js';

/**
 * Prices per store and bulk price changes (#15). A manager sets the prices
 * of the stores they work in; the merchant prices, and changes across many
 * SKUs at once, are the owner's.
 */
export const storePriceRoutes = new Hono<AppEnv>();

const managers = requireAuth(['owner', 'manager']);
const storeParams = z.object({ storeId: idOf('sto') });
const skuParams = storeParams.extend({ skuId: idOf('sku') });

/** The caller's store access, checked before the body is read, as every /stores/:storeId route does. */
async function managedStore<P extends z.ZodType>(c: Parameters<typeof readParams>[0], schema: P): Promise<z.infer<P>> {
  const params = readParams(c, schema) as { storeId: string };
  await assertStoreAccess(c.get('deps').db, staffOf(c.get('principal')), params.storeId);
  return params as z.infer<P>;
}

storePriceRoutes.get('/stores/:storeId/prices', managers, async (c) => {
  const { storeId } = await managedStore(c, storeParams);
  const { q } = readQuery(c, storePricesQuery);
  return c.json({ items: await listStorePrices(c.get('deps').db, staffOf(c.get('principal')).merchantId, storeId, q) });
});

storePriceRoutes.put('/stores/:storeId/prices/:skuId', managers, async (c) => {
  const { storeId, skuId } = await managedStore(c, skuParams);
  const body = await readJson(c, storePriceRequest);
  return c.json({ price: await setStorePrice(c.get('deps').db, staffOf(c.get('principal')), storeId, skuId, body) });
});

storePriceRoutes.delete('/stores/:storeId/prices/:skuId', managers, async (c) => {
  const { storeId, skuId } = await managedStore(c, skuParams);
  return c.json(await removeStorePrice(c.get('deps').db, staffOf(c.get('principal')), storeId, skuId));
});

/** A preview with `?preview=1` writes nothing; without it the change is applied, once per client-made id. */
storePriceRoutes.post('/price-changes', requireAuth(['owner']), async (c) => {
  const { preview } = readQuery(c, priceChangeQuery);
  const body = await readJson(c, priceChangeRequest);
  const staff = staffOf(c.get('principal'));
  const db = c.get('deps').db;
  if (preview) return c.json(await previewPriceChange(db, staff, body));
  const { response, replayed } = await applyPriceChange(db, staff, body);
  return c.json(response, replayed ? 200 : 201);
});
