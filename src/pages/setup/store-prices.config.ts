export default definePageConfig({ navigationBarTitleText: '门店价格' });
