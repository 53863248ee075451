export default definePageConfig({ navigationBarTitleText: '赊账' });
