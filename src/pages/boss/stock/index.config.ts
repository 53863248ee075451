export default definePageConfig({ navigationBarTitleText: '库存作业', enablePullDownRefresh: true });
