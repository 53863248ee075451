import type { Migration } from '../migrator.js';

/**
 * The bill lines' block-range index also summarises line numbers, so a page
 * of a run's matched records reads the few blocks that hold those lines
 * instead of the whole bill. It summarises each range as soon as the range
 * is full (autosummarize): without that, everything written since the last
 * vacuum stays unsummarised and every run and page read all of it.
 */
export const m0022_bill_lines_range_index: Migration = {
  name: '0022_bill_lines_range_index',
  up: [
    `drop index reconcile_bill_lines_bill`,
    `create index reconcile_bill_lines_bill on reconcile_bill_lines using brin (bill_key, line_no) with (autosummarize = on)`,
  ],
};
