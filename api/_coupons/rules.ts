import type { Selectable } from 'kysely';
import type { CouponRule } from '../../shared/pricing/types.js';
import type { CouponTemplatesTable } from './tables.js';

type Template = Pick<Selectable<CouponTemplatesTable>, 'name' | 'kind' | 'min_spend_fen' | 'off_fen' | 'off_bp' | 'cap_fen' | 'free_sku_id' | 'category_ids' | 'sku_ids'>;

function yuan(fen: number): string {
  const y = fen / 100;
  return Number.isInteger(y) ? String(y) : y.toFixed(2);
}

/** 八五折 for 1500 bp off, 7.5折 where it is not a whole 折. */
function zhe(offBp: number): string {
  const tenths = (10_000 - offBp) / 1000;
  return `${Number.isInteger(tenths * 10) ? String(tenths) : tenths.toFixed(2)}折`;
}

/** What a template gives, in the words a shopper reads: 满100减10, 无门槛减5, 8.5折 最多减20, 满50赠 可乐. */
export function templateSummary(t: Template, freeItemName?: string): string {
  const threshold = t.min_spend_fen > 0 ? `满${yuan(t.min_spend_fen)}` : '无门槛';
  if (t.kind === 'amount_off') return `${threshold}减${yuan(t.off_fen ?? 0)}`;
  if (t.kind === 'percent_off') return `${t.min_spend_fen > 0 ? threshold : ''}${zhe(t.off_bp ?? 0)}${t.cap_fen ? ` 最多减${yuan(t.cap_fen)}` : ''}`;
  return `${t.min_spend_fen > 0 ? threshold : ''}赠 ${freeItemName ?? '指定商品'} 1件`;
}

/** The engine's rule for one coupon of this template: the coupon's id, so each fen it takes is attributed to it. */
export function couponRuleOf(couponId: string, t: Template): CouponRule {
  const skuIds = t.sku_ids;
  const categoryIds = t.category_ids;
  const scope = skuIds.length + categoryIds.length > 0 ? { scope: { ...(skuIds.length ? { skuIds } : {}), ...(categoryIds.length ? { categoryIds } : {}) } } : {};
  const base = { id: couponId, name: t.name, minSpendFen: t.min_spend_fen, ...scope };
  if (t.kind === 'amount_off') return { ...base, kind: 'amount_off', offFen: t.off_fen ?? 0 };
  if (t.kind === 'percent_off') return { ...base, kind: 'percent_off', bp: t.off_bp ?? 0, ...(t.cap_fen ? { capFen: t.cap_fen } : {}) };
  return { ...base, kind: 'free_item', skuId: t.free_sku_id ?? '' };
}
