import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_kernel/context.js';
import { authorizeWith, requireAuth, staffOf } from '../_identity/index.js';
import { AppError } from '../_kernel/errors.js';
import { assertStoreAccess } from '../_identity/index.js';
import { readParams, readQuery } from '../_kernel/validate.js';
import { idOf, storeCode } from '../../shared/api/common.js';
import { productsQuery } from '../../shared/api/catalog.js';
import { openStoreByCode } from '../_identity/index.js';
import { listCategories, listProducts, productById, productByBarcodePrepared } from './catalog.repository.js';
import { createProduct, updateSku } from './catalog.admin.js';
import { addSkus, productDetail, productOf, updateProduct } from './products.admin.js';
import { createCategory, listAdminCategories, reorderCategories, updateCategory } from './categories.admin.js';
import { readJson } from '../_kernel/validate.js';
import { rateLimitByAddress } from '../_kernel/rate-limit.js';
import { addSkusRequest, createCategoryRequest, createProductRequest, reorderCategoriesRequest, updateProductRequest, updateCategoryRequest, updateSkuRequest } from '../../shared/api/products.js';

export const catalogRoutes = new Hono<AppEnv>();

/**
 * Requests to the public catalog per client address. Shoppers in one mall or
 * behind one carrier's NAT share an address, so the number is high: it stops
 * a scraper, not a busy shop.
 */
export const public_catalog_requests_per_minute_max = 600;
catalogRoutes.use('/public/*', rateLimitByAddress({ name: 'public_catalog_requests_per_minute_max', max: public_catalog_requests_per_minute_max, windowSeconds: 60 }, '商品目录访问'));

const codeParams = z.object({ code: storeCode });
const storeParams = z.object({ storeId: idOf('sto') });
const barcodeParams = storeParams.extend({ barcode: z.string().regex(/^[0-9A-Za-z-]{4,32}$/, 'not a barcode') });

/** What a QR code opens: the store and its shelf, visible to anyone who scanned it. */
async function publicStore(c: Parameters<typeof readParams>[0]) {
  const { code } = readParams(c, codeParams);
  return openStoreByCode(c.get('deps').db, code);
}

catalogRoutes.get('/public/stores/:code', async (c) => {
  const s = await publicStore(c);
  return c.json({ id: s.id, code: s.code, name: s.name, address: s.address, merchantName: s.merchant_name });
});

catalogRoutes.get('/public/stores/:code/categories', async (c) => {
  const s = await publicStore(c);
  return c.json(await listCategories(c.get('deps').db, s.merchant_id));
});

catalogRoutes.get('/public/stores/:code/products', async (c) => {
  const s = await publicStore(c);
  const q = readQuery(c, productsQuery);
  return c.json(await listProducts(c.get('deps').db, { merchantId: s.merchant_id, storeId: s.id, ...q, shopOnly: true }));
});

catalogRoutes.get('/public/stores/:code/products/:productId', async (c) => {
  const s = await publicStore(c);
  const { productId } = readParams(c, codeParams.extend({ productId: idOf('prd') }));
  const product = await productById(c.get('deps').db, s.merchant_id, s.id, productId, true);
  if (!product) throw new AppError('not_found', `找不到商品 ${productId}`);
  return c.json({ product });
});

catalogRoutes.get('/stores/:storeId/products', requireAuth('staff'), async (c) => {
  const { storeId } = readParams(c, storeParams);
  const q = readQuery(c, productsQuery);
  const p = staffOf(c.get('principal'));
  await assertStoreAccess(c.get('deps').db, p, storeId);
  return c.json(await listProducts(c.get('deps').db, { merchantId: p.merchantId, storeId, ...q }));
});

catalogRoutes.get('/stores/:storeId/barcodes/:barcode', async (c) => {
  const { storeId, barcode } = readParams(c, barcodeParams);
  const db = c.get('deps').db;
  // Every scan runs this: the lookup goes out beside the principal read, scoped by the token's merchant.
  const { principal, result: found } = await authorizeWith(c, 'staff', (claims) => productByBarcodePrepared(c.get('deps').prepared, claims.merchantId, storeId, barcode));
  await assertStoreAccess(db, staffOf(principal), storeId);
  if (!found) throw new AppError('not_found', `找不到条码为 ${barcode} 的商品`);
  return c.json(found);
});

