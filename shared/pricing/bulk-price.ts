import { bp_whole, mulDivRem } from './rounding.js';

/**
 * Bulk price change (批量调价): the arithmetic the server applies and the
 * client previews with, so the preview the owner sees is the change made.
 *
 * Rounding rule, named: `bulk_price_rounding` — a percentage change is
 * rounded to the fen, halves away from zero (四舍五入到分), on the size of
 * the change; an amount change is exact. A price never goes below 0, and a
 * member price never above the (new) retail price: it is lowered to it.
 */
export const bulk_price_rounding = 'fen_half_away_from_zero' as const;

/** The largest rise in basis points (+1000%); beyond it a typo is likelier than a plan. */
export const bulk_price_bp_max = 100_000;
/** The largest cut in basis points (−100%, which makes the price 0). */
export const bulk_price_bp_min = -bp_whole;
/** The largest change by amount either way, in fen (¥100,000). */
export const bulk_price_amount_fen_max = 10_000_000;

export type PriceField = 'retail' | 'member';
export type BulkChange = { kind: 'percent'; bp: number } | { kind: 'amount'; fen: number };

export interface BulkPriceInput {
  skuId: string;
  retailPriceFen: number;
  memberPriceFen: number;
  costFen: number;
}

export type BulkPriceWarning = 'below_cost' | 'clamped_at_zero' | 'member_lowered_to_retail';

export interface BulkPriceRow {
  skuId: string;
  before: { retailPriceFen: number; memberPriceFen: number };
  after: { retailPriceFen: number; memberPriceFen: number };
  warnings: BulkPriceWarning[];
}

export const bulk_price_warning_labels: Readonly<Record<BulkPriceWarning, string>> = {
  below_cost: '低于成本价',
  clamped_at_zero: '已调到 0，不能为负',
  member_lowered_to_retail: '会员价已降到零售价',
};

/** One price after the change, before clamping: may be negative. */
export function changedPrice(priceFen: number, change: BulkChange): number {
  if (change.kind === 'amount') return priceFen + change.fen;
  const magnitude = Math.abs(change.bp);
  // The quotient and remainder of p × |bp| / whole: a remainder of half or more rounds the change up, away from zero.
  const { quotient, remainder } = mulDivRem(priceFen, magnitude, bp_whole);
  const delta = quotient + (remainder * 2 >= bp_whole ? 1 : 0);
  return change.bp >= 0 ? priceFen + delta : priceFen - delta;
}

/** The new prices of one SKU, with what the owner should know about them. */
export function bulkPriceRow(sku: BulkPriceInput, change: BulkChange, fields: readonly PriceField[]): BulkPriceRow {
  const warnings: BulkPriceWarning[] = [];
  const apply = (field: PriceField, old: number): number => {
    if (!fields.includes(field)) return old;
    const next = changedPrice(old, change);
    if (next < 0) {
      if (!warnings.includes('clamped_at_zero')) warnings.push('clamped_at_zero');
      return 0;
    }
    return next;
  };
  const retail = apply('retail', sku.retailPriceFen);
  let member = apply('member', sku.memberPriceFen);
  if (member > retail) {
    member = retail;
    warnings.push('member_lowered_to_retail');
  }
  if (retail < sku.costFen || member < sku.costFen) warnings.push('below_cost');
  return {
    skuId: sku.skuId,
    before: { retailPriceFen: sku.retailPriceFen, memberPriceFen: sku.memberPriceFen },
    after: { retailPriceFen: retail, memberPriceFen: member },
    warnings,
  };
}

export function bulkPriceRows(skus: readonly BulkPriceInput[], change: BulkChange, fields: readonly PriceField[]): BulkPriceRow[] {
  return skus.map((s) => bulkPriceRow(s, change, fields));
}
