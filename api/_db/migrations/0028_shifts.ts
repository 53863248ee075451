import type { Migration } from '../migrator.js';

/**
 * Shifts (交接班) and the day close (日结). A shift is one device's drawer from
 * opening float to count; at most one is open per store and device, which a
 * partial unique index holds. Cash moves are append-only. Orders and returns
 * name the shift their cash went through, so the expected cash is derived
 * from the records rather than kept as a running balance. A day close is one
 * row per store and business day: closing twice is a replay, not a second close.
 */
export const m0028_shifts: Migration = {
  name: '0028_shifts',
  up: [
    `create table shifts (
      id text primary key,
      merchant_id text not null references merchants(id),
      store_id text not null references stores(id),
      device_id text not null check (length(device_id) between 1 and 64),
      business_date date not null,
      request_hash text not null,
      status text not null default 'open' check (status in ('open', 'closed', 'confirmed')),
      opened_by text not null references staff(id),
      opened_at timestamptz not null,
      opening_float_fen bigint not null check (opening_float_fen >= 0),
      closed_by text references staff(id),
      closed_at timestamptz,
      close_hash text,
      counts jsonb,
      counted_fen bigint check (counted_fen >= 0),
      expected_fen bigint,
      variance_fen bigint,
      close_note text,
      confirmed_by text references staff(id),
      confirmed_at timestamptz,
      confirm_note text,
      check ((status = 'open') = (closed_at is null)),
      check (status <> 'closed' or (counted_fen is not null and expected_fen is not null and variance_fen = counted_fen - expected_fen)),
      check ((status = 'confirmed') = (confirmed_at is not null))
    )`,
    `create unique index shifts_one_open_per_device on shifts (store_id, device_id) where status = 'open'`,
    `create index shifts_store_day on shifts (merchant_id, store_id, business_date)`,
    `create table shift_cash_moves (
      id text primary key,
      merchant_id text not null references merchants(id),
      shift_id text not null references shifts(id),
      kind text not null check (kind in ('change_fund_in', 'change_fund_out', 'petty_cash', 'bank_deposit')),
      amount_fen bigint not null check (amount_fen > 0),
      reason text not null check (length(reason) between 1 and 100),
      request_hash text not null,
      created_by text not null references staff(id),
      created_at timestamptz not null default now()
    )`,
    `create index shift_cash_moves_shift on shift_cash_moves (shift_id)`,
    `create function shift_cash_moves_refuse_change() returns trigger language plpgsql as $$
      begin raise exception 'shift_cash_moves is append-only'; end $$`,
    `create trigger shift_cash_moves_append_only before update or delete on shift_cash_moves
      for each row execute function shift_cash_moves_refuse_change()`,
    `create table shift_settings (
      store_id text primary key references stores(id),
      merchant_id text not null references merchants(id),
      closes_at text not null check (closes_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')
    )`,
    `create table day_closes (
      merchant_id text not null references merchants(id),
      store_id text not null references stores(id),
      business_date date not null,
      closed_by text not null references staff(id),
      closed_at timestamptz not null,
      summary jsonb not null,
      primary key (store_id, business_date)
    )`,
    `alter table orders add column shift_id text references shifts(id)`,
    `alter table orders add column shift_late boolean not null default false`,
    `create index orders_shift on orders (shift_id) where shift_id is not null`,
    `create index orders_unshifted_late on orders (store_id) where shift_late and shift_id is null`,
    `alter table returns add column shift_id text references shifts(id)`,
    `create index returns_shift on returns (shift_id) where shift_id is not null`,
  ],
};
