import type { Migration } from '../migrator.js';

/**
 * Product photos (#15). The bytes live in Vercel Blob (or on a developer's
 * disk); a row holds the URL to show and the storage key to find them by.
 * At most product_photos_max per product, counted under a lock on the
 * product's row when a photo is added. Deleting a product's photo deletes
 * the row: a photo is not a record of money or stock.
 */
export const m0037_product_photos: Migration = {
  name: '0037_product_photos',
  up: [
    `create table product_photos (
      id text primary key,
      merchant_id text not null references merchants(id),
      product_id text not null references products(id),
      url text not null,
      storage_key text not null unique,
      content_type text not null check (content_type in ('image/jpeg', 'image/png', 'image/webp')),
      bytes integer not null check (bytes > 0),
      width integer not null check (width > 0),
      height integer not null check (height > 0),
      sort integer not null default 0,
      created_at timestamptz not null default now()
    )`,
    `create index product_photos_product on product_photos (product_id, sort, id)`,
  ],
};
