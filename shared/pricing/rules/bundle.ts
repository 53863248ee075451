import { divFloor } from '../rounding.js';
import { addOrderAdjustment, sourceOf, type PricingLedger, type WorkingLine } from '../ledger.js';
import type { BundleRule } from '../types.js';

interface Candidate {
  rule: BundleRule;
  times: number;
  savingFen: number;
}

/**
 * Step 2. Fixed-price bundles, greedily: of the bundles that fit the units
 * still free and save money, take the one saving most per set (ties to the
 * earlier rule), apply it as many times as the units allow, and look again.
 * Every line of a SKU has the same price (validate.ts), so a set saves the
 * same whichever lines its units come from; units are taken from lines in
 * index order. A bundle that costs more than its parts is never applied.
 * Returns each line's units no set took, which 限时折扣 may still discount.
 */
export function applyBundles(ledger: PricingLedger, bundles: readonly BundleRule[]): number[] {
  const freeQty = ledger.lines.map((l) => l.input.qty);
  if (bundles.length === 0) return freeQty;
  const linesBySku = new Map<string, WorkingLine[]>();
  for (const line of ledger.lines) {
    const list = linesBySku.get(line.input.skuId) ?? [];
    list.push(line);
    linesBySku.set(line.input.skuId, list);
  }
  const freeUnits = (skuId: string): number => (linesBySku.get(skuId) ?? []).reduce((n, l) => n + (freeQty[l.lineIndex] ?? 0), 0);
  const unitPrice = (skuId: string): number => linesBySku.get(skuId)?.[0]?.unitPriceFen ?? 0;

  // Each pass uses up one rule for good (one of its SKUs runs short), so this ends.
  for (;;) {
    let best: Candidate | undefined;
    for (const rule of bundles) {
      const times = Math.min(...rule.items.map((item) => divFloor(freeUnits(item.skuId), item.qty)));
      if (times < 1) continue;
      // The set fits in the order, so its value is at most the subtotal: a safe integer.
      const valueFen = rule.items.reduce((sum, item) => sum + item.qty * unitPrice(item.skuId), 0);
      const savingFen = valueFen - rule.priceFen;
      if (savingFen > 0 && (best === undefined || savingFen > best.savingFen)) best = { rule, times, savingFen };
    }
    if (best === undefined) return freeQty;

    const weights = ledger.lines.map(() => 0);
    for (const item of best.rule.items) {
      let units = item.qty * best.times;
      for (const line of linesBySku.get(item.skuId) ?? []) {
        const take = Math.min(units, freeQty[line.lineIndex] ?? 0);
        freeQty[line.lineIndex] = (freeQty[line.lineIndex] ?? 0) - take;
        weights[line.lineIndex] = (weights[line.lineIndex] ?? 0) + take * line.unitPriceFen;
        units -= take;
      }
    }
    addOrderAdjustment(ledger, sourceOf('bundle', best.rule.id, best.rule.name), best.savingFen * best.times, weights);
  }
}
