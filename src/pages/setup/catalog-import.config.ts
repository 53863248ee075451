export default definePageConfig({ navigationBarTitleText: '商品导入导出' });
