export default definePageConfig({ navigationBarTitleText: '试算平衡表', enablePullDownRefresh: true });
