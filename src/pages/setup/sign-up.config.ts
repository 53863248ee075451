export default definePageConfig({ navigationBarTitleText: '开店' });
