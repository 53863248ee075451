export default definePageConfig({ navigationBarTitleText: '新的分账规则' });
