import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { businessDate } from '../_kernel/clock.js';
import { movements_per_batch_max, recordMovements } from '../_stock/index.js';
import { postEntry } from '../_ledger/index.js';
import { opening_stock_value_fen_max } from '../../shared/api/products.js';

export interface OpeningLine {
  skuId: string;
  qty: number;
  costFen: number;
}

/** The value at cost of the opening stock, refused above opening_stock_value_fen_max before anything is written. */
export function openingValueFen(lines: readonly { qty: number; costFen: number }[]): number {
  const total = lines.reduce((sum, l) => sum + l.qty * l.costFen, 0);
  if (total > opening_stock_value_fen_max) {
    throw new AppError('validation_failed', `期初库存按进价合计不能超过 ${opening_stock_value_fen_max / 100} 元（opening_stock_value_fen_max）`, [{ path: 'skus', message: `期初库存按进价合计不能超过 ${opening_stock_value_fen_max / 100} 元（opening_stock_value_fen_max）` }]);
  }
  return total;
}

/**
 * Books the stock a product is added with (期初库存), in the transaction
 * that creates its SKUs: one `opening` movement per SKU, through the stock
 * module's ledger of movements, keyed by `opening:<event>:<sku>` so the same
 * creation cannot count it in twice. The goods are valued at the SKU's cost
 * (what the store's moving average starts from) and booked to 库存商品
 * against 实收资本: goods an owner brings into a new shop are their
 * contribution, not a gain of the month, which a stocktake's 盘盈 would make
 * them. Many lines (a catalog import's thousands) go in batches of
 * movements_per_batch_max movements, the most one call of the stock module
 * takes, under a single journal entry for the event.
 */
export async function bookOpeningStock(trx: Transaction<DB>, deps: Pick<Deps, 'clock'>, staff: StaffPrincipal, storeId: string, eventId: string, lines: readonly OpeningLine[]): Promise<void> {
  const counted = lines.filter((l) => l.qty > 0);
  if (counted.length === 0) return;
  for (let i = 0; i < counted.length; i += movements_per_batch_max) {
    await recordMovements(
      trx,
      counted
        .slice(i, i + movements_per_batch_max)
        .map((l) => ({ merchantId: staff.merchantId, storeId, skuId: l.skuId, kind: 'opening' as const, onHandDelta: l.qty, refId: eventId, idempotencyKey: `opening:${eventId}:${l.skuId}`, createdBy: staff.staffId })),
    );
  }
  const value = openingValueFen(counted);
  if (value === 0) return;
  await postEntry(trx, {
    merchantId: staff.merchantId,
    storeId,
    eventKey: `opening_stock:${eventId}`,
    businessDate: businessDate(deps.clock()),
    memo: '期初库存',
    lines: [
      { account: 'inventory', debitFen: value, memo: '期初库存' },
      { account: 'owner_equity', creditFen: value, memo: '期初库存' },
    ],
  });
}
