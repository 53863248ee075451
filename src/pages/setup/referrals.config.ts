export default definePageConfig({ navigationBarTitleText: '老带新邀请' });
