import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../_kernel/context.js';
import { requireAuth, staffOf } from '../../_identity/index.js';
import { readBodyLimited } from '../../_kernel/body.js';
import { AppError } from '../../_kernel/errors.js';
import { readParams } from '../../_kernel/validate.js';
import { idOf } from '../../../shared/api/common.js';
import { product_photo_bytes_max } from '../../../shared/catalog/photo.js';
import { diskOf, diskPhotoTypes, disk_photo_file_pattern, photoStorageOf, photo_cache_seconds } from './storage.js';
import { addPhoto, assertOwnProduct, assertRoomForPhoto, deletePhoto } from './photos.service.js';

export const photoRoutes = new Hono<AppEnv>();

const managers = requireAuth(['owner', 'manager']);
const productParams = z.object({ productId: idOf('prd') });

function tooLarge(): AppError {
  return new AppError('payload_too_large', `照片超过 ${product_photo_bytes_max / 1024 / 1024} MB 上限（product_photo_bytes_max）；请先缩小再上传`);
}

photoRoutes.post('/products/:productId/photos', managers, async (c) => {
  const { productId } = readParams(c, productParams);
  const deps = c.get('deps');
  const staff = staffOf(c.get('principal'));
  await assertRoomForPhoto(deps.db, staff.merchantId, productId);
  // A deployment without a photo store says so before the file is read.
  const storage = photoStorageOf(deps.config.photos, deps.config.publicBaseUrl);
  const bytes = await readBodyLimited(c.req.raw, product_photo_bytes_max, tooLarge, '没有收到照片');
  return c.json(await addPhoto(deps, storage, staff.merchantId, productId, bytes), 201);
});

photoRoutes.delete('/products/:productId/photos/:photoId', managers, async (c) => {
  const { productId } = readParams(c, productParams.extend({ photoId: z.string() }));
  const deps = c.get('deps');
  const staff = staffOf(c.get('principal'));
  // Tenancy before the photo id's form: another merchant's product is 404 whatever photo is named.
  await assertOwnProduct(deps.db, staff.merchantId, productId);
  const { photoId } = readParams(c, productParams.extend({ photoId: idOf('pho') }));
  const photos = await deletePhoto(deps, () => photoStorageOf(deps.config.photos, deps.config.publicBaseUrl), staff.merchantId, productId, photoId);
  return c.json({ photos });
});

/** The disk store's photos, public like a Blob URL; a deployment keeps its photos in Blob and answers 404 here. */
photoRoutes.get('/photos/:file', async (c) => {
  const file = c.req.param('file');
  const config = c.get('deps').config.photos;
  if (config.kind !== 'disk' || !disk_photo_file_pattern.test(file)) throw new AppError('not_found', `找不到照片 ${file.slice(0, 40)}`);
  const bytes = await diskOf(config.dir, c.get('deps').config.publicBaseUrl).read(file);
  if (!bytes) throw new AppError('not_found', `找不到照片 ${file}`);
  const type = diskPhotoTypes[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
  return c.body(new Uint8Array(bytes) as Uint8Array<ArrayBuffer>, 200, { 'content-type': type, 'cache-control': `public, max-age=${photo_cache_seconds}, immutable`, 'x-content-type-options': 'nosniff' });
});
