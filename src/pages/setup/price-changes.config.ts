export default definePageConfig({ navigationBarTitleText: '批量调价' });
