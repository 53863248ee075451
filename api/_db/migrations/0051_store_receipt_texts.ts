import type { Migration } from '../migrator.js';

/**
 * A store's own words on its receipts (#15): a line under the store's name
 * and address (a hotline, a WeChat account) and the closing words, which were
 * one fixed sentence for every shop. Empty means the default.
 */
export const m0051_store_receipt_texts: Migration = {
  name: '0051_store_receipt_texts',
  up: [`alter table stores add column receipt_header text not null default '', add column receipt_footer text not null default ''`],
};
