export default definePageConfig({ navigationBarTitleText: '储值方案与退款' });
