export default definePageConfig({ navigationBarTitleText: '新建采购单' });
