export default definePageConfig({ navigationBarTitleText: '限额与预警' });
