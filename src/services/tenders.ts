const labels: Readonly<Record<string, string>> = {
  cash: '现金',
  wechat: '微信',
  wechat_jsapi: '微信',
  wechat_code: '微信',
  wechat_native: '微信',
  alipay: '支付宝',
  alipay_code: '支付宝',
  alipay_qr: '支付宝',
  card: '银行卡',
  on_account: '挂账',
  account: '赊账',
  points: '积分',
};

/** The name a shopkeeper knows a tender by; an unknown tender shows as sent. */
export function tenderLabel(tender: string): string {
  return labels[tender] ?? tender;
}
