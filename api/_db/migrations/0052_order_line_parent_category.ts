import type { Migration } from '../migrator.js';

/**
 * An order line keeps the top-level category its category sat under when it
 * was sold, as it keeps the category itself: a promotion or coupon on 服装
 * covers 服装 › 上衣, and a return must judge a coupon's threshold with the
 * tree the sale was priced with, not as the owner has since rearranged it.
 * Null for a top-level category and for every line sold before this, which
 * was priced without the parent (so a return still judges it that way).
 */
export const m0052_order_line_parent_category: Migration = {
  name: '0052_order_line_parent_category',
  up: [`alter table order_lines add column parent_category_id text`],
};
