import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { postEntry, type PostLine } from '../_ledger/index.js';
import { sellingSettings, tenderAccount } from '../_sales/index.js';

export interface GiftHandover {
  merchantId: string;
  storeId: string;
  redemptionId: string;
  skuId: string;
  qty: number;
  points: number;
  cashFen: number;
  businessDate: string;
  at: Date;
}

/**
 * The journal entry of a gift handed over, in the handover's transaction:
 * the points it took settle their liability (valued at the merchant's
 * redemption rate, as a sale's points are) and, with the cash part taken at
 * the counter in cash, are the gift's revenue; the goods leave inventory at
 * the store's cost. Zero lines are left out; the entry balances by
 * construction and is keyed by the redemption, so it is posted once.
 */
export async function postGiftHandover(trx: Transaction<DB>, g: GiftHandover): Promise<void> {
  const settings = await sellingSettings(trx, g.merchantId, g.storeId);
  const pointsValueFen = Math.floor(g.points / settings.redeemPointsPerFen);
  // The store's moving-average cost where purchasing keeps one, else the catalog's cost, as a sale's cost is taken.
  const cost = await trx
    .selectFrom('skus')
    .leftJoin('sku_store_costs as c', (j) => j.onRef('c.sku_id', '=', 'skus.id').on('c.store_id', '=', g.storeId))
    .select((eb) => eb.fn.coalesce('c.avg_cost_fen', 'skus.cost_fen').as('cost_fen'))
    .where('skus.id', '=', g.skuId)
    .where('skus.merchant_id', '=', g.merchantId)
    .executeTakeFirstOrThrow();
  const costFen = Number(cost.cost_fen) * g.qty;
  const all: PostLine[] = [
    { account: 'points_liability', debitFen: pointsValueFen, memo: '积分兑换礼品' },
    { account: tenderAccount('cash'), debitFen: g.cashFen, memo: '礼品加价' },
    { account: 'sales_revenue', creditFen: pointsValueFen + g.cashFen, memo: '积分商城礼品' },
    { account: 'cost_of_goods', debitFen: costFen, memo: '积分商城礼品' },
    { account: 'inventory', creditFen: costFen, memo: '积分商城礼品' },
  ];
  const lines = all.filter((l) => (l.debitFen ?? 0) > 0 || (l.creditFen ?? 0) > 0);
  if (lines.length < 2) return;
  await postEntry(trx, { merchantId: g.merchantId, storeId: g.storeId, eventKey: `mall_gift:${g.redemptionId}`, businessDate: g.businessDate, occurredAt: g.at, memo: '积分商城礼品领取', lines });
}
