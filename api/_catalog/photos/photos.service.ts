import type { Kysely } from 'kysely';
import type { DB } from '../../_db/schema.js';
import type { Deps } from '../../_kernel/deps.js';
import { AppError } from '../../_kernel/errors.js';
import { newId } from '../../../shared/ids.js';
import { imageInfo, product_photos_max } from '../../../shared/catalog/photo.js';
import type { ProductPhoto } from '../../../shared/api/catalog.js';
import { photosOf } from '../catalog.repository.js';
import type { PhotoStorage } from './storage.js';

const extensionOf = { jpeg: 'jpg', png: 'png', webp: 'webp' } as const;

export function tooManyPhotos(): AppError {
  return new AppError('limit_exceeded', `每个商品最多 ${product_photos_max} 张照片（product_photos_max）；请先删除一张`);
}

async function photoCount(db: Kysely<DB>, productId: string): Promise<number> {
  return Number((await db.selectFrom('product_photos').select((eb) => eb.fn.countAll<string>().as('n')).where('product_id', '=', productId).executeTakeFirstOrThrow()).n);
}

/** Another merchant's product is not found, whatever else the request says. */
export async function assertOwnProduct(db: Kysely<DB>, merchantId: string, productId: string): Promise<void> {
  const product = await db.selectFrom('products').select('id').where('id', '=', productId).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!product) throw new AppError('not_found', `找不到商品 ${productId}`);
}

/**
 * Refuses before the file is read: another merchant's product is not found,
 * and a product with all its photos has no room.
 */
export async function assertRoomForPhoto(db: Kysely<DB>, merchantId: string, productId: string): Promise<void> {
  await assertOwnProduct(db, merchantId, productId);
  if ((await photoCount(db, productId)) >= product_photos_max) throw tooManyPhotos();
}

/**
 * Stores the bytes, then writes the row under a lock on the product, so two
 * uploads at once cannot both take the last place; bytes whose row was not
 * written are deleted again.
 */
export async function addPhoto(deps: Deps, storage: PhotoStorage, merchantId: string, productId: string, bytes: Uint8Array): Promise<{ photo: ProductPhoto; photos: ProductPhoto[] }> {
  const info = imageInfo(bytes);
  if (!info) throw new AppError('bad_request', '不是图片：只收 JPEG、PNG 或 WebP 照片', [{ path: 'file', message: '文件开头不是 JPEG、PNG 或 WebP' }]);
  const photoId = newId('photo');
  const key = `products/${merchantId}/${photoId}.${extensionOf[info.kind]}`;
  const { url } = await storage.put(key, bytes, info.contentType);
  try {
    await deps.db.transaction().execute(async (trx) => {
      await trx.selectFrom('products').select('id').where('id', '=', productId).forUpdate().executeTakeFirstOrThrow();
      const n = await photoCount(trx, productId);
      if (n >= product_photos_max) throw tooManyPhotos();
      await trx
        .insertInto('product_photos')
        .values({ id: photoId, merchant_id: merchantId, product_id: productId, url, storage_key: key, content_type: info.contentType, bytes: bytes.byteLength, width: info.width, height: info.height, sort: n })
        .execute();
    });
  } catch (e) {
    await storage.delete(url).catch((err: unknown) => deps.log.warn('photo left in storage', { url, error: String(err) }));
    throw e;
  }
  const photos = (await photosOf(deps.db, merchantId, [productId])).get(productId) ?? [];
  return { photo: { id: photoId, url, width: info.width, height: info.height }, photos };
}

/**
 * Deletes the row first, so nothing shows the photo any more; bytes left
 * behind by a failed storage delete cost storage, not correctness.
 */
export async function deletePhoto(deps: Deps, storage: () => PhotoStorage, merchantId: string, productId: string, photoId: string): Promise<ProductPhoto[]> {
  const row = await deps.db
    .deleteFrom('product_photos')
    .where('id', '=', photoId)
    .where('product_id', '=', productId)
    .where('merchant_id', '=', merchantId)
    .returning(['url'])
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `找不到照片 ${photoId}`);
  await Promise.resolve()
    .then(() => storage().delete(row.url))
    .catch((err: unknown) => deps.log.warn('photo left in storage', { url: row.url, error: String(err) }));
  return (await photosOf(deps.db, merchantId, [productId])).get(productId) ?? [];
}
