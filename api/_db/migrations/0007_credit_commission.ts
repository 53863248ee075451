import type { Migration } from '../migrator.js';

/**
 * Trade customers who buy on account (赊账) with their own prices, the
 * receivables those sales create, collections against them and credit notes
 * from returns; commission rules and the monthly statements the owner
 * confirms. Balances are never stored: an invoice's balance is its amount
 * less its allocations and credits, all append-only rows.
 */
export const m0007_credit_commission: Migration = {
  name: '0007_credit_commission',
  up: [
    `create table trade_customers (
      id text primary key,
      merchant_id text not null references merchants(id),
      name text not null check (length(name) between 1 and 64),
      contact text not null default '' check (length(contact) <= 64),
      phone text not null default '' check (length(phone) <= 32),
      credit_limit_fen bigint not null check (credit_limit_fen >= 0),
      terms_days integer not null check (terms_days between 0 and 365),
      active boolean not null default true,
      created_at timestamptz not null default now(),
      unique (merchant_id, id),
      unique (merchant_id, name)
    )`,
    `create table trade_customer_prices (
      merchant_id text not null,
      customer_id text not null,
      sku_id text not null,
      price_fen bigint not null check (price_fen >= 0),
      primary key (customer_id, sku_id),
      foreign key (merchant_id, customer_id) references trade_customers(merchant_id, id),
      foreign key (merchant_id, sku_id) references skus(merchant_id, id)
    )`,
    // A manager's one-time consent to bill one customer above the limit, up to an amount, for a few minutes.
    `create table credit_approvals (
      id text primary key,
      merchant_id text not null,
      store_id text not null,
      customer_id text not null,
      approved_by text not null references staff(id),
      max_fen bigint not null check (max_fen > 0),
      note text not null check (length(note) between 1 and 200),
      expires_at timestamptz not null,
      used_order_id text unique,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      check ((used_order_id is null) = (used_at is null)),
      foreign key (merchant_id, store_id) references stores(merchant_id, id),
      foreign key (merchant_id, customer_id) references trade_customers(merchant_id, id)
    )`,
    `create table receivables (
      id text primary key,
      merchant_id text not null,
      store_id text not null,
      customer_id text not null,
      order_id text not null unique,
      amount_fen bigint not null check (amount_fen > 0),
      issued_date date not null,
      due_date date not null check (due_date >= issued_date),
      approval_id text references credit_approvals(id),
      created_at timestamptz not null default now(),
      unique (merchant_id, id),
      foreign key (merchant_id, customer_id) references trade_customers(merchant_id, id),
      foreign key (merchant_id, order_id) references orders(merchant_id, id)
    )`,
    `create index receivables_customer on receivables (customer_id, due_date)`,
    `create table customer_receipts (
      id text primary key,
      merchant_id text not null,
      store_id text not null,
      customer_id text not null,
      client_receipt_id text not null,
      request_hash text not null,
      method text not null check (method in ('cash', 'bank')),
      amount_fen bigint not null check (amount_fen > 0),
      reference text,
      business_date date not null,
      received_by text not null references staff(id),
      created_at timestamptz not null default now(),
      unique (merchant_id, client_receipt_id),
      foreign key (merchant_id, store_id) references stores(merchant_id, id),
      foreign key (merchant_id, customer_id) references trade_customers(merchant_id, id)
    )`,
    `create index customer_receipts_customer on customer_receipts (customer_id, business_date)`,
    // What reduces an invoice: a receipt's allocation or a return's credit note; one row each.
    `create table receivable_settlements (
      id text primary key,
      merchant_id text not null,
      receivable_id text not null references receivables(id),
      kind text not null check (kind in ('receipt', 'return')),
      receipt_id text references customer_receipts(id),
      return_id text references returns(id),
      amount_fen bigint not null check (amount_fen > 0),
      business_date date not null,
      created_at timestamptz not null default now(),
      check ((kind = 'receipt') = (receipt_id is not null) and (kind = 'return') = (return_id is not null)),
      unique (receivable_id, receipt_id),
      unique (receivable_id, return_id)
    )`,
    `create index receivable_settlements_receivable on receivable_settlements (receivable_id)`,
    `create table commission_rules (
      id text primary key,
      merchant_id text not null references merchants(id),
      scope text not null check (scope in ('role', 'category', 'sku')),
      role text check (role in ('owner', 'manager', 'assistant')),
      category_id text,
      sku_id text,
      kind text not null check (kind in ('percent', 'per_item')),
      tiers jsonb not null,
      active boolean not null default true,
      created_by text not null references staff(id),
      created_at timestamptz not null default now(),
      check ((scope = 'role') = (role is not null) and (scope = 'category') = (category_id is not null) and (scope = 'sku') = (sku_id is not null)),
      foreign key (merchant_id, category_id) references categories(merchant_id, id),
      foreign key (merchant_id, sku_id) references skus(merchant_id, id)
    )`,
    // One active rule per target, so precedence never has to choose between equals.
    `create unique index commission_rules_one_active on commission_rules (merchant_id, scope, coalesce(role, ''), coalesce(category_id, ''), coalesce(sku_id, '')) where active`,
    `create table commission_statements (
      id text primary key,
      merchant_id text not null,
      staff_id text not null,
      month text not null check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      net_sales_fen bigint not null,
      amount_fen bigint not null check (amount_fen >= 0),
      detail jsonb not null,
      confirmed_by text not null references staff(id),
      confirmed_at timestamptz not null default now(),
      unique (merchant_id, staff_id, month),
      foreign key (merchant_id, staff_id) references staff(merchant_id, id)
    )`,
    // Merchants that exist before this migration get the two new accounts now rather than on their next posting.
    `insert into ledger_accounts (merchant_id, code, number, name, type, normal_side)
      select id, 'commission_payable', '221102', '应付提成', 'liability', 'credit' from merchants
      on conflict do nothing`,
    `insert into ledger_accounts (merchant_id, code, number, name, type, normal_side)
      select id, 'commission_expense', '660102', '销售提成', 'expense', 'debit' from merchants
      on conflict do nothing`,
  ],
};
