export default definePageConfig({ navigationBarTitleText: '促销活动' });
