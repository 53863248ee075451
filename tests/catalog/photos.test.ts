import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { jpegHeaderOf, pngOf } from '../_support/images';
import { product_photo_bytes_max, product_photos_max } from '../../shared/catalog/photo';

/**
 * Product photos (#15) on the disk store the tests and dev use: uploads are
 * checked by their bytes and size, listed on the product in the shop and
 * the counter, served back byte for byte, limited per product, scoped to the
 * merchant and the roles, and deleted with their file.
 */
for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`product photos on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let productId: string;
    let storeId: string;
    let storeCode: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      owner = await api.staffToken('o_demo_owner');
      storeId = Object.values(api.seed.storeIds)[0]!;
      storeCode = (await api.deps.db.selectFrom('stores').select('code').where('id', '=', storeId).executeTakeFirstOrThrow()).code;
      const product = await api.deps.db.selectFrom('products').select('id').where('merchant_id', '=', api.seed.merchantId).where('active', '=', true).orderBy('id').executeTakeFirstOrThrow();
      productId = product.id;
    });
    afterAll(async () => api?.stop());

    async function upload(id: string, body: Uint8Array | ReadableStream<Uint8Array>, token = owner, headers: Record<string, string> = {}) {
      const res = await api.app.request(`/api/products/${id}/photos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', ...headers },
        body: body instanceof Uint8Array ? (new Uint8Array(body) as Uint8Array<ArrayBuffer>) : body,
        ...(body instanceof Uint8Array ? {} : { duplex: 'half' }),
      } as RequestInit);
      return { status: res.status, body: (await res.json()) as any };
    }
    const photoDir = () => (api.deps.config.photos.kind === 'disk' ? api.deps.config.photos.dir : '');
    const filesOnDisk = async () => (await readdir(photoDir()).catch(() => [] as string[])).sort();

    it('stores a JPEG and a PNG, lists them on the product and serves their bytes back', async () => {
      const png = pngOf(4, 3);
      const jpeg = jpegHeaderOf(640, 480);
      const a = await upload(productId, png);
      expect(a.status).toBe(201);
      expect(a.body.photo).toMatchObject({ width: 4, height: 3 });
      const b = await upload(productId, jpeg);
      expect(b.status).toBe(201);
      expect(b.body.photo).toMatchObject({ width: 640, height: 480 });
      expect(b.body.photos.map((p: { id: string }) => p.id)).toEqual([a.body.photo.id, b.body.photo.id]);

      const detail = await api.call('GET', `/api/public/stores/${storeCode}/products/${productId}`);
      expect(detail.status).toBe(200);
      expect(detail.body.product.photoUrl).toBe(a.body.photo.url);
      expect(detail.body.product.photos.map((p: { url: string }) => p.url)).toEqual([a.body.photo.url, b.body.photo.url]);
      const list = await api.call('GET', `/api/public/stores/${storeCode}/products?limit=100`);
      expect(list.body.items.find((p: { id: string }) => p.id === productId).photoUrl).toBe(a.body.photo.url);
      const counter = await api.call('GET', `/api/stores/${storeId}/products?limit=100`, { token: owner });
      expect(counter.body.items.find((p: { id: string }) => p.id === productId).photoUrl).toBe(a.body.photo.url);
      const others = counter.body.items.filter((p: { id: string }) => p.id !== productId);
      expect(others.every((p: { photoUrl: string | null }) => p.photoUrl === null)).toBe(true);

      const served = await api.app.request(new URL(a.body.photo.url).pathname);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('image/png');
      expect(served.headers.get('cache-control')).toContain('max-age=31536000');
      expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
      const servedJpeg = await api.app.request(new URL(b.body.photo.url).pathname);
      expect(servedJpeg.headers.get('content-type')).toBe('image/jpeg');
      expect(new Uint8Array(await servedJpeg.arrayBuffer())).toEqual(jpeg);
      // Only a photo's own file name is served: nothing that could climb out of the folder.
      expect((await api.app.request('/api/photos/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
      expect((await api.app.request('/api/photos/pho_01ABCDEFGHJKMNPQRSTVWXYZ00.png')).status).toBe(404);
    });

    it('refuses what is not an image, and a 30 MB upload at the limit, naming it', async () => {
      const rows = async () => Number((await api.deps.db.selectFrom('product_photos').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      const before = await rows();
      const files = await filesOnDisk();
      const text = await upload(productId, new TextEncoder().encode('这不是图片，只是一段文字。'.repeat(10)));
      expect(text.status).toBe(400);
      expect(text.body.error.message).toContain('不是图片');

      // Declared: refused before a byte is read.
      const declared = await upload(productId, new Uint8Array(30 * 1024 * 1024));
      expect(declared.status).toBe(413);
      expect(declared.body.error.message).toContain('product_photo_bytes_max');
      // Streamed without a length: cut once the count passes the limit, long before 30 MB is sent.
      let sent = 0;
      const chunk = new Uint8Array(256 * 1024);
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 30 * 1024 * 1024) return controller.close();
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      const streamed = await upload(productId, stream);
      expect(streamed.status).toBe(413);
      expect(streamed.body.error.message).toContain('product_photo_bytes_max');
      expect(sent).toBeLessThan(product_photo_bytes_max + 2 * 1024 * 1024);
      expect(await rows()).toBe(before);
      expect(await filesOnDisk()).toEqual(files);
    });

    it(`takes at most ${product_photos_max} photos per product`, async () => {
      const have = (await api.call('GET', `/api/public/stores/${storeCode}/products/${productId}`)).body.product.photos.length as number;
      for (let i = have; i < product_photos_max; i++) expect((await upload(productId, pngOf(2, 2))).status).toBe(201);
      const seventh = await upload(productId, pngOf(2, 2));
      expect(seventh.status).toBe(409);
      expect(seventh.body.error.message).toContain('product_photos_max');
    });

    it("answers 404 for another merchant's product, 403 for an assistant", async () => {
      const other = await seedOtherMerchant(api.deps.db);
      const otherProduct = await api.deps.db.selectFrom('products').select('id').where('merchant_id', '=', other.merchantId).executeTakeFirstOrThrow();
      expect((await upload(otherProduct.id, pngOf(2, 2))).status).toBe(404);
      const assistant = await api.staffToken('o_demo_assistant_1');
      expect((await upload(productId, pngOf(2, 2), assistant)).status).toBe(403);
      const otherOwner = await api.staffToken('o_other_owner');
      const mine = (await api.call('GET', `/api/public/stores/${storeCode}/products/${productId}`)).body.product.photos[0];
      expect((await api.call('DELETE', `/api/products/${productId}/photos/${mine.id}`, { token: otherOwner })).status).toBe(404);
      expect((await api.call('DELETE', `/api/products/${productId}/photos/${mine.id}`, { token: assistant })).status).toBe(403);
    });

    it('answers 503 with the reason where no photo store is configured (a deployment without BLOB_READ_WRITE_TOKEN)', async () => {
      const saved = api.deps.config.photos;
      const files = await filesOnDisk();
      api.deps.config.photos = { kind: 'none', reason: '未配置照片存储（BLOB_READ_WRITE_TOKEN），暂不能上传商品照片' };
      try {
        const photos = (await api.call('GET', `/api/public/stores/${storeCode}/products/${productId}`)).body.product.photos as unknown[];
        const other = await api.deps.db.selectFrom('products').select('id').where('merchant_id', '=', api.seed.merchantId).where('id', '!=', productId).orderBy('id').executeTakeFirstOrThrow();
        const res = await upload(other.id, pngOf(2, 2));
        expect(res.status).toBe(503);
        expect(res.body.error.message).toContain('BLOB_READ_WRITE_TOKEN');
        expect((await api.call('GET', `/api/public/stores/${storeCode}/products/${productId}`)).body.product.photos).toHaveLength(photos.length);
      } finally {
        api.deps.config.photos = saved;
      }
      expect(await filesOnDisk()).toEqual(files);
    });

    it('deletes the row and the stored file', async () => {
      const photos = (await api.call('GET', `/api/public/stores/${storeCode}/products/${productId}`)).body.product.photos as { id: string; url: string }[];
      const first = photos[0]!;
      const file = first.url.slice(first.url.lastIndexOf('/') + 1);
      expect(await filesOnDisk()).toContain(file);
      const res = await api.call('DELETE', `/api/products/${productId}/photos/${first.id}`, { token: owner });
      expect(res.status).toBe(200);
      expect(res.body.photos.map((p: { id: string }) => p.id)).toEqual(photos.slice(1).map((p) => p.id));
      expect(await filesOnDisk()).not.toContain(file);
      expect(await api.deps.db.selectFrom('product_photos').select('id').where('id', '=', first.id).executeTakeFirst()).toBeUndefined();
      expect((await api.app.request(new URL(first.url).pathname)).status).toBe(404);
      const detail = await api.call('GET', `/api/public/stores/${storeCode}/products/${productId}`);
      expect(detail.body.product.photoUrl).toBe(photos[1]!.url);
      expect((await api.call('DELETE', `/api/products/${productId}/photos/${first.id}`, { token: owner })).status).toBe(404);
    });
  });
}
