export default definePageConfig({ navigationBarTitleText: '商贸客户与应收', enablePullDownRefresh: true });
