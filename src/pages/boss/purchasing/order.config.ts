export default definePageConfig({ navigationBarTitleText: '采购单' });
