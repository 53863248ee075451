import type { Migration } from '../migrator.js';

/**
 * A million-line bill is written in one COPY and read whole by its run, so
 * every byte of a line is paid for a million times, in the heap and in the
 * WAL. A line names its bill by a number (8 bytes) instead of the bill's
 * text id (31), and keeps `out_trade_no` only where it says something: on a
 * refund line, the payment refunded; on a payment line it was the line's own
 * number again, and is now null.
 */
export const m0021_bill_line_key: Migration = {
  name: '0021_bill_line_key',
  up: [
    `alter table reconcile_bills add column line_key bigint generated always as identity`,
    `alter table reconcile_bills add constraint reconcile_bills_line_key unique (line_key)`,
    `alter table reconcile_bill_lines add column bill_key bigint`,
    `update reconcile_bill_lines l set bill_key = b.line_key from reconcile_bills b where b.id = l.bill_id`,
    `alter table reconcile_bill_lines alter column bill_key set not null`,
    `drop index reconcile_bill_lines_bill`,
    `alter table reconcile_bill_lines drop column bill_id`,
    `alter table reconcile_bill_lines alter column out_trade_no drop not null`,
    `update reconcile_bill_lines set out_trade_no = null where kind = 'payment'`,
    `create index reconcile_bill_lines_bill on reconcile_bill_lines using brin (bill_key)`,
  ],
};
