import type { Migration } from '../migrator.js';

/**
 * The stock a product is added with (期初库存) is its own kind of movement,
 * told apart from a receipt from a supplier and from a stocktake's gain.
 * The list keeps every kind earlier migrations allow (0043 added gift_out).
 */
export const m0050_opening_stock: Migration = {
  name: '0050_opening_stock',
  up: [
    `alter table stock_movements drop constraint if exists stock_movements_kind_check`,
    `alter table stock_movements add constraint stock_movements_kind_check
      check (kind in ('receipt', 'sale', 'return', 'transfer_out', 'transfer_in', 'adjustment', 'reserve', 'release', 'purchase_receipt', 'purchase_return', 'stocktake_adjust', 'gift_out', 'opening'))`,
  ],
};
