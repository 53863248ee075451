export default definePageConfig({ navigationBarTitleText: '退货与改价审批' });
