export default definePageConfig({ navigationBarTitleText: '分账', enablePullDownRefresh: true });
