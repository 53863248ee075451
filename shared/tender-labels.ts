/**
 * Each tender's name as receipts, reports and screens print it: the one
 * table, so a new tender gets its Chinese name everywhere at once. The
 * platform payment modes some older rows and reports carry are named as
 * their platform.
 */
export const tenderLabels: Readonly<Record<string, string>> = {
  cash: '现金',
  card: '银行卡',
  ecny: '数字人民币',
  wechat: '微信支付',
  wechat_jsapi: '微信支付',
  wechat_code: '微信支付',
  wechat_native: '微信支付',
  alipay: '支付宝',
  alipay_code: '支付宝',
  alipay_qr: '支付宝',
  account: '赊账',
  on_account: '赊账',
  points: '积分',
  stored_value: '储值',
};

/** The name a shopkeeper knows a tender by; an unknown tender shows as sent. */
export function tenderLabel(method: string): string {
  return tenderLabels[method] ?? method;
}
