export default definePageConfig({ navigationBarTitleText: '班次与日结' });
