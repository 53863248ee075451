import type { Migration } from '../migrator.js';

/**
 * Reconciliation stores what a day needs, not a row per matched record: a
 * run keeps one total per kind × class (count and sums of both sides) and an
 * item only for each difference; matched records are read on demand from the
 * bill and the payments. The day's succeeded payments and refunds are found
 * by index, so a run reads its day, not the merchant's whole history.
 */
export const m0013_reconcile_totals: Migration = {
  name: '0013_reconcile_totals',
  up: [
    `create table reconcile_class_totals (
      run_id text not null references reconcile_runs(id),
      kind text not null check (kind in ('payment', 'refund')),
      class text not null check (class in ('matched', 'missing_in_bill', 'missing_in_system', 'amount_mismatch', 'status_mismatch', 'fee_difference', 'crossed_midnight')),
      n bigint not null check (n > 0),
      bill_amount_fen bigint not null,
      system_amount_fen bigint not null,
      primary key (run_id, kind, class)
    )`,
    `insert into reconcile_class_totals (run_id, kind, class, n, bill_amount_fen, system_amount_fen)
      select run_id, kind, class, count(*), coalesce(sum(bill_amount_fen), 0), coalesce(sum(system_amount_fen), 0) from reconcile_items group by run_id, kind, class`,
    // Matched records never carry a repair: their totals above are what remains of them.
    `delete from reconcile_items where class = 'matched'`,
    // Checked per row, the foreign key made loading a million-line bill ten times slower than the COPY itself. Lines are
    // written only by storeBill, in the transaction that creates their bill, so they cannot point at a missing one.
    `alter table reconcile_bill_lines drop constraint reconcile_bill_lines_bill_id_fkey`,
    // Likewise the primary key: a btree insert per line cost more than the rest of the COPY. A bill's lines are written
    // together, one after another, so a block-range index finds them for almost nothing; line numbers stay unique per
    // bill because storeBill counts them.
    `alter table reconcile_bill_lines drop constraint reconcile_bill_lines_pkey`,
    `create index reconcile_bill_lines_bill on reconcile_bill_lines using brin (bill_id)`,
    `create index payments_succeeded_day on payments (merchant_id, channel, succeeded_at) where status = 'succeeded'`,
    `create index platform_refunds_succeeded_day on platform_refunds (merchant_id, channel, succeeded_at) where status = 'succeeded'`,
  ],
};
