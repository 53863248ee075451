import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PhotoStoreConfig } from '../../_kernel/config.js';
import { AppError } from '../../_kernel/errors.js';

/**
 * Where product photos' bytes live, behind one interface: Vercel Blob in a
 * deployment, the disk under .data/photos on a developer's machine and in
 * tests. The database keeps the URL `put` answers; nothing else is needed
 * to show or delete a photo.
 */
export interface PhotoStorage {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<{ url: string }>;
  delete(url: string): Promise<void>;
}

/** How long browsers and CDNs keep a photo: its URL never changes meaning, since every upload has its own id. */
export const photo_cache_seconds = 365 * 24 * 3600;

/** A file the disk store serves: the photo's id and its kind, nothing that could climb out of the folder. */
export const disk_photo_file_pattern = /^pho_[0-9A-HJKMNP-TV-Z]{26}\.(jpg|png|webp)$/;
export const diskPhotoTypes: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** Photos on this machine's disk, served by GET /api/photos/:file at `publicBaseUrl`. */
export function diskPhotoStorage(dir: string, publicBaseUrl: string): PhotoStorage & { read(file: string): Promise<Uint8Array | null> } {
  const fileOf = (keyOrUrl: string) => {
    const file = keyOrUrl.slice(keyOrUrl.lastIndexOf('/') + 1);
    if (!disk_photo_file_pattern.test(file)) throw new Error(`not a photo file name: ${file}`);
    return path.join(dir, file);
  };
  return {
    async put(key, bytes) {
      const file = fileOf(key);
      await mkdir(dir, { recursive: true });
      // `wx` refuses to overwrite: every key carries a new id, so an existing file would be a bug.
      await writeFile(file, bytes, { flag: 'wx' });
      return { url: `${publicBaseUrl}/api/photos/${path.basename(file)}` };
    },
    async delete(url) {
      await unlink(fileOf(url)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    },
    async read(file) {
      if (!disk_photo_file_pattern.test(file)) return null;
      return readFile(path.join(dir, file)).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return null;
        throw e;
      });
    },
  };
}

/**
 * Vercel Blob through @vercel/blob, loaded on the first upload so that no
 * other request pays for it. Public access: shoppers' phones load the URL
 * directly. Keys already carry a fresh id, so no random suffix is added.
 */
export function blobPhotoStorage(token: string): PhotoStorage {
  return {
    async put(key, bytes, contentType) {
      const { put } = await import('@vercel/blob');
      const result = await put(key, Buffer.from(bytes), { access: 'public', contentType, token, addRandomSuffix: false, cacheControlMaxAge: photo_cache_seconds });
      return { url: result.url };
    },
    async delete(url) {
      const { del } = await import('@vercel/blob');
      await del(url, { token });
    },
  };
}

const disks = new Map<string, ReturnType<typeof diskPhotoStorage>>();

/** The store the configuration names; a deployment without one answers 503 with the reason, and never writes to its disk. */
export function photoStorageOf(config: PhotoStoreConfig, publicBaseUrl: string): PhotoStorage {
  if (config.kind === 'blob') return blobPhotoStorage(config.token);
  if (config.kind === 'none') throw new AppError('unavailable', config.reason);
  return diskOf(config.dir, publicBaseUrl);
}

export function diskOf(dir: string, publicBaseUrl: string) {
  const key = `${dir}\n${publicBaseUrl}`;
  let disk = disks.get(key);
  if (!disk) disks.set(key, (disk = diskPhotoStorage(dir, publicBaseUrl)));
  return disk;
}
