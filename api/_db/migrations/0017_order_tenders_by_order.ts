import type { Migration } from '../migrator.js';

/**
 * A sale's tenders by their order. The sale's rollup (api/_reports/rollups.ts),
 * the receipt and the return's refund split all read an order's tenders by
 * order_id, which no index covered: each read scanned every tender of every
 * merchant, about 1–2 s per sale at two million orders.
 */
export const m0017_order_tenders_by_order: Migration = {
  name: '0017_order_tenders_by_order',
  up: [`create index order_tenders_order on order_tenders (order_id)`],
};
