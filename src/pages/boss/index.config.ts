export default definePageConfig({ navigationBarTitleText: '老板看板', enablePullDownRefresh: true });
