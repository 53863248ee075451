// Tab-bar pages must live in the main package; counter and boss load on demand.
export default defineAppConfig({
  pages: ['pages/shop/home/index', 'pages/shop/category/index', 'pages/shop/cart/index', 'pages/shop/me/index', 'pages/sign-in/index', 'pages/shop/product/index', 'pages/shop/order/index'],
  subPackages: [
    { root: 'pages/counter', pages: ['index', 'receipt', 'outbox', 'orders', 'return', 'returns', 'reservations', 'pay', 'account', 'shift', 'pickup'] },
    { root: 'pages/receipt', pages: ['index'] },
    // A member's own screens (#17), apart from the shop's main package, which is full.
    {
      root: 'pages/member',
      pages: ['index', 'points', 'orders', 'receipt', 'reservations', 'messages', 'coupon-center', 'coupons', 'stored-value', 'mall', 'invite', 'welcome'],
    },
    // Opening and setting up a shop: apart from boss, which is near its size limit, and from the main package.
    {
      root: 'pages/setup',
      pages: [
        'sign-up', 'stores', 'staff', 'invite', 'products', 'categories', 'catalog-import', 'store-prices', 'price-changes', 'levels', 'points', 'promotions', 'limits',
        // Members (#17).
        'messages', 'coupons', 'stored-value', 'gifts', 'referrals',
      ],
    },
    {
      root: 'pages/boss',
      pages: [
        'index',
        'ledger/index',
        'purchasing/index',
        'purchasing/order',
        'purchasing/new-order',
        'purchasing/suppliers',
        'purchasing/payables',
        'purchasing/statement',
        'purchasing/reorder',
        'stock/index',
        'stock/transfer',
        'stock/transfer-new',
        'stock/stocktake',
        'stock/settings',
        'credit/index',
        'credit/customer',
        'commission/index',
        'health/index',
        'reports/index',
        'payments/index',
        'payments/list',
        'payments/trail',
        'payments/store-qr',
        'payments/setup',
        'split/index',
        'split/rule',
        'reconcile/index',
        'reconcile/run',
        'shifts/index',
      ],
    },
  ],
  window: {
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '柜台',
    navigationBarTextStyle: 'black',
    // The platforms' own bar with each page's title; on H5 it makes Taro's router draw one too (see src/components/nav-bar.h5.ts).
    navigationStyle: 'default',
    backgroundColor: '#f5f6f7',
  },
  tabBar: {
    color: '#999999',
    selectedColor: '#fa2c19',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/shop/home/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-active.png' },
      { pagePath: 'pages/shop/category/index', text: '分类', iconPath: 'assets/tab/category.png', selectedIconPath: 'assets/tab/category-active.png' },
      { pagePath: 'pages/shop/cart/index', text: '购物车', iconPath: 'assets/tab/cart.png', selectedIconPath: 'assets/tab/cart-active.png' },
      { pagePath: 'pages/shop/me/index', text: '我的', iconPath: 'assets/tab/me.png', selectedIconPath: 'assets/tab/me-active.png' },
    ],
  },
});
