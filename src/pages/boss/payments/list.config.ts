export default definePageConfig({ navigationBarTitleText: '收款记录', enablePullDownRefresh: true });
