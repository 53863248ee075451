/**
 * One figure, one number: every figure that more than one screen shows is
 * defined here once, with its formula, and computed on the server in one
 * place (named beside each), so the boss home, the reports, 业绩与提成 and
 * 库存健康度 cannot disagree. Money is integer fen; ratios are rounded half
 * away from zero in integers.
 *
 * Sales figures (server: `api/_reports/figures.ts`, over the order rollup):
 * - 单数 (orderCount): sales billed in the period (paid, partially or fully
 *   refunded later). A refund does not unbill a sale; it is counted as a
 *   refund on the day it completes.
 * - 销售额 (salesFen): Σ order totals of those sales, i.e. what customers
 *   paid: after line and order discounts, points and 抹零.
 * - 退款额 (refundFen): Σ goods amounts of returns completed in the period
 *   (whenever the goods were sold), against the sale's store, assistant and
 *   channel.
 * - 净销售额 / 实收 (netSalesFen): 销售额 − 退款额. The boss home calls it the
 *   day's takings (实收).
 * - 客单价 (avgTicketFen): 销售额 ÷ 单数, before returns. Returns are kept out
 *   of it on purpose: a return today of last week's sale would otherwise
 *   lower (even make negative) today's average ticket, and a figure for
 *   "how much a customer spends per visit" must not depend on when goods
 *   come back.
 * - 客件数 (itemsPerSaleX100): pieces sold ÷ 单数, before returns, in hundredths.
 * - 商品销售额 / 商品净销售额 (goods): Σ line amounts after line and order
 *   discounts, less the returned lines' amounts. Points and 抹零 are taken off
 *   the order, not spread over its lines, so this differs from 净销售额 by
 *   them; it is the basis of the category, SKU and best/slow reports and of
 *   commission (rules are per category and SKU), and is never labelled
 *   净销售额. Server: `api/_reports/measures.ts` goodsMeasures over the SKU
 *   rollups; `api/_commission` over the lines for statements.
 *
 * Stock figures (server: `api/_inventory-health`, `api/_reports` slow sellers):
 * - 库存 (onHand): pieces on hand now (never below zero in a value).
 * - 库存金额 (stockValueFen): max(库存, 0) × the SKU's unit cost, now or at
 *   the end of a period (期末库存金额).
 * - 平均库存 (averageInventoryFen): Σ over the period's days of the
 *   end-of-day 库存金额 ÷ days. It is an average over days, so a SKU's
 *   期末库存金额 may well exceed the store's 平均库存 when stock arrived late
 *   in the period.
 * - 滞销库存 (slowValueFen): 期末库存金额 of the SKUs with no sale in the last
 *   N days (formerly 压货成本 on one screen).
 */

/** num ÷ den × scale rounded half away from zero, in integers (BigInt, so large sums stay exact); 0 when den is 0. */
export function ratioRounded(num: number, den: number, scale: number): number {
  if (den === 0) return 0;
  const n = BigInt(num) * BigInt(scale);
  const d = BigInt(den);
  const neg = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (an * 2n + ad) / (ad * 2n);
  return Number(neg ? -q : q);
}

/** 客单价 = 销售额 ÷ 单数, before returns. */
export function averageTicketFen(salesFen: number, orderCount: number): number {
  return ratioRounded(salesFen, orderCount, 1);
}

/** 客件数 × 100 = pieces sold × 100 ÷ 单数, before returns. */
export function itemsPerSaleX100(items: number, orderCount: number): number {
  return ratioRounded(items, orderCount, 100);
}

/** 净销售额 = 销售额 − 退款额. */
export function netSalesFen(salesFen: number, refundFen: number): number {
  return salesFen - refundFen;
}

/** 库存金额 = max(库存, 0) × unit cost. */
export function stockValueFen(onHand: number, unitCostFen: number): number {
  return Math.max(0, onHand) * unitCostFen;
}

/** 平均库存 = Σ end-of-day 库存金额 ÷ days, in fen (fractional; round only to show it). */
export function averageInventoryFen(inventoryFenDays: number, days: number): number {
  return inventoryFenDays / days;
}

/** The words for these figures, so every screen says the same thing for the same formula. */
export const figureLabels = {
  orderCount: '单数',
  salesFen: '销售额',
  refundFen: '退款额',
  netSalesFen: '净销售额',
  takingsFen: '实收',
  goodsSoldFen: '商品销售额',
  goodsNetSalesFen: '商品净销售额',
  avgTicketFen: '客单价',
  itemsPerSaleX100: '客件数',
  onHand: '库存',
  stockValueFen: '库存金额',
  endValueFen: '期末库存金额',
  averageInventoryFen: '平均库存',
  slowValueFen: '滞销库存',
} as const;
