import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobPhotoStorage, photo_cache_seconds } from '../../api/_catalog/photos/storage';
import { pngOf } from '../_support/images';

/**
 * The Vercel Blob photo store through the real @vercel/blob SDK, against a
 * stand-in on this machine that answers the HTTP the SDK sends
 * (VERCEL_BLOB_API_URL; docs/platform-apis-2.md §8): this machine cannot
 * reach Vercel, so what the stand-in checks is what Vercel's API would be sent.
 */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

describe('Vercel Blob photo storage', () => {
  const seen: Seen[] = [];
  const stored = new Map<string, Buffer>();
  let base = '';
  const server = createServer(async (req, res) => {
    const parts: Buffer[] = [];
    for await (const chunk of req) parts.push(chunk as Buffer);
    const body = Buffer.concat(parts);
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const url = new URL(req.url ?? '/', base);
    res.setHeader('content-type', 'application/json');
    if (req.headers.authorization !== 'Bearer vercel_blob_rw_teststore_secret') {
      res.statusCode = 403;
      res.end(JSON.stringify({ error: { code: 'forbidden', message: 'bad token' } }));
      return;
    }
    if (req.method === 'PUT' && url.searchParams.get('pathname')) {
      const pathname = url.searchParams.get('pathname')!;
      const blobUrl = `https://teststore.public.blob.vercel-storage.com/${pathname}`;
      stored.set(blobUrl, body);
      res.end(JSON.stringify({ url: blobUrl, downloadUrl: `${blobUrl}?download=1`, pathname, contentType: req.headers['x-content-type'], contentDisposition: 'inline', etag: '"1"' }));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/delete') {
      for (const u of (JSON.parse(body.toString()) as { urls: string[] }).urls) stored.delete(u);
      res.end('{}');
      return;
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ error: { code: 'not_found', message: 'no such route' } }));
  });
  const saved = { api: process.env.VERCEL_BLOB_API_URL, retries: process.env.VERCEL_BLOB_RETRIES };

  beforeAll(async () => {
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.VERCEL_BLOB_API_URL = base;
    process.env.VERCEL_BLOB_RETRIES = '0';
  });
  afterAll(async () => {
    for (const [k, v] of [['VERCEL_BLOB_API_URL', saved.api], ['VERCEL_BLOB_RETRIES', saved.retries]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await new Promise<void>((done) => server.close(() => done()));
  });

  it('puts a public photo under its key with its type and a year of cache, and deletes it by URL', async () => {
    const storage = blobPhotoStorage('vercel_blob_rw_teststore_secret');
    const png = pngOf(3, 2);
    const { url } = await storage.put('products/mch_X/pho_01ABCDEFGHJKMNPQRSTVWXYZ01.png', png, 'image/png');
    expect(url).toBe('https://teststore.public.blob.vercel-storage.com/products/mch_X/pho_01ABCDEFGHJKMNPQRSTVWXYZ01.png');
    const put = seen.find((s) => s.method === 'PUT')!;
    expect(put.headers['x-vercel-blob-access']).toBe('public');
    expect(put.headers['x-content-type']).toBe('image/png');
    expect(put.headers['x-add-random-suffix']).toBe('0');
    expect(put.headers['x-cache-control-max-age']).toBe(String(photo_cache_seconds));
    expect(new Uint8Array(put.body)).toEqual(png);
    expect(stored.has(url)).toBe(true);

    await storage.delete(url);
    const del = seen.find((s) => s.method === 'POST')!;
    expect(JSON.parse(del.body.toString())).toEqual({ urls: [url] });
    expect(stored.has(url)).toBe(false);
  });

  it('fails loudly when the store refuses the token', async () => {
    await expect(blobPhotoStorage('vercel_blob_rw_teststore_wrong').put('products/mch_X/pho_01ABCDEFGHJKMNPQRSTVWXYZ02.png', pngOf(1, 1), 'image/png')).rejects.toThrow();
  });
});
