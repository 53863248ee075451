export default definePageConfig({ navigationBarTitleText: '预约取货' });
