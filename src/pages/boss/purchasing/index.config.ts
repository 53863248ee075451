export default definePageConfig({ navigationBarTitleText: '采购', enablePullDownRefresh: true });
