export default definePageConfig({ navigationBarTitleText: '收款提醒与退款', enablePullDownRefresh: true });
