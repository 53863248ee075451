export default definePageConfig({ navigationBarTitleText: '支付轨迹' });
