export default definePageConfig({ navigationBarTitleText: '新建调拨' });
