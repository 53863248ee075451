import type { Migration } from '../migrator.js';

/**
 * Bookkeeping: a chart of accounts per merchant and an append-only,
 * double-entry journal. Postgres itself refuses an unbalanced entry, a line
 * added to an entry after it was committed, and any update or delete, so a
 * bug in a module that posts cannot corrupt the books.
 */
export const m0002_ledger: Migration = {
  name: '0002_ledger',
  up: [
    `create table ledger_accounts (
      merchant_id text not null references merchants(id),
      code text not null check (code ~ '^[a-z][a-z0-9_]{1,31}$'),
      number text not null check (number ~ '^[0-9]{4}([0-9]{2})*$'),
      name text not null check (length(name) between 1 and 32),
      type text not null check (type in ('asset', 'liability', 'equity', 'revenue', 'expense', 'contra_revenue')),
      normal_side text not null check (normal_side in ('debit', 'credit')),
      created_at timestamptz not null default now(),
      primary key (merchant_id, code),
      unique (merchant_id, number),
      check (normal_side = case when type in ('asset', 'expense', 'contra_revenue') then 'debit' else 'credit' end)
    )`,
    // The header declares how many lines the entry has and its total; the
    // deferred checks below hold the lines to it, which is what stops a line
    // from being added to an entry that was committed earlier.
    `create table journal_entries (
      id text primary key check (id ~ '^jnl_[0-9A-HJKMNP-TV-Z]{26}$'),
      merchant_id text not null references merchants(id),
      store_id text,
      event_key text not null check (length(event_key) <= 128 and event_key ~ '^[a-z][a-z0-9_]*:[A-Za-z0-9_.:-]+$'),
      content_hash text not null check (content_hash ~ '^[0-9a-f]{64}$'),
      memo text not null check (length(memo) <= 200),
      business_date date not null,
      occurred_at timestamptz not null default now(),
      line_count smallint not null check (line_count >= 2),
      total_fen bigint not null check (total_fen > 0),
      created_at timestamptz not null default now(),
      unique (merchant_id, event_key),
      unique (merchant_id, id),
      foreign key (merchant_id, store_id) references stores(merchant_id, id)
    )`,
    `create index journal_entries_merchant_day on journal_entries (merchant_id, business_date, id)`,
    `create index journal_entries_store_day on journal_entries (store_id, business_date) where store_id is not null`,
    `create table journal_lines (
      entry_id text not null,
      line_no smallint not null check (line_no >= 1),
      merchant_id text not null,
      account text not null,
      debit_fen bigint not null check (debit_fen >= 0),
      credit_fen bigint not null check (credit_fen >= 0),
      memo text check (length(memo) <= 200),
      primary key (entry_id, line_no),
      check ((debit_fen > 0) <> (credit_fen > 0)),
      foreign key (merchant_id, entry_id) references journal_entries(merchant_id, id),
      foreign key (merchant_id, account) references ledger_accounts(merchant_id, code)
    )`,
    `create index journal_lines_merchant_account on journal_lines (merchant_id, account)`,
    `create function journal_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'the journal is append-only: % on % is refused; post a reversing entry instead', tg_op, tg_table_name
        using errcode = 'integrity_constraint_violation';
    end
    $$`,
    `create trigger journal_entries_append_only before update or delete on journal_entries
      for each row execute function journal_refuse_change()`,
    `create trigger journal_entries_no_truncate before truncate on journal_entries
      for each statement execute function journal_refuse_change()`,
    `create trigger journal_lines_append_only before update or delete on journal_lines
      for each row execute function journal_refuse_change()`,
    `create trigger journal_lines_no_truncate before truncate on journal_lines
      for each statement execute function journal_refuse_change()`,
    `create function journal_check_entry(p_entry_id text) returns void language plpgsql as $$
    declare
      declared_lines integer;
      declared_total bigint;
      found_lines integer;
      debits numeric;
      credits numeric;
    begin
      select line_count, total_fen into declared_lines, declared_total from journal_entries where id = p_entry_id;
      if not found then
        raise exception 'journal lines refer to entry % which does not exist', p_entry_id using errcode = 'foreign_key_violation';
      end if;
      select count(*), coalesce(sum(debit_fen), 0), coalesce(sum(credit_fen), 0)
        into found_lines, debits, credits
        from journal_lines where entry_id = p_entry_id;
      if found_lines <> declared_lines then
        raise exception 'journal entry % declares % lines but has %', p_entry_id, declared_lines, found_lines
          using errcode = 'check_violation';
      end if;
      if debits <> credits then
        raise exception 'journal entry % is unbalanced: debits % <> credits %', p_entry_id, debits, credits
          using errcode = 'check_violation';
      end if;
      if debits <> declared_total then
        raise exception 'journal entry % declares total % but its lines total %', p_entry_id, declared_total, debits
          using errcode = 'check_violation';
      end if;
    end
    $$`,
    `create function journal_entries_check() returns trigger language plpgsql as $$
    begin
      perform journal_check_entry(new.id);
      return null;
    end
    $$`,
    `create function journal_lines_check() returns trigger language plpgsql as $$
    begin
      perform journal_check_entry(new.entry_id);
      return null;
    end
    $$`,
    // Deferred to commit, so an entry and its lines can be inserted in any order within one transaction.
    `create constraint trigger journal_entries_balanced after insert on journal_entries
      deferrable initially deferred for each row execute function journal_entries_check()`,
    `create constraint trigger journal_lines_balanced after insert on journal_lines
      deferrable initially deferred for each row execute function journal_lines_check()`,
  ],
};
