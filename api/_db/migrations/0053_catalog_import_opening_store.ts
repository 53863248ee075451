import type { Migration } from '../migrator.js';

/**
 * A catalog import may bring in opening stock (期初库存, #15), into one
 * store. The import remembers which, so that a repeat of the same import id
 * naming another store is refused as different content rather than answered
 * as if it had been booked there. Null: the import booked no stock.
 */
export const m0053_catalog_import_opening_store: Migration = {
  name: '0053_catalog_import_opening_store',
  up: [`alter table catalog_imports add column opening_store_id text references stores(id)`],
};
