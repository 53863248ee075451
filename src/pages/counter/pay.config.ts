export default definePageConfig({ navigationBarTitleText: '微信 / 支付宝收款' });
