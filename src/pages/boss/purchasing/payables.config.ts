export default definePageConfig({ navigationBarTitleText: '应付账款', enablePullDownRefresh: true });
