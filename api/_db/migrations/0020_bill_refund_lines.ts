import type { Migration } from '../migrator.js';

/**
 * How many refund lines a bill holds, counted while it is parsed. Most days
 * of a small shop have none, and a run then classifies the day's refunds
 * without reading the bill's lines again to find none. Bills stored before
 * this column keep it null: unknown, so their runs read the lines as before.
 */
export const m0020_bill_refund_lines: Migration = {
  name: '0020_bill_refund_lines',
  up: [`alter table reconcile_bills add column refund_line_count integer check (refund_line_count >= 0)`],
};
