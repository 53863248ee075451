import type { Migration } from '../migrator.js';

/**
 * Purchasing: suppliers, purchase orders, goods received against them,
 * returns to the supplier, the payables each receipt creates and the payments
 * that settle them, and each store's moving-average cost per SKU. Records a
 * client can repeat use the client-made id as primary key, beside a hash of
 * the request; quantities and settled amounts are held to their limits by
 * check constraints, so a bug cannot receive more than was ordered or pay a
 * payable twice.
 */
export const m0005_purchasing: Migration = {
  name: '0005_purchasing',
  up: [
    // Purchase receipts and returns to the supplier move stock under kinds of their own.
    `alter table stock_movements drop constraint if exists stock_movements_kind_check`,
    `alter table stock_movements add constraint stock_movements_kind_check check (kind in ('receipt', 'sale', 'return', 'transfer_out', 'transfer_in', 'adjustment', 'reserve', 'release', 'purchase_receipt', 'purchase_return'))`,
    `create table suppliers (
      id text primary key,
      merchant_id text not null references merchants(id),
      name text not null check (length(name) between 1 and 64),
      contact text not null default '' check (length(contact) <= 32),
      phone text not null default '' check (length(phone) <= 32),
      payment_terms_days integer not null check (payment_terms_days between 0 and 365),
      lead_time_days integer not null check (lead_time_days between 0 and 180),
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (merchant_id, id),
      unique (merchant_id, name)
    )`,
    `create table purchase_orders (
      id text primary key,
      merchant_id text not null,
      supplier_id text not null,
      store_id text not null,
      status text not null check (status in ('draft', 'ordered', 'partially_received', 'received', 'cancelled')),
      expected_date date,
      note text not null default '' check (length(note) <= 200),
      request_hash text not null check (request_hash ~ '^[0-9a-f]{64}$'),
      ordered_fen bigint not null check (ordered_fen >= 0),
      created_by text not null references staff(id),
      business_date date not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (merchant_id, id),
      foreign key (merchant_id, supplier_id) references suppliers(merchant_id, id),
      foreign key (merchant_id, store_id) references stores(merchant_id, id)
    )`,
    `create index purchase_orders_store_status on purchase_orders (merchant_id, store_id, status)`,
    `create index purchase_orders_supplier on purchase_orders (supplier_id)`,
    `create table purchase_order_lines (
      po_id text not null references purchase_orders(id),
      line_no integer not null check (line_no >= 1),
      merchant_id text not null,
      sku_id text not null,
      qty integer not null check (qty > 0),
      unit_cost_fen bigint not null check (unit_cost_fen >= 0),
      received_qty integer not null default 0,
      returned_qty integer not null default 0,
      check (received_qty between 0 and qty),
      check (returned_qty between 0 and received_qty),
      primary key (po_id, line_no),
      unique (po_id, sku_id),
      foreign key (merchant_id, sku_id) references skus(merchant_id, id)
    )`,
    `create index purchase_order_lines_sku on purchase_order_lines (sku_id)`,
    `create table purchase_receipts (
      id text primary key,
      merchant_id text not null,
      po_id text not null references purchase_orders(id),
      supplier_id text not null,
      store_id text not null,
      request_hash text not null check (request_hash ~ '^[0-9a-f]{64}$'),
      value_fen bigint not null check (value_fen >= 0),
      business_date date not null,
      received_at timestamptz not null,
      created_by text not null references staff(id),
      unique (merchant_id, id),
      foreign key (merchant_id, supplier_id) references suppliers(merchant_id, id),
      foreign key (merchant_id, store_id) references stores(merchant_id, id)
    )`,
    `create index purchase_receipts_supplier_day on purchase_receipts (supplier_id, business_date)`,
    `create index purchase_receipts_store_day on purchase_receipts (store_id, business_date)`,
    `create table purchase_receipt_lines (
      receipt_id text not null references purchase_receipts(id),
      line_no integer not null,
      sku_id text not null,
      qty integer not null check (qty > 0),
      unit_cost_fen bigint not null check (unit_cost_fen >= 0),
      value_fen bigint not null check (value_fen = qty * unit_cost_fen),
      primary key (receipt_id, line_no)
    )`,
    `create table purchase_returns (
      id text primary key,
      merchant_id text not null,
      po_id text not null references purchase_orders(id),
      supplier_id text not null,
      store_id text not null,
      request_hash text not null check (request_hash ~ '^[0-9a-f]{64}$'),
      value_fen bigint not null check (value_fen > 0),
      reason text not null check (length(reason) between 1 and 80),
      business_date date not null,
      returned_at timestamptz not null,
      created_by text not null references staff(id),
      unique (merchant_id, id),
      foreign key (merchant_id, supplier_id) references suppliers(merchant_id, id),
      foreign key (merchant_id, store_id) references stores(merchant_id, id)
    )`,
    `create index purchase_returns_supplier_day on purchase_returns (supplier_id, business_date)`,
    `create table purchase_return_lines (
      return_id text not null references purchase_returns(id),
      line_no integer not null,
      sku_id text not null,
      qty integer not null check (qty > 0),
      unit_cost_fen bigint not null check (unit_cost_fen >= 0),
      value_fen bigint not null check (value_fen = qty * unit_cost_fen),
      primary key (return_id, line_no)
    )`,
    // One payable per receipt; settled_fen is the running sum of its allocations and may never pass the amount.
    `create table supplier_payables (
      id text primary key,
      merchant_id text not null,
      supplier_id text not null,
      store_id text not null,
      receipt_id text not null unique references purchase_receipts(id),
      amount_fen bigint not null check (amount_fen >= 0),
      settled_fen bigint not null default 0,
      business_date date not null,
      due_date date not null,
      check (settled_fen between 0 and amount_fen),
      unique (merchant_id, id),
      foreign key (merchant_id, supplier_id) references suppliers(merchant_id, id)
    )`,
    `create index supplier_payables_open on supplier_payables (merchant_id, supplier_id, due_date) where settled_fen < amount_fen`,
    `create table supplier_payments (
      id text primary key,
      merchant_id text not null,
      supplier_id text not null,
      amount_fen bigint not null check (amount_fen > 0),
      method text not null check (method in ('bank', 'cash')),
      note text not null default '' check (length(note) <= 80),
      request_hash text not null check (request_hash ~ '^[0-9a-f]{64}$'),
      business_date date not null,
      paid_at timestamptz not null,
      created_by text not null references staff(id),
      unique (merchant_id, id),
      foreign key (merchant_id, supplier_id) references suppliers(merchant_id, id)
    )`,
    `create index supplier_payments_supplier_day on supplier_payments (supplier_id, business_date)`,
    // What settled each payable: a payment, or the credit of goods sent back.
    `create table payable_allocations (
      payable_id text not null references supplier_payables(id),
      source_kind text not null check (source_kind in ('payment', 'return')),
      source_id text not null,
      merchant_id text not null,
      amount_fen bigint not null check (amount_fen > 0),
      created_at timestamptz not null default now(),
      primary key (source_id, payable_id)
    )`,
    `create index payable_allocations_payable on payable_allocations (payable_id)`,
    // Each store's moving-average unit cost per SKU, and every change to it, append-only.
    `create table sku_store_costs (
      merchant_id text not null,
      store_id text not null,
      sku_id text not null,
      avg_cost_fen bigint not null check (avg_cost_fen >= 0),
      updated_at timestamptz not null default now(),
      primary key (store_id, sku_id),
      foreign key (merchant_id, store_id) references stores(merchant_id, id),
      foreign key (merchant_id, sku_id) references skus(merchant_id, id)
    )`,
    `create table sku_cost_history (
      id bigint generated always as identity primary key,
      merchant_id text not null,
      store_id text not null,
      sku_id text not null,
      source_kind text not null check (source_kind in ('purchase_receipt', 'purchase_return')),
      source_id text not null,
      on_hand_before integer not null,
      avg_before_fen bigint not null,
      qty_delta integer not null check (qty_delta <> 0),
      unit_cost_fen bigint not null,
      avg_after_fen bigint not null check (avg_after_fen >= 0),
      created_at timestamptz not null default now(),
      unique (source_id, sku_id)
    )`,
    `create function purchasing_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only: % is refused', tg_table_name, tg_op using errcode = 'integrity_constraint_violation';
    end
    $$`,
    `create trigger sku_cost_history_append_only before update or delete on sku_cost_history for each row execute function purchasing_refuse_change()`,
    `create trigger payable_allocations_append_only before update or delete on payable_allocations for each row execute function purchasing_refuse_change()`,
    `create trigger purchase_receipt_lines_append_only before update or delete on purchase_receipt_lines for each row execute function purchasing_refuse_change()`,
    `create trigger purchase_return_lines_append_only before update or delete on purchase_return_lines for each row execute function purchasing_refuse_change()`,
  ],
};
