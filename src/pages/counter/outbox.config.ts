export default definePageConfig({ navigationBarTitleText: '离线单' });
