import type { Migration } from '../migrator.js';

/**
 * The price changes of a catalog import, one row per SKU, so a wrong file can
 * be traced and put back. They were kept in the import's audit row, which at
 * 20,000 changed SKUs is megabytes of JSON in one row; the audit row now keeps
 * the counts and the file's fingerprint, and names this table.
 */
export const m0046_catalog_import_changes: Migration = {
  name: '0046_catalog_import_changes',
  up: [
    `create table catalog_import_changes (
      import_id text not null references catalog_imports(id),
      merchant_id text not null references merchants(id),
      sku_id text not null references skus(id),
      before jsonb not null,
      after jsonb not null,
      primary key (import_id, sku_id)
    )`,
    `create index catalog_import_changes_sku on catalog_import_changes (sku_id)`,
  ],
};
