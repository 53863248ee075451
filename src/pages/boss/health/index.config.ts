export default definePageConfig({ navigationBarTitleText: '库存健康度', enablePullDownRefresh: true });
