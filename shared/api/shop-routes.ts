import { z } from 'zod';
import { categoriesResponse, productPage, productSummary } from './catalog.js';
import { shopperLoginRequest, shopperSession, staffBindRequest, staffLoginRequest, staffSession, storeSummary } from './identity.js';
import { checkoutResponse, orderView, pricingContextResponse } from './orders.js';
import { paymentResponse, shopOrderRequest, shopPaymentRequest } from './payments.js';
import type { RouteDef } from './route-def.js';

/**
 * The routes the mini-program's main package calls: the shop's pages and the
 * staff sign-in page. They are part of the full table in `routes.ts`; they are
 * kept apart so the main package, which shoppers download first, carries only
 * these schemas and not those of the counter and boss APIs.
 */
export const shopRoutes = {
  publicStore: { method: 'GET', path: '/api/public/stores/:code', response: storeSummary.extend({ merchantName: storeSummary.shape.name }), auth: 'public' },
  publicCategories: { method: 'GET', path: '/api/public/stores/:code/categories', response: categoriesResponse, auth: 'public' },
  publicProducts: { method: 'GET', path: '/api/public/stores/:code/products', response: productPage, auth: 'public' },
  publicProduct: { method: 'GET', path: '/api/public/stores/:code/products/:productId', response: z.object({ product: productSummary }), auth: 'public' },
  staffLogin: { method: 'POST', path: '/api/auth/staff/login', body: staffLoginRequest, response: staffSession, auth: 'public' },
  staffBind: { method: 'POST', path: '/api/auth/staff/bind', body: staffBindRequest, response: staffSession, auth: 'public' },
  shopperLogin: { method: 'POST', path: '/api/auth/shopper/login', body: shopperLoginRequest, response: shopperSession, auth: 'public' },
  pricingContext: { method: 'GET', path: '/api/stores/:storeId/pricing-context', response: pricingContextResponse, auth: 'session' },
  payment: { method: 'GET', path: '/api/payments/:paymentId', response: paymentResponse, auth: 'session' },
  shopCreateOrder: { method: 'POST', path: '/api/shop/orders', body: shopOrderRequest, response: checkoutResponse, auth: 'member' },
  shopOrder: { method: 'GET', path: '/api/shop/orders/:orderId', response: z.object({ order: orderView }), auth: 'member' },
  shopPay: { method: 'POST', path: '/api/shop/orders/:orderId/pay', body: shopPaymentRequest, response: paymentResponse, auth: 'member' },
} as const satisfies Record<string, RouteDef>;
