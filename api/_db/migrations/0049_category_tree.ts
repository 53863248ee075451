import type { Migration } from '../migrator.js';

/**
 * Categories become a tree of two levels (上衣 › T恤): a child names its
 * parent, which the API keeps a top-level category of the same merchant
 * (category_depth_max in shared/api/products.ts). The foreign key on
 * (merchant_id, parent_id) makes a parent of another merchant impossible even
 * for a write that skips the API's check. A hidden category keeps its products
 * sellable at the counter but out of the shop's public catalog.
 */
export const m0049_category_tree: Migration = {
  name: '0049_category_tree',
  up: [
    `alter table categories add column parent_id text`,
    `alter table categories add column hidden boolean not null default false`,
    `alter table categories add constraint categories_parent_fk foreign key (merchant_id, parent_id) references categories(merchant_id, id)`,
    `alter table categories add constraint categories_parent_not_self check (parent_id is null or parent_id <> id)`,
    `create index categories_merchant_parent on categories (merchant_id, parent_id, sort)`,
  ],
};
