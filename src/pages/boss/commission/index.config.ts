export default definePageConfig({ navigationBarTitleText: '业绩与提成', enablePullDownRefresh: true });
