// Tab-bar pages must live in the main package; counter and boss load on demand.
export default defineAppConfig({
  pages: ['pages/shop/home/index', 'pages/shop/category/index', 'pages/shop/cart/index', 'pages/shop/me/index', 'pages/sign-in/index', 'pages/shop/product/index'],
  subPackages: [
    { root: 'pages/counter', pages: ['index', 'receipt', 'outbox', 'orders', 'return', 'returns'] },
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
        'reconcile/index',
        'reconcile/run',
        'reconcile/trail',
      ],
    },
  ],
  window: {
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '柜台',
    navigationBarTextStyle: 'black',
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
