import type { Migration } from '../migrator.js';

/**
 * Hardening found by reading the code.
 *
 * A refused notification is kept as a hash of its body and its first bytes,
 * not the whole body a stranger sent, and the raw bodies of old
 * notifications are dropped by the retention job (so the column may now be
 * null), which finds them by the partial index.
 *
 * The audit log is append-only in the database, as the journal is: a row
 * that could be edited afterwards would prove nothing.
 *
 * Stock goes below zero only on the one path allowed to (an offline sale,
 * which already happened at the counter and is flagged): that write says so
 * with the transaction-local setting guitai.allow_negative_stock, and every
 * other write that would take the available stock (on hand less reserved, so
 * on hand too) below zero, or further below, is refused. A level already
 * below zero may still rise (goods received), and a hold may still be turned
 * into a sale, which takes on hand and reserved down together and leaves the
 * available stock as it was. The triggers' WHEN clauses keep the function
 * from even being called on the ordinary write, so checkout pays next to
 * nothing for the check.
 *
 * A bill says where it came from (uploaded by hand, or downloaded from the
 * platform), and what bills booked (fees, automatic adjustments) is kept per
 * day in reconcile_postings, so a later bill books only the difference: a
 * downloaded bill corrects what a hand-uploaded one booked, instead of its
 * run failing on the first entry's idempotency key. Existing bookings are
 * carried over from the journal.
 */
export const m0025_hardening: Migration = {
  name: '0025_hardening',
  up: [
    `alter table payment_notifications add column body_sha256 text`,
    `alter table payment_notifications alter column raw_body drop not null`,
    `create index payment_notifications_raw_kept on payment_notifications (received_at) where raw_body is not null`,
    `create function audit_log_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'the audit log is append-only: % on % is refused', tg_op, tg_table_name
        using errcode = 'restrict_violation';
    end $$`,
    `create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function audit_log_refuse_change()`,
    `create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_refuse_change()`,
    `create function stock_levels_refuse_negative() returns trigger language plpgsql as $$
    begin
      if coalesce(current_setting('guitai.allow_negative_stock', true), '') = 'on' then
        return new;
      end if;
      -- An upsert proposes its delta as the inserted row, and BEFORE INSERT
      -- fires before the conflict is found: when the row exists, the update
      -- trigger judges the real result instead.
      if tg_op = 'INSERT' and exists (select 1 from stock_levels where store_id = new.store_id and sku_id = new.sku_id) then
        return new;
      end if;
      raise exception 'stock of % in store % would go below zero (on hand %, reserved %): only a flagged offline sale may do that', new.sku_id, new.store_id, new.on_hand, new.reserved
        using errcode = 'check_violation';
    end $$`,
    `create trigger stock_levels_negative_insert before insert on stock_levels
      for each row when (new.on_hand - new.reserved < 0) execute function stock_levels_refuse_negative()`,
    `create trigger stock_levels_negative_update before update on stock_levels
      for each row when (new.on_hand - new.reserved < 0 and new.on_hand - new.reserved < old.on_hand - old.reserved)
      execute function stock_levels_refuse_negative()`,
    `alter table reconcile_bills add column source text not null default 'upload' check (source in ('upload', 'download'))`,
    `update reconcile_bills set source = 'download' where id in (select bill_id from reconcile_downloads where bill_id is not null)`,
    `create table reconcile_postings (
      merchant_id text not null references merchants(id),
      channel text not null check (channel in ('wechat', 'alipay')),
      bill_date date not null,
      kind text not null check (kind in ('fees', 'adjust')),
      subject text not null,
      bill_id text references reconcile_bills(id),
      run_id text,
      amount_fen bigint not null check (amount_fen <> 0),
      event_key text not null,
      created_at timestamptz not null default now(),
      unique (merchant_id, event_key)
    )`,
    `create index reconcile_postings_day on reconcile_postings (merchant_id, channel, bill_date, kind, subject)`,
    `insert into reconcile_postings (merchant_id, channel, bill_date, kind, subject, amount_fen, event_key)
      select e.merchant_id, split_part(e.event_key, ':', 2), e.business_date, 'fees', '', sum(l.debit_fen - l.credit_fen), e.event_key
      from journal_entries e join journal_lines l on l.entry_id = e.id and l.account = 'fees'
      where split_part(e.event_key, ':', 1) = 'reconcile_fees'
      group by e.merchant_id, e.event_key, e.business_date
      having sum(l.debit_fen - l.credit_fen) <> 0`,
    `insert into reconcile_postings (merchant_id, channel, bill_date, kind, subject, amount_fen, event_key)
      select e.merchant_id, case when min(l.account) = 'clearing_wechat' then 'wechat' else 'alipay' end, e.business_date, 'adjust', split_part(e.event_key, ':', 2),
        sum(l.debit_fen - l.credit_fen), e.event_key
      from journal_entries e join journal_lines l on l.entry_id = e.id and l.account in ('clearing_wechat', 'clearing_alipay')
      where split_part(e.event_key, ':', 1) = 'reconcile_adjust'
      group by e.merchant_id, e.event_key, e.business_date
      having sum(l.debit_fen - l.credit_fen) <> 0`,
  ],
};
