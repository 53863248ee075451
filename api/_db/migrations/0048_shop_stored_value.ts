import type { Migration } from '../migrator.js';

/**
 * A shop order may be paid partly or wholly from the member's stored value
 * (#17). The part drawn from it is taken when the order is made, as redeemed
 * points are, and kept on the order, so the platform payment is asked for
 * the rest only and a lapsed order gives back exactly what it drew.
 *
 * An order that waits for its payment also keeps the points multiplier of
 * the member's level at the time it was priced, so the points it earns when
 * paid are recorded with the multiplier they were earned at, as a counter
 * sale's are (points_ledger.multiplier_bp).
 */
export const m0048_shop_stored_value: Migration = {
  name: '0048_shop_stored_value',
  up: [
    `alter table orders add column points_multiplier_bp integer check (points_multiplier_bp > 0)`,
    `alter table orders add column stored_value_fen bigint not null default 0, add constraint orders_stored_value_within_total check (stored_value_fen >= 0 and stored_value_fen <= total_fen)`,
  ],
};
