import type { ReportColumn } from '../../shared/api/reports.js';
import { averageTicketFen, figureLabels, itemsPerSaleX100, netSalesFen as netOf, ratioRounded } from '../../shared/figures.js';

export { ratioRounded };

/** Sums as the order rollup holds them. */
export interface OrderSums {
  orders: number;
  salesFen: number;
  refundFen: number;
  items: number;
  returnedItems: number;
  costFen: number;
  returnedCostFen: number;
}

export const zeroOrderSums: OrderSums = { orders: 0, salesFen: 0, refundFen: 0, items: 0, returnedItems: 0, costFen: 0, returnedCostFen: 0 };

export function addOrderSums(a: OrderSums, b: OrderSums): OrderSums {
  return {
    orders: a.orders + b.orders,
    salesFen: a.salesFen + b.salesFen,
    refundFen: a.refundFen + b.refundFen,
    items: a.items + b.items,
    returnedItems: a.returnedItems + b.returnedItems,
    costFen: a.costFen + b.costFen,
    returnedCostFen: a.returnedCostFen + b.returnedCostFen,
  };
}

export const orderColumns: ReportColumn[] = [
  { key: 'orderCount', title: '单数', kind: 'int' },
  { key: 'salesFen', title: '销售额', kind: 'fen' },
  { key: 'refundFen', title: '退款额', kind: 'fen' },
  { key: 'netSalesFen', title: '净销售额', kind: 'fen' },
  { key: 'netQty', title: '净销量(件)', kind: 'int' },
  { key: 'avgTicketFen', title: '客单价', kind: 'fen' },
  { key: 'itemsPerSaleX100', title: '客件数', kind: 'x100' },
  { key: 'costFen', title: '销售成本', kind: 'fen' },
  { key: 'marginFen', title: '毛利', kind: 'fen' },
  { key: 'marginBp', title: '毛利率', kind: 'bp' },
];

/**
 * The sales figures as `shared/figures.ts` defines them (客单价 and 客件数 per
 * sale before returns); the margin is net sales less the net cost of the goods.
 */
export function orderMeasures(s: OrderSums) {
  const netSalesFen = netOf(s.salesFen, s.refundFen);
  const costFen = s.costFen - s.returnedCostFen;
  const marginFen = netSalesFen - costFen;
  return {
    orderCount: s.orders,
    salesFen: s.salesFen,
    refundFen: s.refundFen,
    netSalesFen,
    netQty: s.items - s.returnedItems,
    avgTicketFen: averageTicketFen(s.salesFen, s.orders),
    itemsPerSaleX100: itemsPerSaleX100(s.items, s.orders),
    costFen,
    marginFen,
    marginBp: ratioRounded(marginFen, netSalesFen, 10_000),
  };
}

/** Sums as the SKU rollups hold them: goods at their line amounts. */
export interface GoodsSums {
  soldQty: number;
  soldFen: number;
  soldCostFen: number;
  returnedQty: number;
  returnedFen: number;
  returnedCostFen: number;
}

export const zeroGoodsSums: GoodsSums = { soldQty: 0, soldFen: 0, soldCostFen: 0, returnedQty: 0, returnedFen: 0, returnedCostFen: 0 };

export function addGoodsSums(a: GoodsSums, b: GoodsSums): GoodsSums {
  return {
    soldQty: a.soldQty + b.soldQty,
    soldFen: a.soldFen + b.soldFen,
    soldCostFen: a.soldCostFen + b.soldCostFen,
    returnedQty: a.returnedQty + b.returnedQty,
    returnedFen: a.returnedFen + b.returnedFen,
    returnedCostFen: a.returnedCostFen + b.returnedCostFen,
  };
}

export const goodsColumns: ReportColumn[] = [
  { key: 'netQty', title: '净销量(件)', kind: 'int' },
  { key: 'soldFen', title: figureLabels.goodsSoldFen, kind: 'fen' },
  { key: 'returnedFen', title: '退货额', kind: 'fen' },
  { key: 'netSalesFen', title: figureLabels.goodsNetSalesFen, kind: 'fen' },
  { key: 'costFen', title: '销售成本', kind: 'fen' },
  { key: 'marginFen', title: '毛利', kind: 'fen' },
  { key: 'marginBp', title: '毛利率', kind: 'bp' },
];

/** Goods are counted at their line amounts after discounts (order-level points and rounding are not spread over lines): 商品净销售额 in `shared/figures.ts`. */
export function goodsMeasures(s: GoodsSums) {
  const netSalesFen = s.soldFen - s.returnedFen;
  const costFen = s.soldCostFen - s.returnedCostFen;
  const marginFen = netSalesFen - costFen;
  return {
    netQty: s.soldQty - s.returnedQty,
    soldFen: s.soldFen,
    returnedFen: s.returnedFen,
    netSalesFen,
    costFen,
    marginFen,
    marginBp: ratioRounded(marginFen, netSalesFen, 10_000),
  };
}

export const tenderColumns: ReportColumn[] = [
  { key: 'tender', title: '收款方式', kind: 'text' },
  { key: 'takenCount', title: '收款笔数', kind: 'int' },
  { key: 'takenFen', title: '收款额', kind: 'fen' },
  { key: 'refundCount', title: '退款笔数', kind: 'int' },
  { key: 'refundedFen', title: '退款额', kind: 'fen' },
  { key: 'netFen', title: '净收款', kind: 'fen' },
];
