export default definePageConfig({ navigationBarTitleText: '柜台', enablePullDownRefresh: false });
