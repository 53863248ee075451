import type { SkuSummary } from '../../../../shared/api/catalog';
import { cart_line_qty_max } from '../../../services/cart';

/** One spec attribute (颜色, 尺码…) with its values in the order the SKUs list them. */
export interface SpecDimension {
  name: string;
  values: string[];
}

/** A chosen value per dimension; a dimension not yet chosen is absent. */
export type SpecChoice = Readonly<Record<string, string>>;

export function specDimensions(skus: readonly SkuSummary[]): SpecDimension[] {
  const dims: SpecDimension[] = [];
  for (const sku of skus) {
    for (const [name, value] of Object.entries(sku.spec)) {
      let dim = dims.find((d) => d.name === name);
      if (!dim) {
        dim = { name, values: [] };
        dims.push(dim);
      }
      if (!dim.values.includes(value)) dim.values.push(value);
    }
  }
  return dims;
}

function matches(sku: SkuSummary, choice: SpecChoice): boolean {
  return Object.entries(choice).every(([name, value]) => sku.spec[name] === value);
}

/** The SKU the choice names, once every dimension is chosen; a single-SKU product needs no choice. */
export function chosenSku(skus: readonly SkuSummary[], choice: SpecChoice): SkuSummary | null {
  const dims = specDimensions(skus);
  if (dims.some((d) => choice[d.name] === undefined)) return null;
  return skus.find((s) => matches(s, choice)) ?? null;
}

export type OptionState = 'chosen' | 'open' | 'sold_out' | 'none';

/**
 * What choosing `value` for `dimension` would lead to, given the other choices:
 * `none` when no SKU has that combination, `sold_out` when every such SKU is out of stock.
 */
export function optionState(skus: readonly SkuSummary[], choice: SpecChoice, dimension: string, value: string): OptionState {
  if (choice[dimension] === value) return 'chosen';
  const rest: Record<string, string> = { ...choice, [dimension]: value };
  const candidates = skus.filter((s) => matches(s, rest));
  if (candidates.length === 0) return 'none';
  return candidates.some((s) => s.available > 0) ? 'open' : 'sold_out';
}

/**
 * Chooses a value; a choice of another dimension that no SKU combines with it is dropped,
 * and choosing the chosen value again clears it.
 */
export function choose(skus: readonly SkuSummary[], choice: SpecChoice, dimension: string, value: string): SpecChoice {
  if (choice[dimension] === value) {
    const { [dimension]: _dropped, ...rest } = choice;
    return rest;
  }
  const next: Record<string, string> = { ...choice, [dimension]: value };
  for (const name of Object.keys(next)) {
    if (name === dimension) continue;
    const combined = skus.some((s) => s.spec[dimension] === value && s.spec[name] === next[name]);
    if (!combined) delete next[name];
  }
  return next;
}

/** Opens on the cheapest SKU in stock (the price the list showed), or the cheapest at all. */
export function initialChoice(skus: readonly SkuSummary[]): SpecChoice {
  const byPrice = [...skus].sort((a, b) => a.retailPriceFen - b.retailPriceFen);
  const sku = byPrice.find((s) => s.available > 0) ?? byPrice[0];
  return sku ? { ...sku.spec } : {};
}

/** How many the shopper may put in the cart at once: what the store has, within the cart's line limit. */
export function qtyMax(sku: SkuSummary | null): number {
  if (!sku || sku.available <= 0) return 0;
  return Math.min(sku.available, cart_line_qty_max);
}

export function clampQty(qty: number, max: number): number {
  if (max <= 0) return 0;
  return Math.min(max, Math.max(1, Math.floor(qty)));
}

/** Spec values joined for a cart line, in dimension order: "红 M". */
export function specText(sku: SkuSummary): string {
  return Object.values(sku.spec).join(' ');
}

/** Shown beside the retail price only when members actually pay less. */
export function memberSaving(sku: SkuSummary): boolean {
  return sku.memberPriceFen < sku.retailPriceFen;
}

export const stock_low_threshold_units = 5;

export function stockText(sku: SkuSummary | null): string {
  if (!sku) return '请选择规格';
  if (sku.available <= 0) return '暂时缺货';
  if (sku.available <= stock_low_threshold_units) return `仅剩 ${sku.available} 件`;
  return `库存 ${sku.available} 件`;
}
