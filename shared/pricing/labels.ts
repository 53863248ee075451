import type { AdjustmentSource } from './types.js';

/** Receipts print labels up to this many characters. */
export const adjustment_label_length_max = 32;

const kindLabels: Readonly<Record<AdjustmentSource['kind'], string>> = {
  member_price: '会员价',
  member_level: '会员折扣',
  line_discount: '单品优惠',
  order_discount: '整单优惠',
  threshold: '满减',
  bundle: '套餐',
  discount: '折扣',
  points: '积分抵扣',
  cash_rounding: '抹零',
  coupon: '优惠券',
};

/**
 * "会员价", "满减·满300减30", "单品优惠·临期": the kind, then the rule's name or
 * the assistant's reason. The counter's preview, the order view and the
 * receipt all label adjustments with this, so they read the same.
 */
export function adjustmentLabel(source: AdjustmentSource, ruleNames: ReadonlyMap<string, string>): string {
  const base = kindLabels[source.kind];
  const detail = (source.ruleId && ruleNames.get(source.ruleId)) || source.reason;
  return (detail ? `${base}·${detail}` : base).slice(0, adjustment_label_length_max);
}

/** Adjustments that belong to one line only; the rest are order-level and allocated to the lines. */
export const lineLevelKinds: ReadonlySet<AdjustmentSource['kind']> = new Set(['member_price', 'line_discount']);
