/**
 * Method, path and auth of the routes in `shop-routes.ts`, without their
 * schemas: the mini-program's main package pairs these with its own light
 * copies of the response schemas (src/services/shop-schemas.ts) and so does
 * not load the API's zod schemas at all.
 */
export const shopRouteSpecs = {
  publicStore: { method: 'GET', path: '/api/public/stores/:code', auth: 'public' },
  publicCategories: { method: 'GET', path: '/api/public/stores/:code/categories', auth: 'public' },
  publicProducts: { method: 'GET', path: '/api/public/stores/:code/products', auth: 'public' },
  publicProduct: { method: 'GET', path: '/api/public/stores/:code/products/:productId', auth: 'public' },
  staffLogin: { method: 'POST', path: '/api/auth/staff/login', auth: 'public' },
  staffBind: { method: 'POST', path: '/api/auth/staff/bind', auth: 'public' },
  shopperLogin: { method: 'POST', path: '/api/auth/shopper/login', auth: 'public' },
  me: { method: 'GET', path: '/api/me', auth: 'session' },
  pricingContext: { method: 'GET', path: '/api/stores/:storeId/pricing-context', auth: 'session' },
  payment: { method: 'GET', path: '/api/payments/:paymentId', auth: 'session' },
  shopCreateOrder: { method: 'POST', path: '/api/shop/orders', auth: 'member' },
  shopOrder: { method: 'GET', path: '/api/shop/orders/:orderId', auth: 'member' },
  shopPay: { method: 'POST', path: '/api/shop/orders/:orderId/pay', auth: 'member' },
} as const;
