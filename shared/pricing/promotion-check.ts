import type { PromotionRequest } from '../api/promotions.js';
import { isPricingError } from './errors.js';
import { checkPricingInput } from './validate.js';

export interface RuleProblem {
  /** The promotion's own field (offFen, items.1.skuId), so a form can show it next to that field. */
  path: string;
  message: string;
  code: string;
}

/**
 * The engine's own rule checks, run on a one-line order, so a rule that
 * would break pricing is refused when saved. The server and the owner's form
 * both run this, so the form shows the server's reason before sending.
 */
export function promotionRuleProblem(p: PromotionRequest): RuleProblem | null {
  const rule =
    p.kind === 'threshold'
      ? { thresholds: [{ id: 'check', minSpendFen: p.minSpendFen, offFen: p.offFen, repeat: p.repeat, ...(p.capFen !== undefined ? { capFen: p.capFen } : {}), ...(p.scope ? { scope: p.scope } : {}) }] }
      : p.kind === 'discount'
        ? { discounts: [{ id: 'check', bp: p.offBp, ...(p.scope ? { scope: p.scope } : {}) }] }
        : { bundles: [{ id: 'check', items: p.items, priceFen: p.priceFen }] };
  try {
    checkPricingInput({ lines: [{ skuId: 'sku_check', qty: 1, retailPriceFen: 100 }], cashRounding: 'none', cashTender: false, ...rule });
  } catch (e) {
    if (!isPricingError(e)) throw e;
    // The engine's bp is the request's offBp.
    return { path: (e.path ?? '(rule)').replace(/^(thresholds|bundles|discounts)\.0\./, '').replace(/^bp$/, 'offBp'), message: e.message, code: e.code };
  }
  if (p.startsAt && p.endsAt && p.startsAt >= p.endsAt) return { path: 'endsAt', message: '结束时间须晚于开始时间', code: 'rule_invalid' };
  return null;
}
