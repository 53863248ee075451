export default definePageConfig({ navigationBarTitleText: '客户对账', enablePullDownRefresh: true });
