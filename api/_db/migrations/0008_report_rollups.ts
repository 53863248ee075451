import type { Migration } from '../migrator.js';

/**
 * Sales pre-aggregated per store and business day, kept in the same
 * transaction as the sale or the return that changes them (api/_reports/rollups.ts),
 * so a year of reports reads thousands of rows instead of millions. A return
 * counts on the business day it completed, in the return's store, against the
 * original sale's assistant and channel. The SKU figures are also kept per
 * month, so a long period reads whole months from there.
 */
export const m0008_report_rollups: Migration = {
  name: '0008_report_rollups',
  up: [
    `create table report_order_daily (
      merchant_id text not null,
      store_id text not null,
      business_date date not null,
      staff_id text not null,
      channel text not null,
      order_count bigint not null default 0,
      order_fen bigint not null default 0,
      item_qty bigint not null default 0,
      goods_fen bigint not null default 0,
      cost_fen bigint not null default 0,
      return_count bigint not null default 0,
      returned_qty bigint not null default 0,
      returned_fen bigint not null default 0,
      returned_cost_fen bigint not null default 0,
      primary key (store_id, business_date, staff_id, channel)
    )`,
    `create index report_order_daily_merchant on report_order_daily (merchant_id, business_date)`,
    `create table report_sku_daily (
      merchant_id text not null,
      store_id text not null,
      business_date date not null,
      sku_id text not null,
      category_id text not null,
      sold_qty bigint not null default 0,
      sold_fen bigint not null default 0,
      sold_cost_fen bigint not null default 0,
      returned_qty bigint not null default 0,
      returned_fen bigint not null default 0,
      returned_cost_fen bigint not null default 0,
      primary key (store_id, business_date, sku_id, category_id)
    )`,
    // A period of a few days over many stores reads by day first.
    `create index report_sku_daily_merchant_day on report_sku_daily (merchant_id, business_date)`,
    `create table report_sku_monthly (
      merchant_id text not null,
      store_id text not null,
      month date not null check (extract(day from month) = 1),
      sku_id text not null,
      category_id text not null,
      sold_qty bigint not null default 0,
      sold_fen bigint not null default 0,
      sold_cost_fen bigint not null default 0,
      returned_qty bigint not null default 0,
      returned_fen bigint not null default 0,
      returned_cost_fen bigint not null default 0,
      primary key (store_id, month, sku_id, category_id)
    )`,
    // The same SKU figures over all of a merchant's stores: the owner's usual
    // view reads one row per SKU and day (or month) instead of one per store.
    `create table report_sku_daily_all (
      merchant_id text not null,
      business_date date not null,
      sku_id text not null,
      category_id text not null,
      sold_qty bigint not null default 0,
      sold_fen bigint not null default 0,
      sold_cost_fen bigint not null default 0,
      returned_qty bigint not null default 0,
      returned_fen bigint not null default 0,
      returned_cost_fen bigint not null default 0,
      primary key (merchant_id, business_date, sku_id, category_id)
    )`,
    `create table report_sku_monthly_all (
      merchant_id text not null,
      month date not null check (extract(day from month) = 1),
      sku_id text not null,
      category_id text not null,
      sold_qty bigint not null default 0,
      sold_fen bigint not null default 0,
      sold_cost_fen bigint not null default 0,
      returned_qty bigint not null default 0,
      returned_fen bigint not null default 0,
      returned_cost_fen bigint not null default 0,
      primary key (merchant_id, month, sku_id, category_id)
    )`,
    `create table report_tender_daily (
      merchant_id text not null,
      store_id text not null,
      business_date date not null,
      method text not null,
      taken_count bigint not null default 0,
      taken_fen bigint not null default 0,
      refund_count bigint not null default 0,
      refunded_fen bigint not null default 0,
      primary key (store_id, business_date, method)
    )`,
  ],
};
