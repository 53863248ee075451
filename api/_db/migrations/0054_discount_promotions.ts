import type { Migration } from '../migrator.js';

/**
 * 限时折扣 (#15): a promotion may now be a percentage off the lines in its
 * scope. Its rule lives in the definition JSON like the other kinds'; only
 * the kind's check needs to let it in.
 */
export const m0054_discount_promotions: Migration = {
  name: '0054_discount_promotions',
  up: [
    `alter table promotions drop constraint if exists promotions_kind_check`,
    `alter table promotions add constraint promotions_kind_check check (kind in ('threshold', 'bundle', 'discount'))`,
  ],
};
