export default definePageConfig({ navigationBarTitleText: '对账结果', enablePullDownRefresh: true });
