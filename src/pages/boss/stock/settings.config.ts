export default definePageConfig({ navigationBarTitleText: '上下限与批次' });
