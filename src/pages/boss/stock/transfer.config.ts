export default definePageConfig({ navigationBarTitleText: '调拨单' });
