import type { Migration } from '../migrator.js';

/**
 * Catalog imports from a sheet (#15). The id is made by the client when the
 * owner taps 导入, so a double tap or a retry after a lost answer is the same
 * import: the same id with the same file replays its counts, and with another
 * file is refused. The rows themselves go to products and skus.
 */
export const m0036_catalog_imports: Migration = {
  name: '0036_catalog_imports',
  up: [
    `create table catalog_imports (
      id text primary key,
      merchant_id text not null references merchants(id),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      counts jsonb not null,
      created_by text not null references staff(id),
      created_at timestamptz not null default now()
    )`,
    `create index catalog_imports_merchant on catalog_imports (merchant_id, created_at desc)`,
  ],
};
