import type { Migration } from '../migrator.js';

/**
 * Identity, catalog, stock ledger and the order/tender core that the day's
 * takings read. Later migrations extend these; none rewrites history.
 */
export const m0001_foundation: Migration = {
  name: '0001_foundation',
  up: [
    `create table merchants (
      id text primary key,
      name text not null check (length(name) between 1 and 64),
      created_at timestamptz not null default now()
    )`,
    `create table stores (
      id text primary key,
      merchant_id text not null references merchants(id),
      code text not null unique check (code ~ '^[A-Z0-9]{4,16}$'),
      name text not null,
      address text not null default '',
      created_at timestamptz not null default now(),
      unique (merchant_id, id)
    )`,
    `create table staff (
      id text primary key,
      merchant_id text not null references merchants(id),
      name text not null,
      role text not null check (role in ('owner', 'manager', 'assistant')),
      active boolean not null default true,
      created_at timestamptz not null default now(),
      unique (merchant_id, id)
    )`,
    // The composite keys make a store of another merchant impossible to assign.
    `create table staff_stores (
      merchant_id text not null,
      staff_id text not null,
      store_id text not null,
      primary key (staff_id, store_id),
      foreign key (merchant_id, staff_id) references staff(merchant_id, id),
      foreign key (merchant_id, store_id) references stores(merchant_id, id)
    )`,
    // One WeChat or Alipay user is bound to at most one staff account.
    `create table staff_identities (
      platform text not null check (platform in ('wechat', 'alipay')),
      open_id text not null,
      staff_id text not null references staff(id),
      created_at timestamptz not null default now(),
      primary key (platform, open_id)
    )`,
    `create table staff_invites (
      code text primary key check (code ~ '^[A-Z0-9]{8}$'),
      merchant_id text not null references merchants(id),
      name text not null,
      role text not null check (role in ('owner', 'manager', 'assistant')),
      store_ids text[] not null,
      created_by text not null references staff(id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      used_by text references staff(id),
      check ((used_at is null) = (used_by is null))
    )`,
    `create table members (
      id text primary key,
      merchant_id text not null references merchants(id),
      name text,
      phone text,
      wechat_openid text,
      alipay_user_id text,
      level text not null default '普通会员',
      created_at timestamptz not null default now(),
      unique (merchant_id, id),
      unique (merchant_id, phone),
      unique (merchant_id, wechat_openid),
      unique (merchant_id, alipay_user_id)
    )`,
    // Append-only: the balance is the sum, and may never go below zero.
    `create table points_ledger (
      id text primary key,
      merchant_id text not null,
      member_id text not null,
      delta bigint not null check (delta <> 0),
      balance_after bigint not null check (balance_after >= 0),
      reason text not null,
      ref_id text,
      idempotency_key text not null unique,
      created_at timestamptz not null default now(),
      foreign key (merchant_id, member_id) references members(merchant_id, id)
    )`,
    `create table categories (
      id text primary key,
      merchant_id text not null references merchants(id),
      name text not null,
      sort integer not null default 0,
      unique (merchant_id, id),
      unique (merchant_id, name)
    )`,
    `create table products (
      id text primary key,
      merchant_id text not null,
      category_id text not null,
      name text not null check (length(name) between 1 and 128),
      pinyin text not null default '',
      unit text not null default '件',
      active boolean not null default true,
      created_at timestamptz not null default now(),
      unique (merchant_id, id),
      foreign key (merchant_id, category_id) references categories(merchant_id, id)
    )`,
    `create index products_merchant_category on products (merchant_id, category_id, id)`,
    `create table skus (
      id text primary key,
      merchant_id text not null,
      product_id text not null,
      barcode text not null check (barcode ~ '^[0-9A-Za-z-]{4,32}$'),
      spec jsonb not null default '{}'::jsonb,
      retail_price_fen bigint not null check (retail_price_fen >= 0),
      member_price_fen bigint not null check (member_price_fen >= 0 and member_price_fen <= retail_price_fen),
      cost_fen bigint not null check (cost_fen >= 0),
      active boolean not null default true,
      unique (merchant_id, id),
      unique (merchant_id, barcode),
      foreign key (merchant_id, product_id) references products(merchant_id, id)
    )`,
    `create index skus_product on skus (product_id)`,
    // Append-only ledger of every stock change; stock_levels is its running sum.
    `create table stock_movements (
      id text primary key,
      merchant_id text not null,
      store_id text not null,
      sku_id text not null,
      kind text not null check (kind in ('receipt', 'sale', 'return', 'transfer_out', 'transfer_in', 'adjustment', 'reserve', 'release')),
      on_hand_delta integer not null,
      reserved_delta integer not null default 0,
      ref_id text,
      idempotency_key text not null unique,
      created_by text,
      created_at timestamptz not null default now(),
      check (on_hand_delta <> 0 or reserved_delta <> 0),
      foreign key (merchant_id, store_id) references stores(merchant_id, id),
      foreign key (merchant_id, sku_id) references skus(merchant_id, id)
    )`,
    `create index stock_movements_store_sku on stock_movements (store_id, sku_id)`,
    `create table stock_levels (
      merchant_id text not null,
      store_id text not null,
      sku_id text not null,
      on_hand integer not null default 0,
      reserved integer not null default 0 check (reserved >= 0),
      primary key (store_id, sku_id),
      foreign key (merchant_id, store_id) references stores(merchant_id, id),
      foreign key (merchant_id, sku_id) references skus(merchant_id, id)
    )`,
    `create table orders (
      id text primary key,
      merchant_id text not null,
      store_id text not null,
      staff_id text,
      member_id text,
      channel text not null check (channel in ('counter', 'self_service')),
      status text not null check (status in ('open', 'paid', 'cancelled', 'refunded', 'partially_refunded')),
      total_fen bigint not null check (total_fen >= 0),
      business_date date not null,
      created_at timestamptz not null default now(),
      paid_at timestamptz,
      unique (merchant_id, id),
      foreign key (merchant_id, store_id) references stores(merchant_id, id)
    )`,
    `create index orders_store_day on orders (store_id, business_date)`,
    `create table order_tenders (
      id text primary key,
      merchant_id text not null,
      order_id text not null,
      store_id text not null,
      method text not null,
      amount_fen bigint not null check (amount_fen > 0),
      business_date date not null,
      created_at timestamptz not null default now(),
      foreign key (merchant_id, order_id) references orders(merchant_id, id)
    )`,
    `create index order_tenders_store_day on order_tenders (store_id, business_date)`,
    `create table audit_log (
      id bigint generated always as identity primary key,
      merchant_id text not null references merchants(id),
      actor_id text,
      action text not null,
      subject_id text,
      detail jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now()
    )`,
  ],
};
