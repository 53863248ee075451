export default definePageConfig({ navigationBarTitleText: '店员开单' });
