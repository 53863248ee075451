/** Each tender's name as receipts, reports and screens print it. */
export const tenderLabels: Record<string, string> = {
  cash: '现金',
  card: '银行卡',
  ecny: '数字人民币',
  wechat: '微信支付',
  alipay: '支付宝',
  account: '赊账',
};