const managers = requireAuth(['owner', 'manager']);

catalogRoutes.post('/categories', managers, async (c) => {
  const body = await readJson(c, createCategoryRequest);
  return c.json(await createCategory(c.get('deps').db, staffOf(c.get('principal')), body), 201);
});

/** Every category, hidden ones included: managers read it to file products, the owner to arrange the tree. */
catalogRoutes.get('/categories', managers, async (c) => c.json(await listAdminCategories(c.get('deps').db, staffOf(c.get('principal')).merchantId)));

/** The shape of the shop's catalog is the owner's: renaming, moving, hiding and reordering. */
const owner = requireAuth(['owner']);

catalogRoutes.put('/categories/order', owner, async (c) => {
  const body = await readJson(c, reorderCategoriesRequest);
  return c.json(await reorderCategories(c.get('deps').db, staffOf(c.get('principal')), body));
});

catalogRoutes.patch('/categories/:categoryId', owner, async (c) => {
  const { categoryId } = readParams(c, z.object({ categoryId: idOf('cat') }));
  const body = await readJson(c, updateCategoryRequest);
  return c.json({ category: await updateCategory(c.get('deps').db, staffOf(c.get('principal')), categoryId, body) });
});

catalogRoutes.post('/products', managers, async (c) => {
  const body = await readJson(c, createProductRequest);
  return c.json(await createProduct(c.get('deps'), staffOf(c.get('principal')), body), 201);
});

catalogRoutes.get('/products/:productId', managers, async (c) => {
  const { productId } = readParams(c, z.object({ productId: idOf('prd') }));
  return c.json(await productDetail(c.get('deps').db, staffOf(c.get('principal')).merchantId, productId));
});

/*
 * Editing a product is the owner's, like its SKUs' prices. The product is
 * looked up before the body is read, so another merchant's product is a 404
 * whatever is sent.
 */
catalogRoutes.patch('/products/:productId', owner, async (c) => {
  const { productId } = readParams(c, z.object({ productId: idOf('prd') }));
  const staff = staffOf(c.get('principal'));
  await productOf(c.get('deps').db, staff.merchantId, productId);
  const body = await readJson(c, updateProductRequest);
  return c.json(await updateProduct(c.get('deps').db, staff, productId, body));
});

/** Stopped products (停售), for the owner to find and start again: starting one is the PATCH above. */
catalogRoutes.get('/stores/:storeId/stopped-products', owner, async (c) => {
  const { storeId } = readParams(c, storeParams);
  const p = staffOf(c.get('principal'));
  await assertStoreAccess(c.get('deps').db, p, storeId);
  const q = readQuery(c, productsQuery);
  return c.json(await listProducts(c.get('deps').db, { merchantId: p.merchantId, storeId, ...q, stopped: true }));
});

catalogRoutes.post('/products/:productId/skus', owner, async (c) => {
  const { productId } = readParams(c, z.object({ productId: idOf('prd') }));
  const staff = staffOf(c.get('principal'));
  await productOf(c.get('deps').db, staff.merchantId, productId);
  const body = await readJson(c, addSkusRequest);
  return c.json(await addSkus(c.get('deps'), staff, productId, body), 201);
});

/**
 * Merchant-wide prices and costs are the owner's: a manager prices their own
 * stores through /stores/:storeId/prices. Only the owner may change a SKU.
 */
catalogRoutes.patch('/skus/:skuId', requireAuth(['owner']), async (c) => {
  const { skuId } = readParams(c, z.object({ skuId: idOf('sku') }));
  const body = await readJson(c, updateSkuRequest);
  return c.json({ sku: await updateSku(c.get('deps').db, staffOf(c.get('principal')), skuId, body) });
});
