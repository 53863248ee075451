import type { AdjustmentSource } from '../../shared/pricing/types';

const kindLabels: Record<AdjustmentSource['kind'], string> = {
  member_price: '会员价',
  line_discount: '单品优惠',
  order_discount: '整单优惠',
  threshold: '满减',
  bundle: '套餐',
  points: '积分抵扣',
  cash_rounding: '抹零',
};

/** A short label for a receipt or a screen: the kind, and the rule's name or the assistant's reason. */
export function adjustmentLabel(source: AdjustmentSource, ruleNames: ReadonlyMap<string, string>): string {
  const base = kindLabels[source.kind];
  const detail = (source.ruleId && ruleNames.get(source.ruleId)) || source.reason;
  return detail ? `${base}·${detail}`.slice(0, 32) : base;
}

/** Adjustments that belong to one line only; the rest are order-level and allocated. */
export const lineLevelKinds: ReadonlySet<AdjustmentSource['kind']> = new Set(['member_price', 'line_discount']);

export const tenderLabels: Record<string, string> = {
  cash: '现金',
  card: '银行卡',
  ecny: '数字人民币',
  wechat: '微信支付',
  alipay: '支付宝',
};
